import { randomUUID } from 'node:crypto';
import { documentRef, type Db, type DocRow } from '../store/index.js';
import type { Clock } from '../clock.js';
import { appendEvent } from '../ledger/index.js';
import type { PageText } from '../../shared/types.js';
import { EngineError } from '../errors.js';

/**
 * Extracted pages of a document, looked up by numeric id or full SHA-256.
 * @throws EngineError `not-found` for an unknown document or page.
 */
export function documentText(db: Db, ref: string, pageNo?: number): PageText[] {
  const doc = documentRef(db, ref);
  const rows = db
    .prepare(
      `SELECT page_no AS pageNo, state, method, text, confidence, words FROM pages WHERE document_id = ? AND (? IS NULL OR page_no = ?) ORDER BY page_no`,
    )
    .all(doc.id, pageNo ?? null, pageNo ?? null) as (Omit<PageText, 'words'> & { words: string | null })[];
  if (pageNo !== undefined && rows.length === 0) throw new EngineError('not-found', `Document ${ref} has no page ${pageNo}.`);
  return rows.map((r) => ({ ...r, words: r.words ? (JSON.parse(r.words) as PageText['words']) : [] }));
}

/**
 * Lets an operator see a document's content (its text, a page image, search snippets): a document in the
 * `pii` or `classified` lane only with a reason, and the viewing is written to the ledger
 * (`document.restricted-viewed`; the reason itself stays out of the ledger, which holds no free text).
 * @throws EngineError `refused` for a restricted document without a reason.
 */
export function authorizeView(
  db: Db,
  clock: Clock,
  doc: Pick<DocRow, 'id' | 'sha256' | 'lane'>,
  restrictedReason: string | undefined,
  what = 'its text',
): void {
  if (doc.lane === 'public') return;
  if (!restrictedReason?.trim())
    throw new EngineError(
      'refused',
      `Document ${doc.id} is in the ${doc.lane} lane; give a reason to view ${what} (in the CLI: --reason <text>); the viewing is recorded.`,
    );
  appendEvent(db, clock, { traceId: randomUUID(), type: 'document.restricted-viewed', payload: { documentId: doc.id, sha256: doc.sha256, lane: doc.lane } });
}

/**
 * The text an operator reads (in the app, or with `custodian text`), every page or one, shown as
 * {@link authorizeView} allows.
 * @throws EngineError `refused` for a restricted document without a reason, `not-found`.
 */
export function readDocumentText(db: Db, clock: Clock, ref: string, restrictedReason?: string, pageNo?: number): PageText[] {
  const doc = documentRef(db, ref);
  authorizeView(db, clock, doc, restrictedReason);
  return documentText(db, String(doc.id), pageNo);
}

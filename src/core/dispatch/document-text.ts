import { documentRef, type Db } from '../store/index.js';
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

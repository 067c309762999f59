import type { Db } from './db.js';
import { EngineError } from '../errors.js';
import type { Lane } from '../../shared/types.js';

/** A document's identity and processing facts. */
export type DocRow = { id: number; sha256: string; lane: Lane; pages: number | null; mediaType: string; /** Where intake first found it. */ path: string };

/** @throws EngineError `not-found` for a page the document does not have (any page while its count is unknown). */
export function requirePage(doc: Pick<DocRow, 'id' | 'pages'>, pageNo: number): void {
  if (!Number.isSafeInteger(pageNo) || pageNo < 1 || (doc.pages !== null && pageNo > doc.pages))
    throw new EngineError('not-found', `Document ${doc.id} has no page ${pageNo}${doc.pages === null ? '' : ` (it has ${doc.pages})`}.`);
}

/** A document by numeric id or SHA-256. @throws EngineError `not-found`. */
export function documentRef(db: Db, ref: string): DocRow {
  const select = 'SELECT id, sha256, lane, page_count AS pages, media_type AS mediaType, first_path AS path FROM documents';
  const row = (
    /^\d+$/u.test(ref)
      ? db.prepare(`${select} WHERE id = ?`).get(Number(ref))
      : db.prepare(`${select} WHERE sha256 = ? ORDER BY pipeline_version DESC LIMIT 1`).get(ref.toLowerCase())
  ) as DocRow | undefined;
  if (!row) throw new EngineError('not-found', `No document ${ref}.`);
  return row;
}

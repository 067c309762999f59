import type { Db } from './db.js';
import { EngineError } from '../errors.js';
import type { Lane } from '../../shared/types.js';

/** A document's identity and processing facts. */
export type DocRow = { id: number; sha256: string; lane: Lane; pages: number | null; mediaType: string };

/** A document by numeric id or SHA-256. @throws EngineError `not-found`. */
export function documentRef(db: Db, ref: string): DocRow {
  const select = 'SELECT id, sha256, lane, page_count AS pages, media_type AS mediaType FROM documents';
  const row = (
    /^\d+$/u.test(ref)
      ? db.prepare(`${select} WHERE id = ?`).get(Number(ref))
      : db.prepare(`${select} WHERE sha256 = ? ORDER BY pipeline_version DESC LIMIT 1`).get(ref.toLowerCase())
  ) as DocRow | undefined;
  if (!row) throw new EngineError('not-found', `No document ${ref}.`);
  return row;
}

import type { Db } from './db.js';
import type { LedgerEntry } from '../../shared/types.js';

/**
 * The ledger entries about one document, oldest first, at most `limit` (default 200): entries naming it by
 * id or SHA-256, and those naming its processing job (a lease names only the job).
 */
export function documentHistory(db: Db, documentId: number, sha256: string, limit = 200): LedgerEntry[] {
  const jobIds = db.prepare('SELECT id FROM jobs WHERE document_id = ?').pluck().all(documentId) as number[];
  const rows = db
    .prepare(
      `SELECT seq, ts, trace_id AS traceId, type, prev_hash AS prevHash, hash, payload FROM ledger
        WHERE json_extract(payload, '$.documentId') = @id OR json_extract(payload, '$.sha256') = @sha
           OR json_extract(payload, '$.jobId') IN (SELECT value FROM json_each(@jobs))
        ORDER BY seq LIMIT @limit`,
    )
    .all({ id: documentId, sha: sha256, jobs: JSON.stringify(jobIds), limit }) as (Omit<LedgerEntry, 'payload'> & { payload: string })[];
  return rows.map((r) => ({ ...r, payload: JSON.parse(r.payload) as Record<string, unknown> }));
}

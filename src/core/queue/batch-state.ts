import type { Db } from '../store/db.js';
import { prepared } from '../store/prepared.js';
import type { Clock } from '../clock.js';
import type { JobCounts } from '../../shared/types.js';
import { appendEvent } from '../ledger/index.js';

/** Job counts of one batch by state. */
export function batchJobCounts(db: Db, batchId: string): JobCounts {
  const rows = prepared(db, 'SELECT state, COUNT(*) AS n FROM jobs WHERE batch_id = ? GROUP BY state').all(batchId) as { state: string; n: number }[];
  const by = Object.fromEntries(rows.map((r) => [r.state, r.n])) as Record<string, number>;
  const done = by.done ?? 0;
  const failed = by.failed ?? 0;
  const quarantined = by.quarantined ?? 0;
  const pending = (by.queued ?? 0) + (by.leased ?? 0);
  return { total: done + failed + quarantined + pending, done, failed, quarantined, pending };
}

/**
 * Inside the caller's transaction: once a walked batch has no job left to run, marks it done and
 * writes `batch.completed` — once, because the state change is conditional.
 */
export function completeBatchIfFinished(db: Db, clock: Clock, batchId: string): boolean {
  // Runs after every job: an indexed existence check, not a count over the whole batch.
  const pending = prepared(db, `SELECT 1 FROM jobs WHERE batch_id = ? AND state IN ('queued', 'leased') LIMIT 1`).get(batchId);
  if (pending) return false;
  const counts = batchJobCounts(db, batchId);
  const now = clock.now().toISOString();
  const batch = prepared(db, `SELECT trace_id AS traceId, created_at AS createdAt FROM batches WHERE id = ? AND state = 'processing'`).get(batchId) as
    { traceId: string; createdAt: string } | undefined;
  if (!batch) return false;
  prepared(db, `UPDATE batches SET state = 'done', completed_at = ? WHERE id = ?`).run(now, batchId);
  appendEvent(db, clock, {
    traceId: batch.traceId,
    type: 'batch.completed',
    payload: { batchId, jobs: counts, durationMs: Date.parse(now) - Date.parse(batch.createdAt) },
  });
  return true;
}

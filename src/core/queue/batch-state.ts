import { prepared, type Db } from '../store/index.js';
import type { Clock } from '../clock.js';
import type { JobCounts } from '../../shared/types.js';
import { appendEvent } from '../ledger/index.js';
import { EngineError } from '../errors.js';
import type { ReasonCode } from '../../shared/reason-codes.js';

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

/** An operator's hold on a batch: `paused` (to be continued) or `cancelled` (stopped; may still be continued). */
export type BatchHold = 'paused' | 'cancelled';

/**
 * Puts a hold on a batch: its queued jobs stay queued but are not leased; pages already running finish.
 * A cancelled batch still `walking` is walked no further (the walk stops at its next file, and no resume
 * takes it up) until `batch continue`. Writes `batch.paused` or `batch.cancelled` with how many jobs were
 * held back, and the reason code when the engine cancels it itself (`walk-failed`).
 * @throws EngineError `not-found` for an unknown batch, `invalid-argument` for a batch already done.
 */
export function holdBatch(db: Db, clock: Clock, batchId: string, hold: BatchHold, reason?: string, code?: ReasonCode): { queued: number } {
  return db
    .transaction(() => {
      const batch = batchRow(db, batchId);
      if (batch.state === 'done')
        throw new EngineError('invalid-state', `Batch ${batchId} is already complete; there is nothing to ${hold === 'paused' ? 'pause' : 'cancel'}.`);
      const queued = batchJobCounts(db, batchId);
      prepared(db, `UPDATE batches SET hold = ? WHERE id = ?`).run(hold, batchId);
      appendEvent(db, clock, {
        traceId: batch.traceId,
        type: hold === 'paused' ? 'batch.paused' : 'batch.cancelled',
        payload: { batchId, queued: queued.pending, ...(reason ? { reasonGiven: true } : {}), ...(code ? { code } : {}) },
      });
      return { queued: queued.pending };
    })
    .immediate();
}

/** Lifts a pause or a cancel: the batch's queued jobs are leased again. Writes `batch.continued`. */
export function continueBatch(db: Db, clock: Clock, batchId: string): { queued: number } {
  return db
    .transaction(() => {
      const batch = batchRow(db, batchId);
      if (batch.hold === null) return { queued: 0 };
      const queued = batchJobCounts(db, batchId).pending;
      prepared(db, `UPDATE batches SET hold = NULL WHERE id = ?`).run(batchId);
      appendEvent(db, clock, { traceId: batch.traceId, type: 'batch.continued', payload: { batchId, from: batch.hold, queued } });
      return { queued };
    })
    .immediate();
}

function batchRow(db: Db, batchId: string): { traceId: string; state: string; hold: BatchHold | null } {
  const row = prepared(db, `SELECT trace_id AS traceId, state, hold FROM batches WHERE id = ?`).get(batchId) as
    { traceId: string; state: string; hold: BatchHold | null } | undefined;
  if (!row) throw new EngineError('not-found', `No batch ${batchId}.`);
  return row;
}

import type { Db } from '../store/db.js';
import type { Clock } from '../clock.js';
import type { ReasonCode } from '../../shared/reason-codes.js';
import { failpoint } from '../failpoints.js';
import { completeJob, leaseNextJob, quarantineJob, renewLeases, type LeasedJob } from './job-queue.js';
import type { LeaseOwner } from './lease-owner.js';

/** What processing a job came to. */
export type JobOutcome = { kind: 'done'; result: Record<string, unknown> } | { kind: 'quarantine'; code: ReasonCode; detail: Record<string, unknown> };

/** Does the work of one leased job. It must not write to the database: the queue records its outcome. */
export type JobProcessor = (job: LeasedJob) => Promise<JobOutcome>;

/** What the queue runner needs from the engine. */
export type QueueContext = { db: Db; clock: Clock; owner: LeaseOwner; leaseTtlMs: number };

/**
 * Runs queued jobs until none is left, at most `concurrency` at a time, leasing one only when a slot
 * frees. Each outcome and its ledger event commit in one transaction; an unexpected error quarantines
 * the job as `processing-error` rather than stopping the batch.
 * @returns how many jobs finished.
 */
export async function drainQueue(
  ctx: QueueContext,
  process: JobProcessor,
  options: { concurrency: number; onJobFinished?: (job: LeasedJob, outcome: JobOutcome['kind']) => void },
): Promise<number> {
  const heartbeat = setInterval(() => renewLeases(ctx.db, ctx.clock, ctx.owner, ctx.leaseTtlMs), Math.max(1000, ctx.leaseTtlMs / 3));
  heartbeat.unref();
  let finished = 0;
  const slot = async (): Promise<void> => {
    for (;;) {
      const job = leaseNextJob(ctx.db, ctx.clock, ctx.owner, ctx.leaseTtlMs);
      if (!job) return;
      failpoint('job.after-lease');
      let outcome: JobOutcome;
      try {
        outcome = await process(job);
      } catch (err) {
        outcome = { kind: 'quarantine', code: 'processing-error', detail: { error: err instanceof Error ? err.name : 'unknown' } };
      }
      failpoint('job.before-complete');
      if (outcome.kind === 'done') completeJob(ctx.db, ctx.clock, job, ctx.owner, outcome.result);
      else quarantineJob(ctx.db, ctx.clock, job, ctx.owner, outcome.code, outcome.detail);
      failpoint('job.after-complete');
      finished++;
      options.onJobFinished?.(job, outcome.kind);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, slot));
  } finally {
    clearInterval(heartbeat);
  }
  return finished;
}

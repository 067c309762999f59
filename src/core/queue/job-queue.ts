import { prepared, type Db } from '../store/index.js';
import type { Clock } from '../clock.js';
import type { ReasonCode } from '../../shared/reason-codes.js';
import type { JobCounts } from '../../shared/types.js';
import { reasonMessage } from '../../shared/reason-codes.js';
import { appendEvent, type LedgerPayloads } from '../ledger/index.js';
import { isOwnerGone, type LeaseOwner } from './lease-owner.js';
import { EngineError } from '../errors.js';
import { completeBatchIfFinished } from './batch-state.js';

/** A job as leased to a worker. */
export type LeasedJob = {
  id: number;
  documentId: number;
  batchId: string;
  traceId: string;
  kind: string;
  attempts: number;
  sha256: string;
  size: number;
  mediaType: string;
  path: string;
};

/** Sanitized numeric detail that may go into the ledger with a quarantine (worker id and resource figures). */
const FIGURE_KEYS = new Set(['threadId', 'rssMb', 'cpuMs', 'wallMs', 'pageNo']);

/** Job counts of the whole queue by state (`pending`: queued or leased). */
export function jobCounts(db: Db): JobCounts {
  const rows = prepared(db, 'SELECT state, COUNT(*) AS n FROM jobs GROUP BY state').all() as { state: string; n: number }[];
  const n = (s: string): number => rows.find((r) => r.state === s)?.n ?? 0;
  const pending = n('queued') + n('leased');
  return { total: rows.reduce((s, r) => s + r.n, 0), done: n('done'), failed: n('failed'), quarantined: n('quarantined'), pending };
}

/** The kind of job that processes a registered document. */
export const PROCESS_JOB = 'process';

/**
 * Queues the processing job for a document, inside the caller's transaction, with its ledger event.
 * @returns the job id.
 */
export function enqueueJob(db: Db, clock: Clock, job: { documentId: number; batchId: string; traceId: string; requestId?: string | null }): number {
  const now = clock.now().toISOString();
  const { lastInsertRowid } = prepared(
    db,
    `INSERT INTO jobs (document_id, batch_id, trace_id, kind, state, request_id, created_at, updated_at) VALUES (?, ?, ?, ?, 'queued', ?, ?, ?)`,
  ).run(job.documentId, job.batchId, job.traceId, PROCESS_JOB, job.requestId ?? null, now, now);
  const id = Number(lastInsertRowid);
  appendEvent(db, clock, {
    traceId: job.traceId,
    type: 'job.queued',
    payload: { batchId: job.batchId, jobId: id, documentId: job.documentId, ...(job.requestId ? { requestId: job.requestId } : {}) },
  });
  return id;
}

/**
 * How urgent the queued work of a request is, as a sortable key (a due date, `YYYY-MM-DD`): the earliest key
 * is leased first. `requestId` null stands for the jobs of no request; `oldestQueuedAt` is when the oldest
 * of them was queued, so they can age into priority instead of starving.
 */
export type Urgency = (requestId: string | null, oldestQueuedAt: string) => string;

/**
 * SQL condition: a queued job whose batch the operator has not paused or cancelled. Held jobs stay queued
 * (nothing is lost) but are neither leased nor waited for.
 */
export function runnableJob(alias = ''): string {
  const a = alias ? `${alias}.` : '';
  return `${a}state = 'queued' AND ${a}batch_id NOT IN (SELECT id FROM batches WHERE hold IS NOT NULL)`;
}

/** How many jobs can be leased now (queued, of batches not held). */
export function runnableJobCount(db: Db): number {
  return prepared(db, `SELECT COUNT(*) FROM jobs WHERE ${runnableJob()}`).pluck().get() as number;
}

/** Whether any job can be leased now. */
export function hasRunnableJob(db: Db): boolean {
  return prepared(db, `SELECT 1 FROM jobs WHERE ${runnableJob()} LIMIT 1`).get() !== undefined;
}

/** The request whose queued jobs go first (null: the jobs of no request), or undefined when nothing is queued. */
function mostUrgent(db: Db, urgency: Urgency): string | null | undefined {
  const oldest = prepared(db, `SELECT id, created_at AS queuedAt FROM jobs WHERE ${runnableJob()} AND request_id IS ? ORDER BY id LIMIT 1`);
  const candidates: { requestId: string | null; key: string; firstJob: number }[] = [];
  // One index probe per request: the queue may hold far more jobs than there are requests.
  const requestIds = prepared(db, `SELECT id FROM requests r WHERE EXISTS (SELECT 1 FROM jobs j WHERE ${runnableJob('j')} AND j.request_id = r.id)`)
    .pluck()
    .all() as string[];
  for (const requestId of [null, ...requestIds]) {
    const first = oldest.get(requestId) as { id: number; queuedAt: string } | undefined;
    if (first) candidates.push({ requestId, key: urgency(requestId, first.queuedAt), firstJob: first.id });
  }
  candidates.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.firstJob - b.firstJob));
  return candidates.length ? candidates[0]!.requestId : undefined;
}

/**
 * Leases the next queued job to `owner` for `ttlMs`, or returns null when none is queued: with `urgency`,
 * the oldest job of the most urgent request (deadline first); without it, the oldest job.
 * The lease and its ledger event commit together.
 */
export function leaseNextJob(db: Db, clock: Clock, owner: LeaseOwner, ttlMs: number, urgency?: Urgency): LeasedJob | null {
  return db
    .transaction((): LeasedJob | null => {
      const select = `SELECT j.id, j.document_id AS documentId, j.batch_id AS batchId, j.trace_id AS traceId, j.kind, j.attempts,
                  d.sha256, d.size, d.media_type AS mediaType, d.first_path AS path
             FROM jobs j JOIN documents d ON d.id = j.document_id`;
      let row: LeasedJob | undefined;
      if (urgency) {
        const requestId = mostUrgent(db, urgency);
        if (requestId === undefined) return null;
        row = prepared(db, `${select} WHERE ${runnableJob('j')} AND j.request_id IS ? ORDER BY j.id LIMIT 1`).get(requestId) as LeasedJob | undefined;
      } else {
        row = prepared(db, `${select} WHERE ${runnableJob('j')} ORDER BY j.id LIMIT 1`).get() as LeasedJob | undefined;
      }
      if (!row) return null;
      const now = clock.now();
      prepared(db, `UPDATE jobs SET state = 'leased', attempts = attempts + 1, lease_owner = ?, lease_expires_at = ?, updated_at = ? WHERE id = ?`).run(
        owner,
        now.getTime() + ttlMs,
        now.toISOString(),
        row.id,
      );
      const job = { ...row, attempts: row.attempts + 1 };
      appendEvent(db, clock, { traceId: job.traceId, type: 'job.leased', payload: { jobId: job.id, attempt: job.attempts } });
      return job;
    })
    .immediate();
}

/** Extends every lease `owner` holds, so a long job is not taken over while it runs. */
export function renewLeases(db: Db, clock: Clock, owner: LeaseOwner, ttlMs: number): number {
  return prepared(db, `UPDATE jobs SET lease_expires_at = ? WHERE state = 'leased' AND lease_owner = ?`).run(clock.now().getTime() + ttlMs, owner).changes;
}

/**
 * Puts back in the queue every job `owner` still holds (a graceful shutdown), each with a `job.reclaimed`
 * event. With `owner` null, every leased job: after a restore, no process holds a lease on the new copy.
 * @returns how many.
 */
export function releaseLeases(db: Db, clock: Clock, owner: LeaseOwner | null, cause: 'shutdown' | 'restored' = 'shutdown'): number {
  return db
    .transaction(() => {
      const held = prepared(db, `SELECT id, trace_id AS traceId FROM jobs WHERE state = 'leased' AND (@owner IS NULL OR lease_owner = @owner)`).all({
        owner,
      }) as {
        id: number;
        traceId: string;
      }[];
      const now = clock.now().toISOString();
      for (const job of held) {
        prepared(db, `UPDATE jobs SET state = 'queued', lease_owner = NULL, lease_expires_at = NULL, updated_at = ? WHERE id = ?`).run(now, job.id);
        appendEvent(db, clock, { traceId: job.traceId, type: 'job.reclaimed', payload: { jobId: job.id, cause } });
      }
      return held.length;
    })
    .immediate();
}

/**
 * Puts back in the queue every leased job whose lease expired or whose owner process is gone.
 * @returns how many were reclaimed.
 */
export function reclaimLeases(db: Db, clock: Clock): number {
  return db
    .transaction(() => {
      const now = clock.now();
      const leased = prepared(
        db,
        `SELECT id, trace_id AS traceId, lease_owner AS owner, lease_expires_at AS expires, attempts FROM jobs WHERE state = 'leased'`,
      ).all() as {
        id: number;
        traceId: string;
        owner: string | null;
        expires: number | null;
        attempts: number;
      }[];
      let reclaimed = 0;
      for (const job of leased) {
        const expired = (job.expires ?? 0) <= now.getTime();
        if (!expired && !isOwnerGone(job.owner)) continue;
        prepared(db, `UPDATE jobs SET state = 'queued', lease_owner = NULL, lease_expires_at = NULL, updated_at = ? WHERE id = ?`).run(
          now.toISOString(),
          job.id,
        );
        appendEvent(db, clock, {
          traceId: job.traceId,
          type: 'job.reclaimed',
          payload: { jobId: job.id, attempt: job.attempts, cause: expired ? 'lease-expired' : 'owner-gone' },
        });
        reclaimed++;
      }
      return reclaimed;
    })
    .immediate();
}

function finishLeased(db: Db, clock: Clock, job: LeasedJob, owner: LeaseOwner, state: 'done' | 'quarantined' | 'failed', lastError: string | null): void {
  const changed = prepared(
    db,
    `UPDATE jobs SET state = ?, lease_owner = NULL, lease_expires_at = NULL, last_error = ?, updated_at = ? WHERE id = ? AND state = 'leased' AND lease_owner = ?`,
  ).run(state, lastError, clock.now().toISOString(), job.id, owner).changes;
  // Another engine reclaimed the job (our lease expired): its result wins, ours must not be written twice.
  if (changed !== 1) throw new EngineError('invalid-state', `job ${job.id} is no longer leased to this engine`);
}

/** Marks a leased job done, with its ledger event, and completes its batch if this was the last job. */
export function completeJob(
  db: Db,
  clock: Clock,
  job: LeasedJob,
  owner: LeaseOwner,
  result: Omit<LedgerPayloads['job.done'], 'jobId' | 'documentId' | 'attempt'>,
): void {
  db.transaction(() => {
    finishLeased(db, clock, job, owner, 'done', null);
    appendEvent(db, clock, {
      traceId: job.traceId,
      type: 'job.done',
      payload: { jobId: job.id, documentId: job.documentId, attempt: job.attempts, ...result },
    });
    completeBatchIfFinished(db, clock, job.batchId);
  }).immediate();
}

/** Quarantines a leased job's document with a reason code; the original file is left where it is. */
export function quarantineJob(db: Db, clock: Clock, job: LeasedJob, owner: LeaseOwner, code: ReasonCode, detail: Record<string, unknown>): number {
  return db
    .transaction(() => {
      finishLeased(db, clock, job, owner, 'quarantined', code);
      const now = clock.now().toISOString();
      const { lastInsertRowid } = prepared(
        db,
        `INSERT INTO quarantine (batch_id, trace_id, job_id, path, sha256, document_id, reason_code, message, detail, state, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'held', ?)`,
      ).run(job.batchId, job.traceId, job.id, job.path, job.sha256, job.documentId, code, reasonMessage(code), JSON.stringify(detail), now);
      const quarantineId = Number(lastInsertRowid);
      const figures = Object.fromEntries(Object.entries(detail).filter(([k, v]) => FIGURE_KEYS.has(k) && typeof v === 'number'));
      appendEvent(db, clock, {
        traceId: job.traceId,
        type: 'job.quarantined',
        payload: { jobId: job.id, documentId: job.documentId, quarantineId, code, ...figures },
      });
      completeBatchIfFinished(db, clock, job.batchId);
      return quarantineId;
    })
    .immediate();
}

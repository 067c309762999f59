import { lstat } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Db } from './store/index.js';
import { openDatabase } from './store/index.js';
import { systemClock, type Clock } from './clock.js';
import { EngineError, errnoCode } from './errors.js';
import type { DocumentSummary, IngestSummary, JobCounts, LedgerEntry, LedgerVerifyResult, ResumeSummary } from '../shared/types.js';
import { appendEvent, tailLedger, verifyChain } from './ledger/index.js';
import { batchSummary, createBatch, getBatch, listDocuments, walkBatch, type Batch, type IntakeProgress } from './intake/index.js';
import { drainQueue, isOwnerGone, newLeaseOwner, reclaimLeases, type JobProcessor, type LeaseOwner } from './queue/index.js';
import { listQuarantine, releaseQuarantine, retryQuarantine, type QuarantineActionResult, type QuarantineRecord } from './quarantine/index.js';
import { confirmContent } from './process/confirm-content.js';
import { failpoint } from './failpoints.js';

/** Progress the engine reports while it works. */
export type EngineProgress = ({ phase: 'hashing' } & IntakeProgress) | { phase: 'processing'; jobsTotal: number; jobsDone: number };

/** How to open an engine. */
export type EngineOptions = {
  /** Folder holding custodian.db; created if missing. */
  dataDir: string;
  clock?: Clock;
  /** How long a job lease lasts without renewal, ms. Default 60,000. */
  leaseTtlMs?: number;
  /** Jobs run at once. Default 2. */
  concurrency?: number;
  /** Processing step for each registered document. Default: confirm the bytes still match. */
  processor?: JobProcessor;
  onProgress?: (p: EngineProgress) => void;
};

/**
 * The Custodian engine: one per process, over one data dir. Every face (CLI, desktop app, browser
 * bridge) drives this class; none re-implements what it does.
 */
export class Engine {
  readonly dataDir: string;
  readonly db: Db;
  readonly clock: Clock;
  readonly owner: LeaseOwner;
  private readonly options: Required<Omit<EngineOptions, 'onProgress' | 'clock' | 'dataDir'>> & Pick<EngineOptions, 'onProgress'>;

  private constructor(options: EngineOptions) {
    this.dataDir = path.resolve(options.dataDir);
    this.db = openDatabase(this.dataDir);
    this.clock = options.clock ?? systemClock;
    this.owner = newLeaseOwner();
    this.options = {
      leaseTtlMs: options.leaseTtlMs ?? 60_000,
      concurrency: options.concurrency ?? 2,
      processor: options.processor ?? confirmContent,
      onProgress: options.onProgress,
    };
  }

  /** Opens (creating if needed) the data dir and database. @throws EngineError `data-dir-unusable` | `database-unusable`. */
  static open(options: EngineOptions): Engine {
    return new Engine(options);
  }

  /**
   * Takes in files and folders as one batch and processes what it registered. First finishes whatever
   * an interrupted run left (see {@link resume}), so a crash never strands work.
   * @throws EngineError `path-not-found` when a given path does not exist (nothing is recorded then).
   */
  async ingest(paths: string[], options: { requestId?: string | null } = {}): Promise<IngestSummary> {
    if (paths.length === 0) throw new EngineError('invalid-argument', 'Give at least one file or folder to ingest.');
    const roots = paths.map((p) => path.resolve(p));
    for (const root of roots) {
      try {
        await lstat(root);
      } catch (err) {
        throw new EngineError('path-not-found', `Cannot ingest ${root}: ${errnoCode(err) === 'ENOENT' ? 'no such file or folder' : (err as Error).message}`, {
          cause: err,
        });
      }
    }
    const started = performance.now();
    await this.recoverWalks();
    const batch = createBatch(this.db, this.clock, roots, options.requestId ?? null, this.owner);
    failpoint('batch.after-create');
    await walkBatch(this.db, this.clock, batch, (p) => this.options.onProgress?.({ phase: 'hashing', ...p }));
    await this.runQueue();
    return batchSummary(this.db, getBatch(this.db, batch.id)!, Math.round(performance.now() - started));
  }

  /** Finishes interrupted work: reclaims leases of dead runs, completes interrupted walks, runs every queued job. */
  async resume(): Promise<ResumeSummary> {
    const started = performance.now();
    const { batches, leases } = await this.recoverWalks();
    const before = this.pendingJobs();
    const finished = await this.runQueue();
    const counts = this.db.prepare('SELECT state, COUNT(*) AS n FROM jobs GROUP BY state').all() as { state: string; n: number }[];
    const n = (s: string): number => counts.find((c) => c.state === s)?.n ?? 0;
    const jobs: JobCounts = { total: before, done: finished, failed: n('failed'), quarantined: n('quarantined'), pending: n('queued') + n('leased') };
    return { batchesResumed: batches, leasesReclaimed: leases, jobs, durationMs: Math.round(performance.now() - started) };
  }

  /** Registered documents (of one batch, with `batchId`). */
  listDocuments(options: { batchId?: string } = {}): DocumentSummary[] {
    return listDocuments(this.db, options);
  }

  /** Held quarantine items (or all, with `all`). */
  listQuarantine(options: { all?: boolean; batchId?: string } = {}): QuarantineRecord[] {
    return listQuarantine(this.db, options);
  }

  /** Retries a quarantine item, then runs any job it queued. */
  async retryQuarantine(id: number): Promise<QuarantineActionResult> {
    const result = await retryQuarantine(this.db, this.clock, id);
    await this.runQueue();
    return result;
  }

  /** Releases a quarantine item on the operator's reason, then runs any job it queued. */
  async releaseQuarantine(id: number, reason: string): Promise<QuarantineActionResult> {
    const result = await releaseQuarantine(this.db, this.clock, id, reason);
    await this.runQueue();
    return result;
  }

  /** Checks the whole hash chain. */
  verifyLedger(): LedgerVerifyResult {
    return verifyChain(this.db);
  }

  /** The newest `n` ledger entries, oldest first. */
  tailLedger(n: number): LedgerEntry[] {
    return tailLedger(this.db, n);
  }

  /** Closes the database. */
  close(): void {
    this.db.close();
  }

  private pendingJobs(): number {
    return this.db.prepare(`SELECT COUNT(*) FROM jobs WHERE state IN ('queued', 'leased')`).pluck().get() as number;
  }

  private async runQueue(): Promise<number> {
    const jobsTotal = this.pendingJobs();
    if (jobsTotal === 0) return 0;
    let jobsDone = 0;
    this.options.onProgress?.({ phase: 'processing', jobsTotal, jobsDone });
    return drainQueue({ db: this.db, clock: this.clock, owner: this.owner, leaseTtlMs: this.options.leaseTtlMs }, this.options.processor, {
      concurrency: this.options.concurrency,
      onJobFinished: () => this.options.onProgress?.({ phase: 'processing', jobsTotal, jobsDone: ++jobsDone }),
    });
  }

  /** Reclaims dead leases and finishes the walks of batches whose walking process is gone. */
  private async recoverWalks(): Promise<{ batches: number; leases: number }> {
    const leases = reclaimLeases(this.db, this.clock);
    const stranded = this.db.prepare(`SELECT id, owner FROM batches WHERE state = 'walking' ORDER BY created_at`).all() as {
      id: string;
      owner: string | null;
    }[];
    let batches = 0;
    for (const { id, owner } of stranded) {
      if (!isOwnerGone(owner)) continue;
      const batch = this.db
        .transaction((): Batch | undefined => {
          const taken = this.db.prepare(`UPDATE batches SET owner = ? WHERE id = ? AND state = 'walking' AND owner IS ?`).run(this.owner, id, owner).changes;
          if (!taken) return undefined;
          const b = getBatch(this.db, id)!;
          appendEvent(this.db, this.clock, { traceId: b.traceId, type: 'batch.resumed', payload: { batchId: id } });
          return b;
        })
        .immediate();
      if (!batch) continue;
      batches++;
      await walkBatch(this.db, this.clock, batch, (p) => this.options.onProgress?.({ phase: 'hashing', ...p }));
    }
    return { batches, leases };
  }
}

import { BrokenCircuitError, TimeoutStrategy, timeout, wrap, type CircuitBreakerPolicy } from 'cockatiel';
import { performance } from 'node:perf_hooks';
import type { ProcessingFigures } from '../../shared/types.js';
import type { ReasonCode } from '../../shared/reason-codes.js';
import type { Db } from '../store/index.js';
import type { Clock } from '../clock.js';
import { appendEvent } from '../ledger/index.js';
import { failpoint } from '../failpoints.js';
import {
  completeJob,
  hasRunnableJob,
  leaseNextJob,
  quarantineJob,
  releaseLeases,
  renewLeases,
  runnableJobCount,
  type LeaseOwner,
  type Urgency,
} from '../queue/index.js';
import type { Backpressure, LanePools, MemoryGovernor } from '../pool/index.js';
import { LANE_RANK, agencyTerms, type AgencyTerm, type Lane } from '../sensitive/index.js';
import type { ExtractResult, ExtractTask } from '../extract/index.js';
import { documentPlan, figuresPayload, keepFallback, pageSummary, pagesToRun, recordPage, recordPlan } from './page-store.js';
import {
  DEFAULT_RESILIENCE,
  TransientExtractFailure,
  failureDetail,
  ocrBreaker,
  planFailureCode,
  retryPolicy,
  type ResilienceOptions,
  type Settled,
} from './page-policy.js';
import { BreakerWaits } from './breaker-waits.js';
import type { Doc, PageUnit, Unit } from './work-units.js';

/** How often memory is read while the pool is throttled and no page ends, ms. */
const THROTTLED_SAMPLE_MS = 500;

/** Live figures of text extraction (the shared {@link ProcessingFigures}). */
export type ExtractProgress = ProcessingFigures;

/** What the dispatcher runs against: the database, the clock, this run's lease owner and how it leases. */
export type DispatchContext = { db: Db; clock: Clock; owner: LeaseOwner; leaseTtlMs: number; urgency?: () => Urgency };

/**
 * Feeds the pool from the durable queue. Leases a document only when a slot is free and no page of an
 * already leased document is waiting; plans it (page count) in a thread, then spreads its pages over the
 * pool one task per page. Every page runs through retry (exponential backoff with jitter) → circuit
 * breaker → timeout ({@link ./page-policy}); while the breaker is open, {@link BreakerWaits} holds the pages
 * back. Outcomes and their ledger events commit together ({@link ./page-store}). With a
 * {@link MemoryGovernor}, the pages in flight follow live memory readings instead of the thread count.
 */
export class ExtractDispatcher {
  private readonly opts: ResilienceOptions;
  private readonly backpressure: Backpressure | undefined;
  private readonly governor: MemoryGovernor | undefined;
  private readonly onProgress: ((p: ExtractProgress) => void) | undefined;
  private readonly breaker: CircuitBreakerPolicy;
  private readonly waits: BreakerWaits;
  /** The agency's term list, read when the run starts. */
  private readonly terms: AgencyTerm[];

  /** Leased documents not yet finished, by document id. */
  private readonly docs = new Map<number, Doc>();
  /** Units ready to run, in order. */
  private ready: Unit[] = [];
  /** Documents whose lane was raised during this run, by SHA-256. */
  private readonly raised = new Map<string, Lane>();
  private breakerState: ExtractProgress['breaker'] = 'closed';
  private wake: (() => void) | null = null;
  private pending = false;
  private stopping = false;
  private lastTraceId = '';
  private lastFailure: Record<string, unknown> = {};
  private readonly started = Date.now();
  private readonly stats = { docsDone: 0, pagesDone: 0, pagesTotal: 0 };

  constructor(
    private readonly ctx: DispatchContext,
    private readonly pool: LanePools,
    options: Partial<ResilienceOptions> & { backpressure?: Backpressure; governor?: MemoryGovernor; onProgress?: (p: ExtractProgress) => void } = {},
  ) {
    this.opts = { ...DEFAULT_RESILIENCE, ...options };
    this.terms = agencyTerms(ctx.db);
    this.backpressure = options.backpressure;
    this.governor = options.governor;
    this.onProgress = options.onProgress;
    this.waits = new BreakerWaits(
      {
        runWithoutOcr: (unit) => this.pool.run(unit.doc.lane, this.task(unit, 'no-ocr'), AbortSignal.timeout(this.opts.pageTimeoutMs)),
        store: (unit, result, state) => this.setLane(unit.doc, recordPage(this.ctx.db, this.ctx.clock, unit.doc.job, result, 1, state)),
        finished: (unit) => this.pageFinished(unit.doc),
        keepFallback: (unit) => this.giveUpOcr(unit),
        quarantine: (unit, code, detail) => this.quarantine(unit.doc, code, detail),
        requeue: (units, front) => {
          if (front) this.ready.unshift(...units);
          else this.ready.push(...units);
          this.notify();
        },
        requeuedForOcr: (unit) =>
          appendEvent(this.ctx.db, this.ctx.clock, {
            traceId: unit.doc.job.traceId,
            type: 'page.requeued-for-ocr',
            payload: { documentId: unit.doc.job.documentId, pageNo: unit.pageNo },
          }),
      },
      this.opts,
    );
    this.breaker = ocrBreaker(this.opts);
    this.breaker.onBreak(() => {
      this.breakerEvent('breaker.opened', 'open');
      this.waits.opened();
    });
    this.breaker.onHalfOpen(() => this.breakerEvent('breaker.half-open', 'half-open'));
    this.breaker.onReset(() => {
      this.breakerEvent('breaker.closed', 'closed');
      this.waits.closed();
    });
  }

  /**
   * Shutdown: leases nothing more and starts no further page; `run` returns once the pages already running
   * have finished (and been stored). Documents left unfinished keep their done pages and go back to the queue.
   */
  stop(): void {
    this.stopping = true;
    this.notify();
  }

  /** Tells a waiting dispatcher that new jobs may be queued (intake committed a group). */
  notify(): void {
    this.pending = true;
    this.wake?.();
  }

  /**
   * Runs until the queue is empty, every leased document is finished, and `intakeDone` has settled
   * (so a batch still being walked keeps the dispatcher alive).
   */
  async run(intakeDone: Promise<unknown> = Promise.resolve()): Promise<void> {
    let intakeFinished = false;
    void intakeDone.finally(() => {
      intakeFinished = true;
      this.notify();
    });
    const heartbeat = setInterval(() => renewLeases(this.ctx.db, this.ctx.clock, this.ctx.owner, this.ctx.leaseTtlMs), Math.max(1000, this.ctx.leaseTtlMs / 3));
    heartbeat.unref();
    const running = new Set<Promise<void>>();
    try {
      for (;;) {
        this.pending = false;
        // One memory reading per turn (a turn follows every page that ends): how many pages may run now.
        const limit = this.governor?.inFlight() ?? this.pool.threads;
        while (running.size < limit && !this.stopping) {
          const unit = this.nextUnit();
          if (!unit) break;
          const p: Promise<void> = this.execute(unit).finally(() => {
            running.delete(p);
            this.notify();
          });
          running.add(p);
        }
        this.report(running.size);
        if (this.stopping && running.size === 0) {
          releaseLeases(this.ctx.db, this.ctx.clock, this.ctx.owner);
          break;
        }
        if (running.size === 0 && !this.waits.waiting && this.ready.length === 0 && intakeFinished && !hasRunnableJob(this.ctx.db)) break;
        if (!this.pending)
          await new Promise<void>((resolve) => {
            this.wake = resolve;
            // Throttled, memory is read again on a timer too: with one page (or none) running, no page end may come soon.
            if (this.governor?.throttled) setTimeout(resolve, THROTTLED_SAMPLE_MS).unref();
          });
        this.wake = null;
      }
    } finally {
      clearInterval(heartbeat);
      this.waits.clearProbe();
      this.report(0);
    }
  }

  private report(busy: number): void {
    if (!this.onProgress) return;
    const minutes = (Date.now() - this.started) / 60_000;
    this.onProgress({
      docsDone: this.stats.docsDone,
      docsLeased: this.docs.size,
      pagesDone: this.stats.pagesDone,
      pagesTotal: this.stats.pagesTotal,
      pagesPerMinute: minutes > 0 ? Math.round(this.stats.pagesDone / minutes) : 0,
      queueDepth: runnableJobCount(this.ctx.db),
      workersBusy: busy,
      workers: this.pool.threads,
      intakePaused: this.backpressure?.isPaused ?? false,
      breaker: this.breakerState,
    });
  }

  /** Next unit of work: a waiting page, else a newly leased document (planned first, or its remaining pages). */
  private nextUnit(): Unit | null {
    for (;;) {
      const unit = this.ready.shift();
      if (unit) {
        if (unit.doc.failed) continue;
        return unit;
      }
      const job = leaseNextJob(this.ctx.db, this.ctx.clock, this.ctx.owner, this.ctx.leaseTtlMs, this.ctx.urgency?.());
      if (!job) return null;
      failpoint('job.after-lease');
      this.backpressure?.release();
      this.lastTraceId = job.traceId;
      const { lane, planned } = documentPlan(this.ctx.db, job.documentId);
      const doc: Doc = { job, outstanding: 0, failed: false, lane };
      this.docs.set(job.documentId, doc);
      if (planned === null) return { doc, kind: 'plan' };
      // A document resumed after a crash: only its unfinished pages run again.
      const { pending, fallback } = pagesToRun(this.ctx.db, job.documentId);
      this.queuePages(doc, pending, 'auto', false);
      this.queuePages(doc, fallback, 'ocr', true);
      if (doc.outstanding === 0) this.finishDocument(doc);
    }
  }

  private queuePages(doc: Doc, pages: number[], mode: 'auto' | 'ocr', fallbackStored: boolean): void {
    for (const pageNo of pages) this.ready.push({ doc, kind: 'page', pageNo, mode, fallbackStored, parkRounds: 0 });
    doc.outstanding += pages.length;
    this.stats.pagesTotal += pages.length;
  }

  private task(unit: Unit, mode?: 'auto' | 'ocr' | 'no-ocr'): ExtractTask {
    const { path, sha256, mediaType } = unit.doc.job;
    return unit.kind === 'plan'
      ? { kind: 'plan', path, sha256, mediaType, restricted: this.restrictedAbove(unit.doc.lane) }
      : {
          kind: 'page',
          path,
          sha256,
          mediaType,
          pageNo: unit.pageNo,
          mode: mode ?? unit.mode,
          terms: this.terms,
          restricted: this.restrictedAbove(unit.doc.lane),
        };
  }

  /** Documents of this run raised above `lane`: threads of that lane's pool that held one must retire. */
  private restrictedAbove(lane: Lane): string[] {
    return [...this.raised].filter(([, l]) => LANE_RANK[l] > LANE_RANK[lane]).map(([sha]) => sha);
  }

  /** One attempt: a crashed or aborted thread and an engine error are transient; bad input comes back as a value. */
  private async attempt(lane: Lane, task: ExtractTask, signal: AbortSignal): Promise<Settled> {
    let result: ExtractResult;
    const wall0 = performance.now();
    try {
      result = await this.pool.run(lane, task, signal);
    } catch (err) {
      const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      // The thread is gone (crash, abort): its own figures went with it; record the process's.
      const figures = { threadId: null, threadLost: true, rssMb: Math.round(process.memoryUsage.rss() / 1e6), wallMs: Math.round(performance.now() - wall0) };
      throw this.noteFailure(new TransientExtractFailure(signal.aborted ? 'timeout' : 'worker-crashed', message, figures));
    }
    if (!result.ok && !result.hard) {
      throw this.noteFailure(new TransientExtractFailure(result.code, result.message, figuresPayload(result.figures)));
    }
    return result as Settled;
  }

  /** Remembers the latest failure, so breaker transitions can say what tripped them. */
  private noteFailure(failure: TransientExtractFailure): TransientExtractFailure {
    this.lastFailure = { code: failure.code, ...failure.figures };
    return failure;
  }

  /** The retry policy of one unit, each retry written to the ledger as `page.retry`. */
  private retries(unit: Unit) {
    return retryPolicy(this.opts, (note) =>
      appendEvent(this.ctx.db, this.ctx.clock, {
        traceId: unit.doc.job.traceId,
        type: 'page.retry',
        payload: {
          documentId: unit.doc.job.documentId,
          pageNo: unit.kind === 'page' ? unit.pageNo : null,
          attempt: note.attempt,
          delayMs: note.delayMs,
          code: note.code,
          ...note.figures,
        },
      }),
    );
  }

  private async execute(unit: Unit): Promise<void> {
    const timeoutPolicy = timeout(this.opts.pageTimeoutMs, TimeoutStrategy.Aggressive);
    if (unit.kind === 'plan') {
      try {
        const result = await wrap(this.retries(unit), timeoutPolicy).execute(({ signal }) => this.attempt(unit.doc.lane, this.task(unit), signal));
        if (!result.ok) return this.quarantine(unit.doc, result.code, { message: result.message, ...figuresPayload(result.figures) });
        if (result.kind !== 'plan') throw new Error('plan task answered with a page');
        recordPlan(this.ctx.db, this.ctx.clock, unit.doc.job, result.pages, result.figures);
        this.queuePages(
          unit.doc,
          Array.from({ length: result.pages }, (_, i) => i + 1),
          'auto',
          false,
        );
        if (unit.doc.outstanding === 0) this.finishDocument(unit.doc);
      } catch (err) {
        // A plan that keeps failing or killing its thread: the file cannot be opened here.
        this.quarantine(unit.doc, planFailureCode(err), failureDetail(err));
      }
      return;
    }
    const attempts = { count: 0 };
    try {
      const policy = wrap(this.retries(unit), this.breaker, timeoutPolicy);
      const result = await policy.execute(({ signal }) => {
        attempts.count++;
        return this.attempt(unit.doc.lane, this.task(unit), signal);
      });
      this.pageResult(unit, result, attempts.count);
    } catch (err) {
      if (err instanceof BrokenCircuitError) return this.waits.degrade(unit);
      // Retries gave up. A page with a stored text layer keeps it; a page with no text cannot be done.
      if (unit.fallbackStored) return this.giveUpOcr(unit);
      this.quarantine(unit.doc, 'ocr-failed', { pageNo: unit.pageNo, ...failureDetail(err) });
    }
  }

  private pageResult(unit: PageUnit, result: Settled, attempts: number): void {
    if (unit.doc.failed) return;
    if (!result.ok) return this.quarantine(unit.doc, result.code, { pageNo: unit.pageNo, message: result.message, ...figuresPayload(result.figures) });
    if (result.kind !== 'page') throw new Error('page task answered with a plan');
    failpoint('job.before-complete');
    this.setLane(unit.doc, recordPage(this.ctx.db, this.ctx.clock, unit.doc.job, result, attempts, 'done'));
    this.pageFinished(unit.doc);
  }

  private giveUpOcr(unit: PageUnit): void {
    keepFallback(this.ctx.db, this.ctx.clock, unit.doc.job, unit.pageNo);
    this.pageFinished(unit.doc);
  }

  private setLane(doc: Doc, lane: Lane): void {
    if (lane !== doc.lane) this.raised.set(doc.job.sha256, lane);
    doc.lane = lane;
  }

  private pageFinished(doc: Doc): void {
    this.stats.pagesDone++;
    doc.outstanding--;
    if (doc.outstanding === 0) this.finishDocument(doc);
  }

  private finishDocument(doc: Doc): void {
    if (doc.failed) return;
    completeJob(this.ctx.db, this.ctx.clock, doc.job, this.ctx.owner, pageSummary(this.ctx.db, doc.job.documentId));
    failpoint('job.after-complete');
    this.docs.delete(doc.job.documentId);
    this.stats.docsDone++;
  }

  private quarantine(doc: Doc, code: ReasonCode, detail: Record<string, unknown>): void {
    if (doc.failed) return;
    doc.failed = true;
    quarantineJob(this.ctx.db, this.ctx.clock, doc.job, this.ctx.owner, code, detail);
    this.docs.delete(doc.job.documentId);
    this.stats.docsDone++;
  }

  private breakerEvent(type: 'breaker.opened' | 'breaker.half-open' | 'breaker.closed', state: ExtractProgress['breaker']): void {
    this.breakerState = state;
    appendEvent(this.ctx.db, this.ctx.clock, {
      traceId: this.lastTraceId || '00000000-0000-0000-0000-000000000000',
      type,
      payload: {
        halfOpenAfterMs: this.opts.halfOpenAfterMs,
        consecutiveFailures: this.opts.breakerFailures,
        lastFailure: this.lastFailure,
        processRssMb: Math.round(process.memoryUsage.rss() / 1e6),
      },
    });
  }
}

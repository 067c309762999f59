import {
  BrokenCircuitError,
  ConsecutiveBreaker,
  TaskCancelledError,
  ExponentialBackoff,
  TimeoutStrategy,
  circuitBreaker,
  handleWhen,
  retry,
  timeout,
  wrap,
  type CircuitBreakerPolicy,
} from 'cockatiel';
import type { ProcessingFigures } from '../../shared/types.js';
import type { Db } from '../store/db.js';
import type { Clock } from '../clock.js';
import type { ReasonCode } from '../../shared/reason-codes.js';
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
  type LeasedJob,
  type LeaseOwner,
  type Urgency,
} from '../queue/index.js';
import type { LanePools } from '../pool/index.js';
import { LANE_RANK, type Lane } from '../sensitive/detect.js';
import type { AgencyTerm } from '../sensitive/terms.js';
import type { Backpressure } from '../pool/index.js';
import { performance } from 'node:perf_hooks';
import type { ExtractResult, ExtractTask } from '../extract/index.js';
import { figuresPayload, pageSummary, pagesToRun, recordPage, recordPlan } from './page-store.js';

/** Resilience settings; defaults suit tesseract on these machines (a dense page takes ~5 s). */
export type ResilienceOptions = {
  /** Per task, ms; a task over it is aborted and its thread replaced. Default 120,000. */
  pageTimeoutMs: number;
  /** Attempts per page, the first included. Default 3. */
  maxAttempts: number;
  /** First retry delay, ms (exponential, decorrelated jitter). Default 250. */
  initialDelayMs: number;
  maxDelayMs: number;
  /** Consecutive OCR failures that open the breaker. Default 5. */
  breakerFailures: number;
  /** Open time before one probe is let through, ms. Default 15,000. */
  halfOpenAfterMs: number;
  /** Probe rounds a page without any text may wait through before it is quarantined. Default 4. */
  maxParkRounds: number;
};

/** Defaults for {@link ResilienceOptions}. */
export const DEFAULT_RESILIENCE: ResilienceOptions = {
  pageTimeoutMs: 120_000,
  maxAttempts: 3,
  initialDelayMs: 250,
  maxDelayMs: 10_000,
  breakerFailures: 5,
  halfOpenAfterMs: 15_000,
  maxParkRounds: 4,
};

/** Live figures of text extraction (the shared {@link ProcessingFigures}). */
export type ExtractProgress = ProcessingFigures;

type Doc = { job: LeasedJob; outstanding: number; failed: boolean; lane: Lane };
type Unit = { doc: Doc; kind: 'plan' } | { doc: Doc; kind: 'page'; pageNo: number; mode: 'auto' | 'ocr'; fallbackStored: boolean; parkRounds: number };
type PageUnit = Extract<Unit, { kind: 'page' }>;

/** Why one attempt failed: a reason code from the thread, or the thread was lost. */
type FailureCode = ReasonCode | 'timeout' | 'worker-crashed' | 'thread-retired';

/** A task result that is final: a success, or bad input no retry can help. */
type Settled = Exclude<ExtractResult, { code: 'thread-retired' }>;

/** A task result that says the attempt failed in a way another attempt may not (engine error, crash). */
class TransientExtractFailure extends Error {
  constructor(
    readonly code: FailureCode,
    message: string,
    /** Resource figures for the ledger: the thread's own, or the process's when the thread was lost. */
    readonly figures: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'TransientExtractFailure';
  }
}

const isTransient = (err: unknown): boolean => !(err instanceof BrokenCircuitError);

/** The failure code of what a policy threw: cockatiel's own timeout rejects with TaskCancelledError. */
const failureCode = (err: unknown): FailureCode | 'unknown' =>
  err instanceof TransientExtractFailure ? err.code : err instanceof TaskCancelledError ? 'timeout' : 'unknown';

/**
 * Feeds the pool from the durable queue. Leases a document only when a slot is free and no page of an
 * already leased document is waiting; plans it (page count) in a thread, then spreads its pages over the
 * pool one task per page. Every page runs through retry (exponential backoff with jitter) → circuit
 * breaker → timeout. While the breaker is open, a PDF page degrades to its text layer (`fallback`, redone
 * by OCR once the breaker closes) and a page without one waits for the half-open probe: timers and events,
 * never a busy loop. Outcomes and their ledger events commit together.
 */
export class ExtractDispatcher {
  private readonly docs = new Map<number, Doc>();
  private ready: Unit[] = [];
  private parked: PageUnit[] = [];
  private awaitingOcr: PageUnit[] = [];
  private readonly breaker: CircuitBreakerPolicy;
  private breakerState: ExtractProgress['breaker'] = 'closed';
  private probeTimer: NodeJS.Timeout | null = null;
  private wake: (() => void) | null = null;
  private pending = false;
  private lastTraceId = '';
  private lastFailure: Record<string, unknown> = {};
  private readonly started = Date.now();
  private readonly stats = { docsDone: 0, pagesDone: 0, pagesTotal: 0 };
  private readonly opts: ResilienceOptions;

  constructor(
    private readonly ctx: { db: Db; clock: Clock; owner: LeaseOwner; leaseTtlMs: number; urgency?: () => Urgency },
    private readonly pool: LanePools,
    options: Partial<ResilienceOptions> & { backpressure?: Backpressure; onProgress?: (p: ExtractProgress) => void } = {},
  ) {
    this.opts = { ...DEFAULT_RESILIENCE, ...options };
    this.terms = ctx.db.prepare('SELECT term, statute FROM agency_terms ORDER BY term').all() as AgencyTerm[];
    for (const t of this.terms) if (t.statute === null) delete t.statute;
    this.backpressure = options.backpressure;
    this.onProgress = options.onProgress;
    // A retired thread says nothing about the OCR engine's health.
    const engineFailure = handleWhen((err) => !(err instanceof TransientExtractFailure && err.code === 'thread-retired'));
    this.breaker = circuitBreaker(engineFailure, { halfOpenAfter: this.opts.halfOpenAfterMs, breaker: new ConsecutiveBreaker(this.opts.breakerFailures) });
    this.breaker.onBreak(() => this.onBreakerOpen());
    this.breaker.onHalfOpen(() => this.breakerEvent('breaker.half-open', 'half-open'));
    this.breaker.onReset(() => this.onBreakerClosed());
  }

  private readonly backpressure: Backpressure | undefined;
  private readonly onProgress: ((p: ExtractProgress) => void) | undefined;

  private stopping = false;

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
        while (running.size < this.pool.threads && !this.stopping) {
          const unit = this.nextUnit();
          if (!unit) break;
          const p: Promise<void> = this.execute(unit).finally(() => {
            running.delete(p);
            this.notify();
          });
          running.add(p);
        }
        this.report(running.size);
        const waitingOnBreaker = this.parked.length + this.awaitingOcr.length > 0;
        if (this.stopping && running.size === 0) {
          releaseLeases(this.ctx.db, this.ctx.clock, this.ctx.owner);
          break;
        }
        if (running.size === 0 && !waitingOnBreaker && this.ready.length === 0 && intakeFinished && !this.queueHasWork()) break;
        if (!this.pending) await new Promise<void>((resolve) => (this.wake = resolve));
        this.wake = null;
      }
    } finally {
      clearInterval(heartbeat);
      if (this.probeTimer) clearTimeout(this.probeTimer);
      this.probeTimer = null;
      this.report(0);
    }
  }

  private queueHasWork(): boolean {
    return hasRunnableJob(this.ctx.db);
  }

  private queueDepth(): number {
    return runnableJobCount(this.ctx.db);
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
      queueDepth: this.queueDepth(),
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
      const { lane, planned } = this.ctx.db.prepare('SELECT lane, page_count AS planned FROM documents WHERE id = ?').get(job.documentId) as {
        lane: Lane;
        planned: number | null;
      };
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

  /** Documents whose lane was raised during this run, by SHA-256. */
  private readonly raised = new Map<string, Lane>();

  /** The agency's term list, read when the run starts. */
  private readonly terms: AgencyTerm[];

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

  private retryPolicy(unit: Unit) {
    const policy = retry(handleWhen(isTransient), {
      maxAttempts: this.opts.maxAttempts - 1,
      backoff: new ExponentialBackoff({ initialDelay: this.opts.initialDelayMs, maxDelay: this.opts.maxDelayMs }),
    });
    policy.onRetry((reason) => {
      const error = 'error' in reason ? reason.error : null;
      appendEvent(this.ctx.db, this.ctx.clock, {
        traceId: unit.doc.job.traceId,
        type: 'page.retry',
        payload: {
          documentId: unit.doc.job.documentId,
          pageNo: unit.kind === 'page' ? unit.pageNo : null,
          attempt: reason.attempt,
          delayMs: Math.round(reason.delay),
          code: failureCode(error),
          ...(error instanceof TransientExtractFailure ? error.figures : {}),
        },
      });
    });
    return policy;
  }

  private async execute(unit: Unit): Promise<void> {
    const timeoutPolicy = timeout(this.opts.pageTimeoutMs, TimeoutStrategy.Aggressive);
    if (unit.kind === 'plan') {
      try {
        const result = await wrap(this.retryPolicy(unit), timeoutPolicy).execute(({ signal }) => this.attempt(unit.doc.lane, this.task(unit), signal));
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
        const code =
          err instanceof TransientExtractFailure && err.code !== 'timeout' && err.code !== 'worker-crashed' && err.code !== 'thread-retired'
            ? err.code
            : 'processing-error';
        this.quarantine(unit.doc, code, {
          message: err instanceof Error ? err.message : String(err),
          lastCode: failureCode(err),
          ...(err instanceof TransientExtractFailure ? err.figures : {}),
        });
      }
      return;
    }
    const retries = { count: 0 };
    try {
      const policy = wrap(this.retryPolicy(unit), this.breaker, timeoutPolicy);
      const result = await policy.execute(({ signal }) => {
        retries.count++;
        return this.attempt(unit.doc.lane, this.task(unit), signal);
      });
      this.pageResult(unit, result, retries.count);
    } catch (err) {
      if (err instanceof BrokenCircuitError) return this.degrade(unit);
      // Retries gave up. A page with a stored text layer keeps it; a page with no text cannot be done.
      if (unit.fallbackStored) return this.giveUpOcr(unit);
      this.quarantine(unit.doc, 'ocr-failed', {
        pageNo: unit.pageNo,
        message: err instanceof Error ? err.message : String(err),
        lastCode: failureCode(err),
        ...(err instanceof TransientExtractFailure ? err.figures : {}),
      });
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

  /** Breaker open: use the text layer now (re-OCR later), or wait for the probe when there is none. */
  private async degrade(unit: PageUnit): Promise<void> {
    if (unit.fallbackStored) {
      // Its layer is stored already; wait for the breaker to close, but not through every probe forever.
      if (unit.parkRounds >= this.opts.maxParkRounds) return this.giveUpOcr(unit);
      this.awaitingOcr.push({ ...unit, parkRounds: unit.parkRounds + 1 });
      return;
    }
    let result: ExtractResult;
    try {
      result = await this.pool.run(unit.doc.lane, this.task(unit, 'no-ocr'), AbortSignal.timeout(this.opts.pageTimeoutMs));
    } catch {
      return this.park(unit);
    }
    if (unit.doc.failed) return;
    if (!result.ok) {
      if (result.hard) return this.quarantine(unit.doc, result.code, { pageNo: unit.pageNo, message: result.message });
      return this.park(unit);
    }
    if (result.kind !== 'page') return;
    if (result.method === 'text-layer') {
      this.setLane(unit.doc, recordPage(this.ctx.db, this.ctx.clock, unit.doc.job, result, 1, 'done'));
      return this.pageFinished(unit.doc);
    }
    if (result.text.trim() === '') return this.park(unit);
    this.setLane(unit.doc, recordPage(this.ctx.db, this.ctx.clock, unit.doc.job, result, 1, 'fallback'));
    this.awaitingOcr.push({ ...unit, mode: 'ocr', fallbackStored: true });
  }

  private park(unit: PageUnit): void {
    if (unit.parkRounds >= this.opts.maxParkRounds) {
      return this.quarantine(unit.doc, 'ocr-failed', { pageNo: unit.pageNo, message: 'the OCR engine stayed unavailable (circuit open)' });
    }
    this.parked.push({ ...unit, parkRounds: unit.parkRounds + 1 });
  }

  private giveUpOcr(unit: PageUnit): void {
    appendEvent(this.ctx.db, this.ctx.clock, {
      traceId: unit.doc.job.traceId,
      type: 'page.ocr-gave-up',
      payload: { documentId: unit.doc.job.documentId, pageNo: unit.pageNo, kept: 'fallback' },
    });
    this.ctx.db.prepare(`UPDATE pages SET state = 'done' WHERE document_id = ? AND page_no = ?`).run(unit.doc.job.documentId, unit.pageNo);
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

  private breakerEvent(type: string, state: ExtractProgress['breaker']): void {
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

  private onBreakerOpen(): void {
    this.breakerEvent('breaker.opened', 'open');
    // After the open period, let exactly one waiting page through as the probe.
    if (this.probeTimer) clearTimeout(this.probeTimer);
    this.probeTimer = setTimeout(() => {
      this.probeTimer = null;
      const probe = this.parked.shift() ?? this.awaitingOcr.shift();
      if (probe) this.ready.unshift(probe);
      this.notify();
    }, this.opts.halfOpenAfterMs + 10);
  }

  private onBreakerClosed(): void {
    this.breakerEvent('breaker.closed', 'closed');
    if (this.probeTimer) clearTimeout(this.probeTimer);
    this.probeTimer = null;
    for (const unit of this.awaitingOcr.splice(0)) {
      appendEvent(this.ctx.db, this.ctx.clock, {
        traceId: unit.doc.job.traceId,
        type: 'page.requeued-for-ocr',
        payload: { documentId: unit.doc.job.documentId, pageNo: unit.pageNo },
      });
      this.ready.push(unit);
    }
    this.ready.push(...this.parked.splice(0));
    this.notify();
  }
}

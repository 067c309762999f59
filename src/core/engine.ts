import { createHash, randomUUID } from 'node:crypto';
import { lstat } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import type {
  BatchOverview,
  DocumentSummary,
  Finding,
  IngestSummary,
  JobCounts,
  LedgerEntry,
  LedgerVerifyResult,
  DocumentReview,
  PageBox,
  PageImage,
  PageText,
  RequestSummary,
  ResumeSummary,
  SearchResult,
} from '../shared/types.js';
import { CIPHER_PRAGMAS, databaseKey, documentRef, keyFileStore, openDatabase, type Db, type DbKeyStore } from './store/index.js';
import { systemClock, type Clock } from './clock.js';
import { EngineError, errnoCode, requireReason } from './errors.js';
import { distFile } from './package-paths.js';
import { failpoint } from './failpoints.js';
import { appendEvent, tailLedger } from './ledger/index.js';
import {
  batchOverviews,
  batchSummary,
  createBatch,
  getBatch,
  listDocuments,
  resumeStrandedWalks,
  walkBatch,
  type Batch,
  type IntakeProgress,
  type WalkOptions,
} from './intake/index.js';
import {
  continueBatch,
  hasRunnableJob,
  holdBatch,
  jobCounts,
  newLeaseOwner,
  reclaimLeases,
  runnableJobCount,
  type BatchHold,
  type LeaseOwner,
} from './queue/index.js';
import { listQuarantine, releaseQuarantine, retryQuarantine, type QuarantineActionResult, type QuarantineRecord } from './quarantine/index.js';
import {
  Backpressure,
  ExtractPool,
  LanePools,
  WORKER_FOOTPRINT_MB,
  choosePoolSize,
  defaultMemoryBudget,
  heapLimits,
  MemoryGovernor,
  systemTelemetry,
  type MemoryBudget,
  type MemoryTelemetry,
  hostThreadCount,
  type HeapLimits,
  type PoolSize,
} from './pool/index.js';
import { RenderCache, RenderPool, renderDocumentPage } from './render/index.js';
import { exportRelease, searchablePdf, type ReleaseOptions, type ReleaseResult, type SearchablePdfResult } from './release/index.js';
import {
  documentReview,
  drawBox,
  finishReview,
  redactFindings,
  releaseFindings,
  releasePage,
  reopenReview,
  withholdPage,
  type ReviewDeps,
} from './review/index.js';
import {
  exportReport,
  findingCountsByDocument,
  listCheckpoints,
  loadSigningKey,
  rotateKey,
  signCheckpoint,
  sealCompletedBatches,
  adoptCheckpointRows,
  headIsCheckpoint,
  verifyAgainstReport,
  verifyLedger,
  verifyLedgerInThread,
  verifyReport,
  type ReportFacts,
  type ReportScope,
  type ReportVerdict,
  type SigningKey,
  type TrustedKeys,
} from './audit/index.js';
import {
  LANE_RANK,
  addTerm,
  exportRedaction,
  findingKey,
  forgetStoredFindingKey,
  listFindings,
  listTerms,
  removeTerm,
  setLane,
  type Lane,
  type RedactionExport,
} from './sensitive/index.js';
import { defaultLangPath, defaultPdfAssetsDir, type OcrLanguages, type WorkerConfig } from './extract/index.js';
import { createBackup, type BackupResult } from './backup/index.js';
import { searchPages, type SearchOptions } from './search/index.js';
import { BackgroundShipper, shipTarget } from './ship/index.js';
import {
  ExtractDispatcher,
  documentText,
  ocrLanguages,
  readDocumentText,
  setOcrLanguages,
  type ExtractProgress,
  type ResilienceOptions,
} from './dispatch/index.js';
import {
  DeadlineBook,
  addClosureDay,
  addRequest,
  closeRequest,
  deadlineReport,
  extendRequest,
  listClosureDays,
  listRequests,
  localDateOf,
  requestSummary,
  resumeRequest,
  tollRequest,
  sweepDeadlines,
  openEscalations,
  acknowledgeEscalation,
  officeSupervisor,
  setOfficeSupervisor,
  setRequestSupervisor,
  type DeadlineRow,
  type Jurisdiction,
  type OpenEscalation,
  type SweepResult,
  addResponsive,
  removeResponsive,
  responsiveDocuments,
  type ResponsiveVia,
} from './deadlines/index.js';

/** Progress the engine reports while it works. */
export type EngineProgress = ({ phase: 'hashing' } & IntakeProgress) | ({ phase: 'processing' } & ExtractProgress);

/** How to open an engine. */
export type EngineOptions = {
  /** Folder holding custodian.db; created if missing. */
  dataDir: string;
  clock?: Clock;
  /** How long a job lease lasts without renewal, ms. Default 60,000. */
  leaseTtlMs?: number;
  /** Pool threads (`--workers N`); default from cores and memory. */
  workers?: number | null;
  /** Module exporting `createOcrAdapter`; default the tesseract.js adapter. Tests inject faults through it. */
  ocrAdapterModule?: string;
  /** Piscina entry file; default `dist/workers/extract-entry.cjs` (a CommonJS shim over extract-worker.js). The Electron build passes its own. */
  workerFile?: string;
  /** Render pool's entry file; default `dist/workers/render-entry.cjs`. The Electron build passes its own. */
  renderWorkerFile?: string;
  /** The ledger check's worker-thread entry (see `audit.verifyLedgerOffThread`); default `dist/workers/verify-worker.js`. */
  verifyWorkerFile?: string;
  /** Cap of the on-disk cache of public pages' display images, bytes. Default 256 MiB. */
  renderCacheBytes?: number;
  /**
   * How OCR reads scans: image scans above `downsampleAboveDpi` (default 400) at 300 DPI, pages with less
   * ink than `blankInk` (default 0.0005; negative: none) not at all, and a page that reads poorly once more
   * turned half round unless `orientation` is false. Benchmarks set them to compare.
   */
  ocrReading?: { downsampleAboveDpi?: number; blankInk?: number; orientation?: boolean };
  /** Largest page image given to OCR, pixels. Default 12,000,000 (Letter at 300 DPI is 8.4 MP). */
  maxPixels?: number;
  /** Memory readings the pages in flight follow (default: this process's RSS and the machine's available memory). */
  memoryTelemetry?: MemoryTelemetry;
  /** The memory budget they are held to; what is not given comes from {@link defaultMemoryBudget} of the pool's size. */
  memoryBudget?: Partial<MemoryBudget>;
  /** Intake pauses above `high` queued documents and goes on at `low`. Default 256 / 128. */
  queueWatermarks?: { high: number; low: number };
  resilience?: Partial<ResilienceOptions>;
  /** Folder of jurisdiction files; default resources/jurisdictions. */
  jurisdictionsDir?: string;
  /** false: take files in (hash, verify, register, queue) but leave extraction to a later `resume`. Default true. */
  extract?: boolean;
  onProgress?: (p: EngineProgress) => void;
  /** Where the database key is kept: the app passes its safeStorage store; default the CLI's key file. */
  dbKeys?: DbKeyStore;
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
  private readonly options: EngineOptions;
  private pool: LanePools | null = null;
  private renderPool: RenderPool | null = null;
  private renderCache: RenderCache | null = null;
  private book: DeadlineBook | null = null;
  private key: SigningKey | null = null;
  private poolSize: PoolSize | null = null;
  private readonly stopping = new AbortController();
  /** What opening fixed, for the operator (modes made owner-only, a plain database encrypted). */
  readonly notes: string[] = [];
  /** Where this data folder's database key is kept. */
  readonly dbKeys: DbKeyStore;
  private dispatcher: ExtractDispatcher | null = null;
  private shipper: BackgroundShipper | null = null;

  private constructor(options: EngineOptions) {
    this.dataDir = path.resolve(options.dataDir);
    this.dbKeys = options.dbKeys ?? keyFileStore(this.dataDir);
    let encrypted = false;
    this.db = openDatabase(this.dataDir, {
      keys: this.dbKeys,
      onNote: (n, what) => {
        this.notes.push(n);
        encrypted ||= what === 'encrypted';
      },
    });
    if (forgetStoredFindingKey(this.db)) this.notes.push('The findings key kept in the database was removed: it is now derived from the database key.');
    this.clock = options.clock ?? systemClock;
    // Checkpoints signed before they were also ledger events get their event, once.
    adoptCheckpointRows(this.db, this.clock);
    if (encrypted) appendEvent(this.db, this.clock, { traceId: randomUUID(), type: 'db.encrypted', payload: {} });
    this.owner = newLeaseOwner();
    this.options = options;
  }

  /** Opens (creating if needed) the data dir and database. @throws EngineError `data-dir-unusable` | `database-unusable`. */
  static open(options: EngineOptions): Engine {
    return new Engine(options);
  }

  /**
   * Takes in files and folders as one batch and extracts the text of what it registered, intake and
   * extraction running together. First finishes whatever an interrupted run left (see {@link resume}).
   * @throws EngineError `path-not-found` when a given path does not exist (nothing is recorded then).
   */
  async ingest(
    paths: string[],
    options: { requestId?: string | null; lane?: Lane | null; /** Called once the batch exists, before walking. */ onBatch?: (batchId: string) => void } = {},
  ): Promise<IngestSummary> {
    if (paths.length === 0) throw new EngineError('invalid-argument', 'Give at least one file or folder to ingest.');
    if (options.lane && !(options.lane in LANE_RANK))
      throw new EngineError('invalid-argument', `--lane must be public, pii or classified, not ${options.lane}.`);
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
    if (options.requestId) this.deadlines.request(options.requestId);
    const started = performance.now();
    let batch: Batch | undefined;
    await this.process(async (walkOptions) => {
      await this.recoverWalks(walkOptions);
      batch = createBatch(this.db, this.clock, roots, options.requestId ?? null, this.owner, options.lane ?? null);
      failpoint('batch.after-create');
      options.onBatch?.(batch.id);
      await walkBatch(this.db, this.clock, batch, walkOptions);
    });
    // The end of an ingest is a signed checkpoint (the run sealed the batch already if it finished it): its
    // history cannot be rewritten unnoticed from here on.
    if (!headIsCheckpoint(this.db)) signCheckpoint(this.db, this.clock, this.audit.signingKey(), 'batch');
    return batchSummary(this.db, getBatch(this.db, batch!.id)!, Math.round(performance.now() - started));
  }

  /** Finishes interrupted work: reclaims leases of dead runs, completes interrupted walks, runs every queued job. */
  async resume(): Promise<ResumeSummary> {
    const started = performance.now();
    const before = jobCounts(this.db);
    let recovered = { batches: 0, leases: 0 };
    await this.process(async (walkOptions) => {
      recovered = await this.recoverWalks(walkOptions);
    });
    const after = jobCounts(this.db);
    const jobs: JobCounts = {
      total: after.total - before.done - before.failed - before.quarantined,
      done: after.done - before.done,
      failed: after.failed - before.failed,
      quarantined: after.quarantined - before.quarantined,
      pending: after.pending,
    };
    return { batchesResumed: recovered.batches, leasesReclaimed: recovered.leases, jobs, durationMs: Math.round(performance.now() - started) };
  }

  /** Examining and repairing the database as an administrator: each act is on the ledger before it happens. */
  readonly admin = {
    /** The database key (hex), for another SQLCipher tool; `db.key-shown` first. @throws EngineError without a reason. */
    dbKey: (reason: string | undefined): { key: string; store: DbKeyStore['kind']; location: string; cipher: readonly string[] } => {
      appendEvent(this.db, this.clock, { traceId: randomUUID(), type: 'db.key-shown', payload: { reason: requireReason(reason) } });
      return { key: databaseKey(this.db).toString('hex'), store: this.dbKeys.kind, location: this.dbKeys.location, cipher: CIPHER_PRAGMAS };
    },
    /**
     * Runs SQL on the open database; `db.sql-run` (the statement's SHA-256 and length, not its text) first, so
     * what it changes is itself on the chain. @returns the rows of a query, or the changes of a statement.
     */
    sql: (reason: string | undefined, sql: string): { rows: unknown[] } | { changes: number } => {
      const why = requireReason(reason);
      appendEvent(this.db, this.clock, {
        traceId: randomUUID(),
        type: 'db.sql-run',
        payload: { reason: why, sqlSha256: createHash('sha256').update(sql).digest('hex'), length: sql.length },
      });
      const statement = this.db.prepare(sql);
      return statement.reader ? { rows: statement.all() } : { changes: statement.run().changes };
    },
  };

  /** Registered documents and their text. */
  readonly documents = {
    /** Registered documents (of one batch, with `batchId`). */
    list: (options: { batchId?: string } = {}): DocumentSummary[] => listDocuments(this.db, options),
    /** Extracted text of a document (by id or SHA-256), every page or one. @throws EngineError `not-found`. */
    text: (ref: string, pageNo?: number): PageText[] => documentText(this.db, ref, pageNo),
    /**
     * The text an operator reads (the app, `custodian text`), every page or one: a `pii` or `classified` document only with a reason, the viewing
     * recorded (`document.restricted-viewed`). @throws EngineError `refused` without a reason, `not-found`.
     */
    readText: (ref: string, restrictedReason?: string, pageNo?: number): PageText[] => readDocumentText(this.db, this.clock, ref, restrictedReason, pageNo),
    /**
     * One page drawn for display (PNG, longest side 1,600 px unless `width` is given) in a pool thread, with the
     * scale from stored boxes to its pixels; a restricted page only with a reason, recorded as for text.
     * @throws EngineError `not-found`, `refused`, `invalid-argument`, `file-unavailable`, `render-failed`.
     */
    renderPage: (ref: string, pageNo: number, options: { width?: number; reason?: string } = {}): Promise<PageImage> =>
      renderDocumentPage(
        {
          db: this.db,
          clock: this.clock,
          cache: (this.renderCache ??= new RenderCache(path.join(this.dataDir, 'render-cache'), this.options.renderCacheBytes)),
          pool: () =>
            (this.renderPool ??= new RenderPool({
              workerFile: this.options.renderWorkerFile ?? distFile('workers', 'render-entry.cjs'),
              workerConfig: { pdfAssetsDir: defaultPdfAssetsDir(), maxPixels: this.maxPixels() },
              heap: this.heapLimits('render'),
            })),
        },
        ref,
        pageNo,
        options,
      ),
  };

  /**
   * Review: an officer's decisions on a document's findings and pages (redact, release, boxes drawn by hand,
   * pages withheld), each a `review.decided` ledger event with box, code, operator and reason, never text;
   * and its state (`unreviewed`, `in-review`, `reviewed`). Codes come from the jurisdiction files of the
   * requests the document answers (federal when none).
   */
  readonly review = {
    /** Findings as review items (duplicates merged), suggested codes, boxes, withheld pages, every decision. @throws EngineError `not-found`. */
    show: (ref: string): DocumentReview => documentReview(this.reviewDeps(), ref),
    /** Redacts findings (or `'all'` still undecided), under `code` or each one's suggestion. */
    redact: (ref: string, ids: readonly number[] | 'all', options: { code?: string; reason?: string } = {}): DocumentReview =>
      redactFindings(this.reviewDeps(), ref, ids, options),
    /** Releases findings, with a reason. */
    release: (ref: string, ids: readonly number[], reason: string | undefined): DocumentReview => releaseFindings(this.reviewDeps(), ref, ids, reason),
    /** A box drawn by hand (page-image pixels) with its code. */
    box: (ref: string, pageNo: number, box: PageBox, code: string, reason?: string): DocumentReview =>
      drawBox(this.reviewDeps(), ref, pageNo, box, code, reason),
    /** Withholds a page in full, with a code and a reason. */
    withhold: (ref: string, pageNo: number, code: string, reason: string | undefined): DocumentReview =>
      withholdPage(this.reviewDeps(), ref, pageNo, code, reason),
    /** Releases a page as reviewed (the page decision a classified record needs on every page), with a reason. */
    releasePage: (ref: string, pageNo: number, reason: string | undefined): DocumentReview => releasePage(this.reviewDeps(), ref, pageNo, reason),
    /** Marks the document reviewed; refused while a finding has no decision. */
    done: (ref: string): DocumentReview => finishReview(this.reviewDeps(), ref),
    /** Reopens a reviewed document, with a reason. */
    reopen: (ref: string, reason: string | undefined): DocumentReview => reopenReview(this.reviewDeps(), ref, reason),
  };

  private reviewDeps(): ReviewDeps {
    return { db: this.db, clock: this.clock, jurisdiction: (code) => this.deadlines.jurisdiction(code) };
  }

  /** Releases: what a request's reviewed records become for the requester. */
  readonly releases = {
    /**
     * Writes a signed release folder for a request's responsive documents (see `custodian release export`):
     * pages drawn with their redactions burned in, in a pool of its own (one thread per core, closed after).
     */
    export: async (options: ReleaseOptions): Promise<ReleaseResult> => {
      const pool = new RenderPool({
        workerFile: this.options.renderWorkerFile ?? distFile('workers', 'render-entry.cjs'),
        workerConfig: { pdfAssetsDir: defaultPdfAssetsDir(), maxPixels: this.maxPixels() },
        threads: choosePoolSize(this.options.workers ?? null).threads,
        heap: this.heapLimits('render'),
      });
      try {
        return await exportRelease(
          { db: this.db, clock: this.clock, review: this.reviewDeps(), key: this.audit.signingKey(), verify: () => this.audit.verifyLedger(), pool },
          options,
        );
      } finally {
        await pool.destroy();
      }
    },
  };

  /**
   * Exports for the archive: the original document with Custodian's OCR text layer (a searchable PDF).
   * @see searchablePdf
   */
  readonly exports = {
    searchablePdf: (ref: string, reason?: string): Promise<SearchablePdfResult> => searchablePdf(this.db, this.clock, ref, reason),
  };

  /** OCR settings of the office. */
  readonly ocr = {
    /** The OCR languages pages are read with (`eng`, the default, or `eng+spa`). */
    languages: (): OcrLanguages => ocrLanguages(this.db),
    /** Sets them for the runs from now on (on the ledger). @throws EngineError `invalid-argument`. */
    setLanguages: (value: string): OcrLanguages => setOcrLanguages(this.db, this.clock, value),
  };

  /** Full-text search over every page's extracted text. */
  readonly search = {
    /**
     * Pages matching an officer's query, best first; restricted hits without a snippet unless a reason is
     * given (each such document shown is then on the ledger). @throws EngineError `invalid-query`, `not-found`.
     */
    pages: (options: SearchOptions): SearchResult => searchPages(this.db, this.clock, options),
  };

  /** Batches: their overview and the operator's holds. */
  readonly batches = {
    /** The newest batches (default 50), newest first, with intake counts, progress, lanes and holds. */
    list: (options: { limit?: number; batchId?: string } = {}): BatchOverview[] => batchOverviews(this.db, options),
    /**
     * Pauses or cancels a batch: its queued documents are not leased (pages already running finish); both are
     * undone by `continue`. @throws EngineError `not-found` | `invalid-state` (batch already done).
     */
    hold: (batchId: string, hold: BatchHold, reason?: string): { queued: number } => holdBatch(this.db, this.clock, batchId, hold, reason),
    /** Lifts a batch's pause or cancel; a later {@link Engine.resume} (or the run in progress) processes its queued documents. */
    continue: (batchId: string): { queued: number } => continueBatch(this.db, this.clock, batchId),
    /** Whether queued work of batches not on hold is waiting for a run. */
    hasRunnableWork: (): boolean => hasRunnableJob(this.db),
  };

  /** Quarantine items and the operator's decisions on them. */
  readonly quarantine = {
    /** Held quarantine items (or all, with `all`). */
    list: (options: { all?: boolean; batchId?: string } = {}): QuarantineRecord[] => listQuarantine(this.db, options),
    /**
     * Retries a quarantine item, then runs any job it queued (with `run: false` the job stays queued for the
     * run in progress or the next {@link Engine.resume}).
     */
    retry: async (id: number, options: { run?: boolean } = {}): Promise<QuarantineActionResult> => {
      const result = await retryQuarantine(this.db, this.clock, id);
      if (options.run !== false) await this.process(async () => undefined);
      return result;
    },
    /** Releases a quarantine item on the operator's reason, then runs any job it queued (`run: false`: see `retry`). */
    release: async (id: number, reason: string, options: { run?: boolean } = {}): Promise<QuarantineActionResult> => {
      const result = await releaseQuarantine(this.db, this.clock, id, reason);
      if (options.run !== false) await this.process(async () => undefined);
      return result;
    },
  };

  /** The audit trail: the ledger, the signing key, signed checkpoints and reports. */
  readonly audit = {
    /** Checks the whole hash chain, every signed checkpoint and every key rotation's endorsement. */
    verifyLedger: (): LedgerVerifyResult => verifyLedger(this.db, this.dataDir, () => this.audit.signingKey()),
    /**
     * The same check in a worker thread on a snapshot of its own, for the app: its other calls are answered
     * meanwhile. @throws EngineError when the thread could not judge the ledger.
     */
    verifyLedgerOffThread: (): Promise<LedgerVerifyResult> =>
      verifyLedgerInThread(this.options.verifyWorkerFile ?? distFile('workers', 'verify-worker.js'), { dataDir: this.dataDir, key: databaseKey(this.db) }),
    /** The workstation's Ed25519 signing key, created in the data dir on first use. */
    signingKey: (): SigningKey => (this.key ??= loadSigningKey(this.dataDir)),
    /** What opening the signing key fixed (files readable by others made owner-only), if it was opened; for the face to say once. */
    keyNote: (): string | undefined => this.key?.note,
    /**
     * Replaces the signing key. The `key.rotated` ledger event carries the new public key endorsed by the old
     * key's signature; the old public key is kept so earlier checkpoints still verify.
     */
    rotateKey: (reason: string | undefined): { oldFingerprint: string; newFingerprint: string } => {
      const { old, next } = rotateKey(this.db, this.clock, this.dataDir, reason);
      this.key = next;
      return { oldFingerprint: old.fingerprint, newFingerprint: next.fingerprint };
    },
    /** Writes a signed report folder into `outDir` (see `custodian report export`). */
    exportReport: async (scope: ReportScope, outDir: string): Promise<{ dir: string; facts: ReportFacts }> =>
      exportReport(
        this.db,
        this.clock,
        this.audit.signingKey(),
        scope,
        {
          verify: () => this.audit.verifyLedger(),
          gather: () => ({
            documents: this.documents.list(),
            quarantine: this.quarantine.list({ all: true }),
            deadlines: this.requests.deadlineReport(),
            findingsByDocument: findingCountsByDocument(this.db),
            openEscalations: openEscalations(this.db),
          }),
        },
        outDir,
      ),
    /** Writes a signed backup folder, the signing key sealed under `passphrase`, into `outDir` (see `custodian backup`). */
    backup: async (passphrase: string, outDir: string): Promise<BackupResult> =>
      createBackup(this.db, this.clock, this.dataDir, this.audit.signingKey(), passphrase, outDir),
    /** Checks a report folder on its own (signature, manifest, every file). */
    verifyReport: (dir: string, trusted?: TrustedKeys): ReportVerdict => verifyReport(dir, trusted),
    /** Proves this ledger still holds, unchanged, the head a report recorded. */
    verifyAgainstReport: (dir: string): ReturnType<typeof verifyAgainstReport> =>
      verifyAgainstReport(this.db, this.dataDir, () => this.audit.signingKey(), dir),
    /** Signed checkpoints of the ledger, oldest first. */
    checkpoints: (): { seq: number; hash: string; ts: string; reason: string; fingerprint: string }[] =>
      listCheckpoints(this.db).map(({ seq, hash, ts, reason, fingerprint }) => ({ seq, hash, ts, reason, fingerprint })),
    /** The newest `n` ledger entries, oldest first. */
    tailLedger: (n: number): LedgerEntry[] => tailLedger(this.db, n),
  };

  /** Deadlines: jurisdictions, calendars and request clocks (loaded on first use). */
  get deadlines(): DeadlineBook {
    this.book ??= new DeadlineBook(this.db, this.options.jurisdictionsDir);
    return this.book;
  }

  /** Records requests and their statutory clocks. Each change returns the request with its clock today. */
  readonly requests = {
    /** The jurisdictions Custodian knows, from their data files. */
    jurisdictions: (): Jurisdiction[] => [...this.deadlines.jurisdictions.values()],
    /** Registers a records request. @throws EngineError for a bad id, jurisdiction or date, or an existing id. */
    add: (input: { id: string; jurisdiction: string; received: string; title?: string; supervisor?: string }): RequestSummary => {
      addRequest(this.db, this.clock, this.deadlines, input);
      if (input.supervisor) setRequestSupervisor(this.db, this.clock, input.id.trim(), input.supervisor);
      return this.requestSummary(input.id.trim());
    },
    /** Every request with its clock today (closed ones included). */
    list: (): RequestSummary[] => listRequests(this.db, this.clock, this.deadlines),
    /** Adds documents (ids or SHA-256) to a request's responsive set (`request.documents-added`). @throws EngineError `not-found`. */
    addDocuments: (id: string, refs: readonly (string | number)[], via: ResponsiveVia = 'operator'): { added: number; already: number } =>
      addResponsive(this.db, this.clock, id, refs, via),
    /** Takes documents out of a request's responsive set, with a reason (`request.documents-removed`). */
    removeDocuments: (id: string, refs: readonly (string | number)[], reason: string | undefined): { removed: number; notInSet: number } =>
      removeResponsive(this.db, this.clock, id, refs, reason),
    /** Ids of the documents responsive to a request. @throws EngineError `not-found`. */
    documents: (id: string): number[] => responsiveDocuments(this.db, id),
    /** Stops a request's clock (see `custodian request toll`). */
    toll: (id: string, input: { from: string; to?: string; basis?: string; reason?: string }): RequestSummary => {
      tollRequest(this.db, this.clock, this.deadlines, id, input);
      return this.requestSummary(id);
    },
    /** Restarts a tolled clock on the day the answer arrived. */
    resume: (id: string, on: string): RequestSummary => {
      resumeRequest(this.db, this.clock, this.deadlines, id, on);
      return this.requestSummary(id);
    },
    /** Extends a request's period within the jurisdiction's limit. */
    extend: (id: string, input: { days: number; reason?: string }): RequestSummary => {
      extendRequest(this.db, this.clock, this.deadlines, id, input);
      return this.requestSummary(id);
    },
    /** Closes a request on the day it was answered. */
    close: (id: string, on: string): RequestSummary => {
      closeRequest(this.db, this.clock, this.deadlines, id, on);
      return this.requestSummary(id);
    },
    /** Declares an agency closure day for a jurisdiction; open clocks are recomputed with it. */
    addClosureDay: (input: { jurisdiction: string; date: string; reason?: string }): void => addClosureDay(this.db, this.clock, this.deadlines, input),
    /** Closure days the agency declared. */
    closureDays: (): { jurisdiction: string; date: string; reason: string }[] => listClosureDays(this.db),
    /**
     * Open requests with their clocks on `asOf` (default today: then crossings into at-risk or overdue are
     * written to the ledger, once each), most urgent first.
     */
    deadlineReport: (options: { asOf?: string } = {}): DeadlineRow[] =>
      deadlineReport(this.db, this.clock, this.deadlines, { asOf: options.asOf, threads: this.threadsForPace() }),
    /** One sweep on the real clock: every crossing since the last look written to the ledger once, whoever sweeps. */
    sweep: (): SweepResult => sweepDeadlines(this.db, this.clock, this.deadlines, this.threadsForPace()),
    /** Escalations waiting for a person, overdue first. */
    escalations: (): OpenEscalation[] => openEscalations(this.db),
    /** A person acknowledges a request's escalation with a note (ledger `deadline.acknowledged`). */
    acknowledge: (id: string, note: string): OpenEscalation => {
      this.deadlines.request(id);
      return acknowledgeEscalation(this.db, this.clock, id, note);
    },
    /** Names who a request's escalations go to (null: the office's supervisor). */
    setSupervisor: (id: string, name: string | null): string | null => {
      this.deadlines.request(id);
      return setRequestSupervisor(this.db, this.clock, id, name);
    },
    /** The office's default supervisor. */
    officeSupervisor: (): string | null => officeSupervisor(this.db),
    /** Sets (null: clears) the office's default supervisor. */
    setOfficeSupervisor: (name: string | null): string | null => setOfficeSupervisor(this.db, this.clock, name),
  };

  /** Extraction threads per lane: the pool's, or what it would be (the measured page pace is scaled by it). */
  private threadsForPace(): number {
    return this.poolSize?.threads ?? choosePoolSize(this.options.workers ?? null).threads;
  }

  private requestSummary(id: string): RequestSummary {
    return requestSummary(this.db, this.clock, this.deadlines, id);
  }

  /** Sensitive content: findings, lanes, the agency's terms, redaction worklists. */
  readonly sensitive = {
    /** A document's findings (types, pages, boxes, confidences, exemptions; never the text). */
    findings: (ref: string): Finding[] => listFindings(this.db, documentRef(this.db, ref).id),
    /** Sets a document's lane on an operator's decision, with the reason in the ledger. */
    setLane: (ref: string, lane: string, reason: string | undefined): { documentId: number; from: Lane; to: Lane } =>
      setLane(this.db, this.clock, ref, lane, reason),
    /** Writes the redaction worklists of a batch's or a request's flagged documents into `outDir`. */
    exportRedaction: (scope: { batchId?: string; requestId?: string }, outDir: string): RedactionExport => exportRedaction(this.db, this.clock, scope, outDir),
    /** The agency's term list. */
    terms: (): { term: string; statute: string | null }[] => listTerms(this.db),
    /** Adds an agency term (with the statute that withholds it, if any); applies to pages extracted from now on. */
    addTerm: (term: string, statute?: string): void => addTerm(this.db, this.clock, term, statute),
    /** Removes an agency term. */
    removeTerm: (term: string): void => removeTerm(this.db, this.clock, term),
  };

  /** The pool size in use (after the first processing), or null. */
  get workers(): PoolSize | null {
    return this.poolSize;
  }

  /**
   * Asks the run in progress to end soon (an app quitting): the walk stops at the next file, no new page
   * starts, pages already running finish and are stored, and what is unfinished goes back to the queue for the
   * next {@link resume}. The `ingest` or `resume` call then returns.
   */
  requestStop(): void {
    this.stopping.abort();
    this.dispatcher?.stop();
  }

  /** Stops the pool threads and closes the database. */
  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = null;
    await pool?.destroy();
    const renderPool = this.renderPool;
    this.renderPool = null;
    await renderPool?.destroy();
    // What this run wrote goes to the collector before the database closes (a down collector is retried next time).
    await this.shipper?.stop();
    this.shipper = null;
    this.db.close();
  }

  /**
   * Ships the ledger to the configured syslog collector in the background until {@link close} (no-op, and
   * no socket, when none is configured). Ingest and resume start it; the app starts it at open.
   */
  startShipping(): void {
    if (this.shipper || !shipTarget(this.db)) return;
    this.shipper = new BackgroundShipper(this.db, this.clock);
    this.shipper.start();
  }

  /** Largest page image OCR is given, pixels (page boxes are in this space). */
  private maxPixels(): number {
    return this.options.maxPixels ?? 12_000_000;
  }

  /** What extraction is held to: the options' budget, the rest from the pool's size. */
  private memoryBudget(size: PoolSize): MemoryBudget {
    return { ...defaultMemoryBudget(size.threads, WORKER_FOOTPRINT_MB, size.budgetMb, size.totalMemMb), ...this.options.memoryBudget };
  }

  /** A pool thread's V8 heap limits: under Electron a share of the one cage every thread of this process uses. */
  private heapLimits(kind: 'extract' | 'render'): HeapLimits {
    return heapLimits(kind, hostThreadCount(this.threadsForPace()));
  }

  /**
   * The extraction pools, one per lane, each started on its lane's first task; the size and the reason are
   * recorded in the ledger once, and each lane's start too.
   */
  private ensurePool(): LanePools {
    if (this.pool) return this.pool;
    const size = choosePoolSize(this.options.workers ?? null);
    const base: Omit<WorkerConfig, 'lane'> = {
      ocrAdapterModule: this.options.ocrAdapterModule ?? pathToFileURL(distFile('src', 'core', 'extract', 'tesseract-ocr.js')).href,
      langPath: defaultLangPath(),
      pdfAssetsDir: defaultPdfAssetsDir(),
      maxPixels: this.maxPixels(),
      recyclePages: 200,
      // Process-wide (threads share one RSS): above the memory budget, threads drop their OCR engine (what
      // holding pages back cannot free: tesseract's WASM heap only grows).
      recycleRssMb: this.memoryBudget(size).rssMb,
      renderDpi: 300,
      languages: ocrLanguages(this.db),
      ...this.options.ocrReading,
      findingKey: findingKey(this.db),
    };
    const workerFile = this.options.workerFile ?? distFile('workers', 'extract-entry.cjs');
    this.pool = new LanePools(size.threads, (lane) => {
      appendEvent(this.db, this.clock, { traceId: randomUUID(), type: 'pool.lane-started', payload: { lane, threads: size.threads } });
      return new ExtractPool({ threads: size.threads, workerFile, workerConfig: { ...base, lane }, heap: this.heapLimits('extract') });
    });
    this.poolSize = size;
    appendEvent(this.db, this.clock, {
      traceId: randomUUID(),
      type: 'pool.started',
      payload: {
        threads: size.threads,
        cores: size.cores,
        totalMemMb: size.totalMemMb,
        budgetMb: size.budgetMb,
        perWorkerMb: size.perWorkerMb,
        reason: size.reason,
        maxPixels: base.maxPixels,
      },
    });
    return this.pool;
  }

  /**
   * Runs `intake` (walking and hashing, fed the backpressure gate) and the extraction dispatcher together,
   * until intake is over and the queue is empty.
   */
  private async process(intake: (walk: WalkOptions) => Promise<void>): Promise<void> {
    const watermarks = this.options.queueWatermarks ?? { high: 256, low: 128 };
    // Held batches' jobs do not count: a paused batch must not stall the intake of another.
    const depth = (): number => runnableJobCount(this.db);
    let dispatcher: ExtractDispatcher | null = null;
    const gate = new Backpressure(watermarks.high, watermarks.low, depth, (paused, queueDepth) => {
      appendEvent(this.db, this.clock, {
        traceId: randomUUID(),
        type: paused ? 'intake.paused' : 'intake.resumed',
        payload: { queueDepth, high: watermarks.high, low: watermarks.low },
      });
    });
    const onProgress = this.options.onProgress;
    const walkOptions = {
      onProgress: onProgress && ((p: IntakeProgress) => onProgress({ phase: 'hashing', ...p })),
      gate,
      onCommit: () => dispatcher?.notify(),
      signal: this.stopping.signal,
    };
    if (this.stopping.signal.aborted) return;
    this.startShipping();
    if (this.options.extract === false) return intake({ ...walkOptions, gate: undefined });
    const intakeDone = intake(walkOptions);
    // Leases of dead runs first, so their documents are picked up in this run.
    reclaimLeases(this.db, this.clock);
    const pool = this.ensurePool();
    const size = this.poolSize!;
    const budget = this.memoryBudget(size);
    const governor = new MemoryGovernor(size.threads, budget, this.options.memoryTelemetry ?? systemTelemetry, (change) => {
      const intakeHeld = change.to < size.threads;
      gate.holdForMemory(intakeHeld);
      appendEvent(this.db, this.clock, {
        traceId: randomUUID(),
        type: change.kind === 'throttled' ? 'pool.throttled' : 'pool.restored',
        payload: {
          from: change.from,
          to: change.to,
          rssMb: change.sample.rssMb,
          availableMb: change.sample.availableMb,
          budgetRssMb: budget.rssMb,
          minAvailableMb: budget.minAvailableMb,
          intakeHeld,
        },
      });
    });
    dispatcher = new ExtractDispatcher(
      {
        db: this.db,
        clock: this.clock,
        owner: this.owner,
        leaseTtlMs: this.options.leaseTtlMs ?? 60_000,
        // Deadline first: recomputed at every lease, so a toll or extension during a run takes effect at once.
        urgency: () => this.deadlines.urgency(localDateOf(this.clock.now())),
      },
      pool,
      {
        ...this.options.resilience,
        backpressure: gate,
        governor,
        onProgress: onProgress && ((p) => onProgress({ phase: 'processing', ...p })),
      },
    );
    this.dispatcher = dispatcher;
    if (this.stopping.signal.aborted) dispatcher.stop();
    try {
      await Promise.all([intakeDone, dispatcher.run(intakeDone)]);
    } finally {
      this.dispatcher = null;
    }
    // A batch this run finished (in a resume, a retry, the app's loop) is sealed like one `ingest` finished.
    sealCompletedBatches(this.db, this.clock, () => this.audit.signingKey());
  }

  /** Reclaims dead leases and finishes the walks of batches whose walking process is gone. */
  private async recoverWalks(walkOptions: WalkOptions = {}): Promise<{ batches: number; leases: number }> {
    const leases = reclaimLeases(this.db, this.clock);
    return { batches: await resumeStrandedWalks(this.db, this.clock, this.owner, walkOptions), leases };
  }
}

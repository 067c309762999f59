import type { IngestSummary, JobCounts, Lane } from '../../shared/types.js';
import type { ReasonCode } from '../../shared/reason-codes.js';

// The catalogue of ledger events: every event type the engine writes and the payload it carries. Payloads
// are ids, hashes, sizes, codes, counts, lanes and durations, plus the operator's reason where a decision
// needs one (release, lane set, key rotation, toll, extension, closure, review decisions). No field here may carry document
// text or a file name: review that promise in this one file.

/** Resource figures of the thread that ran a task (`threadLost`: the thread died; the process's figures). */
export type ResourceFigures = {
  threadId: number | null;
  lane?: Lane;
  rssMb: number;
  /** The pool thread's committed V8 heap, MB (pages since this was recorded). */
  heapMb?: number;
  cpuMs?: number;
  wallMs: number;
  threadLost?: true;
};

/** One step of the memory governor: pages allowed in flight before and after, the reading and the budget that decided. */
export type MemoryStep = {
  from: number;
  to: number;
  rssMb: number;
  availableMb: number;
  budgetRssMb: number;
  minAvailableMb: number;
  /** Whether intake is held after this step (it is while fewer than all threads may run). */
  intakeHeld: boolean;
};

/** What a `job.quarantined` may tell of the failure: the thread and its figures, the page. */
type QuarantineFigures = Partial<Record<'threadId' | 'rssMb' | 'cpuMs' | 'wallMs' | 'pageNo', number>>;

/** Intake counts of a batch (see `intakeCounts`): the file counts of its summary. */
type IntakeCounts = Omit<IngestSummary, 'batchId' | 'traceId' | 'requestId' | 'jobs' | 'pages' | 'durationMs'>;

/** A file's identity as intake saw it. */
type FileFacts = { batchId: string; entryId: number; sha256: string; size: number };

/** One review decision as `review.decided` records it (the review_decisions row, one for one). Boxes in page-image pixels. */
export type ReviewDecisionFacts = {
  decisionId: number;
  action: 'redact' | 'release' | 'box' | 'withhold-page' | 'release-page';
  findingId: number | null;
  pageNo: number;
  box: [number, number, number, number] | null;
  code: string | null;
};

/** A request's clock now, as the deadline events record it. */
type DeadlineCrossing = {
  requestId: string;
  dueDate: string;
  daysElapsed: number;
  allowedDays: number;
  percentUsed: number;
  /** `window`: the clock crossed; `projected`: the unprocessed pages will not be done before 80% of the window. */
  cause?: 'window' | 'projected';
  /** Who it goes to: the request's supervisor, else the office's. */
  supervisor?: string | null;
};

/** A breaker transition, with what tripped it. */
type BreakerTransition = { halfOpenAfterMs: number; consecutiveFailures: number; lastFailure: Record<string, unknown>; processRssMb: number };

/** Event type → payload. */
export type LedgerPayloads = {
  'batch.started': { batchId: string; roots: number; requestId: string | null; lane?: Lane };
  'batch.resumed': { batchId: string };
  'batch.walked': { batchId: string } & IntakeCounts;
  'batch.completed': { batchId: string; jobs: JobCounts; durationMs: number };
  'batch.reopened': { batchId: string; quarantineId: number };
  'batch.paused': { batchId: string; queued: number; reasonGiven?: true };
  'batch.cancelled': { batchId: string; queued: number; reasonGiven?: true; code?: ReasonCode };
  'batch.continued': { batchId: string; from: 'paused' | 'cancelled' | null; queued: number };
  'file.registered': FileFacts & { documentId: number; mediaType: string; retention?: 'hold'; lane?: Lane };
  'file.duplicate': FileFacts & { documentId: number; mediaType: string; retention?: 'hold' };
  'file.unsupported': FileFacts & { code?: ReasonCode };
  'file.custody-metadata': FileFacts & { code?: ReasonCode };
  'file.quarantined': Omit<FileFacts, 'sha256' | 'size'> & { quarantineId: number; code: ReasonCode; sha256: string | null; size: number | null };
  'intake.paused': { queueDepth: number; high: number; low: number };
  'intake.resumed': { queueDepth: number; high: number; low: number };
  'pool.started': { threads: number; cores: number; totalMemMb: number; budgetMb: number; perWorkerMb: number; reason: string; maxPixels: number };
  'pool.lane-started': { lane: Lane; threads: number };
  'pool.throttled': MemoryStep;
  'pool.restored': MemoryStep;
  'job.queued': { batchId: string; jobId: number; documentId: number; requestId?: string };
  'job.leased': { jobId: number; attempt: number };
  'job.reclaimed': { jobId: number; attempt?: number; cause: 'shutdown' | 'lease-expired' | 'owner-gone' | 'restored' };
  'job.done': {
    jobId: number;
    documentId: number;
    attempt: number;
    pages: number;
    textLayer: number;
    ocr: number;
    fallback: number;
    meanConfidence: number | null;
  };
  'job.quarantined': { jobId: number; documentId: number; quarantineId: number; code: ReasonCode } & QuarantineFigures;
  'document.planned': { jobId: number; documentId: number; pages: number } & ResourceFigures;
  'document.lane-raised': { documentId: number; from: Lane; to: Lane; cause: 'intake' | 'detection'; pageNo?: number };
  'document.lane-set': { documentId: number; from: Lane; to: Lane; reason: string };
  'document.restricted-viewed': { documentId: number; sha256: string; lane: Lane };
  'page.extracted': PageOutcome;
  'page.fallback': PageOutcome;
  'page.findings': { documentId: number; pageNo: number; counts: Record<string, number>; findingsSha256?: string };
  'page.retry': { documentId: number; pageNo: number | null; attempt: number; delayMs: number; code: string } & Partial<ResourceFigures>;
  'page.requeued-for-ocr': { documentId: number; pageNo: number };
  'page.ocr-gave-up': { documentId: number; pageNo: number; kept: 'fallback' };
  'worker.recycled': { cause: 'pages-or-rss' } & ResourceFigures;
  'breaker.opened': BreakerTransition;
  'breaker.half-open': BreakerTransition;
  'breaker.closed': BreakerTransition;
  'quarantine.retried':
    | { quarantineId: number; code: ReasonCode; jobId: number | null; result: 'requeued' }
    | { quarantineId: number; code: ReasonCode; result: 'still-held' }
    | { quarantineId: number; code: ReasonCode; result: 'passed'; outcome: string; documentId: number | null; sha256: string | null };
  'quarantine.released': { quarantineId: number; code: ReasonCode; reason: string; outcome: string; documentId: number | null };
  'request.added': { requestId: string; jurisdiction: string; received: string };
  'request.tolled': { requestId: string; from: string; to: string | null; basis: string; reason?: string };
  'request.resumed': { requestId: string; on: string; reason?: string };
  'request.extended': { requestId: string; days: number; reason?: string };
  'request.closed': { requestId: string; on: string; reason?: string };
  'request.documents-added': { requestId: string; documentIds: number[]; via: 'operator' | 'search'; operator: string };
  'request.documents-removed': { requestId: string; documentIds: number[]; reason: string; operator: string };
  'closure.added': { jurisdiction: string; date: string; reason: string };
  'review.decided': { documentId: number; sha256: string; decisions: ReviewDecisionFacts[]; reason: string | null; operator: string };
  'review.done': { documentId: number; sha256: string; decisions: number; operator: string };
  'review.reopened': { documentId: number; sha256: string; reason: string; operator: string };
  'deadline.at-risk': DeadlineCrossing;
  'deadline.overdue': DeadlineCrossing;
  'deadline.acknowledged': { requestId: string; level: 'at-risk' | 'overdue'; operator: string; note: string };
  'supervisor.set': { requestId: string | null; supervisor: string | null };
  'ocr.languages-set': { languages: string };
  'terms.changed': { action: 'add' | 'remove'; terms: number };
  'redaction.exported': { batchId?: string; requestId?: string; documents: number; findings: number; byType: Record<string, number> };
  'db.key-shown': { reason: string };
  'db.sql-run': { reason: string; sqlSha256: string; length: number };
  'db.encrypted': Record<string, never>;
  'ledger.checkpoint': { seq: number; hash: string; ts: string; reason: string; fingerprint: string; signature: string };
  'report.exported': { folder: string; documents: number; ledgerEntries: number; checkpointSeq: number; fingerprint: string };
  'release.exported': {
    requestId: string;
    folder: string;
    manifestSha256: string;
    batesFirst: string;
    batesLast: string;
    documents: number;
    pages: number;
    redactions: number;
    withheldPages: number;
    byCode: Record<string, number>;
    allowUnreviewed?: true;
    reason?: string;
    fingerprint: string;
  };
  'key.rotated': { oldFingerprint: string; newFingerprint: string; newPublicKey: string; endorsedAt: string; endorsement: string; reason: string };
  'backup.created': { backupId: string; folder: string; headSeq: number; headHash: string; documents: number; pendingJobs: number; fingerprint: string };
  'restore.completed': { backupId: string; backupCreatedAt: string; backupHost: string; fromHeadSeq: number; fromHeadHash: string; fingerprint: string };
  'ship.configured': { target: string; tls: boolean; caSha256: string | null };
  'ship.disabled': { previous: string | null };
};

/** A page's stored extraction, as `page.extracted` / `page.fallback` record it (counts, never the text). */
type PageOutcome = {
  jobId: number;
  documentId: number;
  pageNo: number;
  method: string;
  confidence: number | null;
  words: number;
  /** SHA-256 of the stored text and of the stored words column (absent in ledgers written before 0.1 bound them). */
  textSha256?: string | null;
  wordsSha256?: string | null;
  /** The page holds no ink: OCR was not run on it. */
  blank?: true;
  /** The OCR languages that read the page. */
  languages?: string;
  /** 180: read turned half round (the page lay upside down). */
  rotation?: 180;
  attempt: number;
} & ResourceFigures;

/** Every event type the engine writes. */
export type EventType = keyof LedgerPayloads;

/** What the documentation says of an event type; `oncePer` names the payload field of its subject when one subject has it at most once. */
export type EventInfo = { about: string; oncePer?: string };

/**
 * What each event records, for the docs (docs/architecture.md lists these lines; a test keeps them equal) and
 * the crash suite (an event with `oncePer` must not repeat for one subject however often a run is killed).
 */
export const EVENT_CATALOGUE = {
  'batch.started': { about: 'an ingest created a batch (its roots counted, not named)', oncePer: 'batchId' },
  'batch.resumed': { about: 'a run took over the walk of a batch whose walking process is gone' },
  'batch.walked': { about: 'the walk of a batch is over, with its intake counts', oncePer: 'batchId' },
  'batch.completed': { about: 'every job of a walked batch is finished, with the job counts', oncePer: 'batchId' },
  'batch.reopened': { about: 'a quarantine retry or release registered a record in a completed batch' },
  'batch.paused': { about: 'an operator paused a batch' },
  'batch.cancelled': { about: 'an operator cancelled a batch (whether a reason was given, not the reason), or a failed walk did (`walk-failed`)' },
  'batch.continued': { about: 'an operator lifted a pause or cancel' },
  'file.registered': { about: 'intake registered a new record', oncePer: 'entryId' },
  'file.duplicate': { about: 'intake found bytes already registered: a second path of that record', oncePer: 'entryId' },
  'file.unsupported': { about: 'a file is not a PDF, PNG, JPEG or TIFF by content', oncePer: 'entryId' },
  'file.custody-metadata': { about: 'a custody file (bagit.txt, a manifest, custody-manifest.csv) was checked', oncePer: 'entryId' },
  'file.quarantined': { about: 'intake quarantined an entry, with its reason code', oncePer: 'entryId' },
  'intake.paused': { about: 'intake paused above the high watermark of queued documents' },
  'intake.resumed': { about: 'intake went on at the low watermark' },
  'pool.started': { about: 'the extraction pool was sized: threads, cores, memory and why' },
  'pool.lane-started': { about: "a lane's pool started on its first task" },
  'pool.throttled': { about: 'memory ran over its budget: one page fewer runs at once (down to one) and intake is held, with the reading that decided' },
  'pool.restored': { about: 'memory freed: one page more runs at once again (intake goes on once the whole pool is back), with the reading' },
  'job.queued': { about: 'a registered record was queued for extraction', oncePer: 'jobId' },
  'job.leased': { about: 'a run leased a job' },
  'job.reclaimed': { about: 'a lease was taken back (shutdown, expired, owner gone, restored from a backup)' },
  'job.done': { about: 'a document is extracted, with its page figures', oncePer: 'jobId' },
  'job.quarantined': { about: 'a document was quarantined in processing, with its reason code and figures', oncePer: 'jobId' },
  'document.planned': { about: "a thread counted a document's pages" },
  'document.lane-raised': { about: "intake or detection raised a document's lane" },
  'document.lane-set': { about: "an operator set a document's lane, with the reason" },
  'document.restricted-viewed': { about: 'an operator viewed the text of a pii or classified document (the reason stays out)' },
  'page.extracted': { about: "a page's text is stored: method, confidence, word count, SHA-256 of text and words, attempt, thread figures" },
  'page.fallback': { about: "an open breaker stored a page's text layer, to be redone by OCR" },
  'page.findings': { about: "a page's findings, as counts by type and the SHA-256 of the stored set" },
  'page.retry': { about: 'a page or plan attempt failed and will be retried, with the failure code and figures' },
  'page.requeued-for-ocr': { about: 'the breaker closed: a fallback page goes back to OCR' },
  'page.ocr-gave-up': { about: 'OCR never came back for a fallback page: its text layer is kept' },
  'worker.recycled': { about: "a thread's OCR engine was replaced (pages or memory)" },
  'breaker.opened': { about: 'the OCR circuit breaker opened, with what tripped it' },
  'breaker.half-open': { about: 'the breaker lets one probe through' },
  'breaker.closed': { about: 'the breaker closed' },
  'quarantine.retried': { about: 'an operator retried a quarantine item: requeued, still held, or passed' },
  'quarantine.released': { about: 'an operator released a quarantine item, with the reason' },
  'request.added': { about: 'a records request was registered' },
  'request.tolled': { about: "a request's clock was stopped, with the basis and reason" },
  'request.resumed': { about: 'a tolled clock restarted' },
  'request.extended': { about: "a request's period was extended, with the reason" },
  'request.closed': { about: 'a request was answered' },
  'request.documents-added': { about: "an operator (by hand or from a search) added documents to a request's responsive set" },
  'request.documents-removed': { about: "an operator took documents out of a request's responsive set, with the reason" },
  'closure.added': { about: 'the agency declared a closure day' },
  'review.decided': {
    about:
      'an officer decided on findings or a page: redact, release, a box drawn by hand, a page withheld; each with its box, exemption code, operator and reason, never the text',
  },
  'review.done': { about: 'an officer marked a document reviewed (every finding has a decision)' },
  'review.reopened': { about: 'an officer reopened a reviewed document, with the reason' },
  'deadline.at-risk': { about: 'a request crossed 80% of its window, or its unprocessed pages will not be done before it (once per crossing)' },
  'deadline.overdue': { about: 'a request passed its due date (once per crossing)' },
  'deadline.acknowledged': { about: "a person acknowledged a request's escalation: who, the level, the note" },
  'supervisor.set': { about: "the office's or a request's supervisor, who escalations go to, was named" },
  'ocr.languages-set': { about: "the office's OCR languages were set (eng, or eng+spa), for the pages read from then on" },
  'terms.changed': { about: "the agency's term list changed (how many terms, not which)" },
  'redaction.exported': { about: 'redaction worklists were written, with counts by type' },
  'db.key-shown': { about: 'an administrator had the database key printed, with the reason' },
  'db.sql-run': { about: "an administrator ran SQL on the database, with the reason and the statement's SHA-256 and length" },
  'db.encrypted': { about: 'a database stored unencrypted was encrypted in place' },
  'ledger.checkpoint': { about: 'a signed checkpoint of the ledger head: the seq and hash it signs, why, the key and the signature' },
  'report.exported': { about: 'a signed report was exported: its folder name, counts, checkpoint and key' },
  'release.exported': {
    about:
      "a signed release was exported for a request: its folder, the manifest's SHA-256, the Bates range, counts per exemption and the key (a checkpoint follows)",
  },
  'key.rotated': { about: 'the signing key was replaced; the new public key endorsed by the old' },
  'backup.created': { about: 'a signed backup was written: its id and folder, the ledger head it holds, counts and key' },
  'restore.completed': {
    about: "a backup was restored into this data folder: the first entry after the backup's head, naming the backup and that head",
  },
  'ship.configured': { about: 'the syslog collector was set: address, TLS, SHA-256 of the pinned CA' },
  'ship.disabled': { about: 'shipping to the collector was turned off' },
} as const satisfies Record<EventType, EventInfo>;

/** Event types whose subject has the event at most once (the crash suite's check), with the payload field naming the subject. */
export const ONCE_PER_SUBJECT: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(EVENT_CATALOGUE as Record<EventType, EventInfo>).flatMap(([type, info]) => (info.oncePer ? [[type, info.oncePer]] : [])),
);

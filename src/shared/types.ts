import type { ReasonCode } from './reason-codes.js';

/** What one `ingest` did, per batch. Counts are of entries found on disk except `quarantined`, which counts quarantine items (a file a manifest lists but that is absent has no entry on disk). */
export type IngestSummary = {
  batchId: string;
  traceId: string;
  requestId: string | null;
  /** Files (non-directories) found under the dropped paths, custody files included. */
  files: number;
  registered: number;
  duplicates: number;
  quarantined: number;
  unsupported: number;
  /** Custody metadata files (bagit.txt, manifests, custody-manifest.csv): verified, not records. */
  custodyFiles: number;
  /** Registered records marked `hold` by a custody manifest. */
  holds: number;
  /** Bytes hashed. */
  bytes: number;
  jobs: JobCounts;
  /** Pages of the records this batch registered, by how their text was obtained. */
  pages: PageCounts;
  durationMs: number;
};

/** Job counts by terminal state, for one batch. */
export type JobCounts = { total: number; done: number; failed: number; quarantined: number; pending: number };

/** An item in quarantine. `detail` holds sanitized facts only (codes, digests, sizes), never document content. */
export type QuarantineItem = {
  id: number;
  batchId: string;
  traceId: string;
  path: string;
  sha256: string | null;
  documentId: number | null;
  reasonCode: ReasonCode;
  message: string;
  detail: Record<string, unknown>;
  state: 'held' | 'released' | 'resolved';
  createdAt: string;
  resolvedAt: string | null;
  resolution: string | null;
};

/** Result of checking the ledger's hash chain. */
/** A table row that disagrees with what the ledger recorded of it (`seq`: the event it was held to). */
export type StateMismatch = { table: string; id: string; message: string; seq: number | null };

export type LedgerVerifyResult =
  | {
      ok: true;
      entries: number;
      head: string;
      /** Signed checkpoints checked. */ checkpoints?: number;
      /** Facts recomputed from the tables and found as the ledger says; `unbound`: facts older ledgers do not bind. */
      state?: { checked: number; unbound: number };
    }
  | { ok: false; firstBadSeq: number; reason: string; entries: number; mismatches?: StateMismatch[] };

/** One ledger entry as stored. */
export type LedgerEntry = {
  seq: number;
  ts: string;
  traceId: string;
  type: string;
  prevHash: string;
  hash: string;
  payload: Record<string, unknown>;
};

/** What `resume` found and finished. */
export type ResumeSummary = {
  batchesResumed: number;
  leasesReclaimed: number;
  jobs: JobCounts;
  durationMs: number;
};

/** A registered record: one per distinct content (SHA-256 and pipeline version). */
export type DocumentSummary = {
  id: number;
  sha256: string;
  size: number;
  mediaType: string;
  /** The path that first brought these bytes in. */
  path: string;
  /** How many paths, across batches, carried these bytes. */
  paths: number;
  batchId: string;
  /** Under legal hold by a custody manifest. */
  legalHold: boolean;
  /** Processing lane: `public`, `pii` (personal identifiers) or `classified` (classification or control markings). */
  lane: Lane;
  /** State of the document's processing job. */
  state: 'queued' | 'leased' | 'done' | 'failed' | 'quarantined' | 'none';
  /** Page count once planned, else null. */
  pages: number | null;
  /** Pages by method. */
  methods: { textLayer: number; ocr: number; fallback: number };
  /** Mean OCR confidence over OCR'd pages, 0–100, or null. */
  meanConfidence: number | null;
  createdAt: string;
};

/** One page's extracted text, as stored. Words: `[text, x0, y0, x1, y1, confidence]` in page pixels. */
export type PageText = {
  pageNo: number;
  state: 'pending' | 'done' | 'fallback';
  method: 'text-layer' | 'ocr' | 'fallback' | null;
  text: string | null;
  confidence: number | null;
  words: [string, number, number, number, number, number][];
};

/** A page drawn for display. */
export type PageImage = {
  documentId: number;
  pageNo: number;
  /** The document's page count, when known. */
  pages: number | null;
  mime: 'image/png';
  image: Uint8Array;
  width: number;
  height: number;
  /**
   * Multiplies a stored box (word boxes, finding boxes, review boxes: page-image pixels as extraction saw the
   * page) into this image's pixels; null while the page has not been extracted.
   */
  boxScale: number | null;
  /** Served from the render cache. */
  cached: boolean;
};

/** One run of a search snippet: plain text or a matched word. */
export type SnippetPart = { text: string; match: boolean };

/** A page that matches a search. */
export type SearchHit = {
  documentId: number;
  /** The name of the file that first brought the document in. */
  name: string;
  sha256: string;
  lane: Lane;
  pageNo: number;
  /** bm25 relevance, higher better; comparable only within one search. */
  score: number;
  /** Context around the matches; null for a `pii` or `classified` hit searched without a reason. */
  snippet: SnippetPart[] | null;
};

/** What a search found: hits best first, whether more matched than the limit, and how many hits hide their snippet. */
export type SearchResult = { hits: SearchHit[]; more: boolean; snippetsWithheld: number };

/** Page counts of a batch by how their text was obtained. */
/** Pages by how their text was obtained; `blank`: of the OCR pages, those with no ink, on which OCR was not run. */
export type PageCounts = { total: number; ocr: number; textLayer: number; fallback: number; blank: number };

/** Where a request's clock stands on a date (dates are `YYYY-MM-DD`). */
export type DeadlineFigures = {
  /** Day 1 of the clock. */
  startDate: string;
  dueDate: string;
  /** The period plus extensions, in the jurisdiction's kind of day. */
  allowedDays: number;
  extensionDays: number;
  /** Counted days from day 1 through the as-of date. */
  daysElapsed: number;
  /** Counted days left after the as-of date through the due date; negative once overdue. */
  daysRemaining: number;
  percentUsed: number;
  status: 'on-track' | 'at-risk' | 'overdue' | 'closed';
  /** True while an open-ended toll stops the clock; the due date then assumes it resumes after the as-of date. */
  tolled: boolean;
  closedOn: string | null;
};

/** A records request with its clock as of today (computed from its events, never stored). */
export type RequestSummary = {
  id: string;
  jurisdiction: string;
  received: string;
  title: string | null;
  /** Documents responsive to it. */
  documents: number;
  /** Of those, marked reviewed, and under review. */
  reviewed: number;
  inReview: number;
} & DeadlineFigures;

/** A document's processing lane. `classified` outranks `pii`, which outranks `public`. */
export type Lane = 'public' | 'pii' | 'classified';

/** A stable finding type code. */
export type FindingType =
  | 'ssn'
  | 'payment-card'
  | 'aba-routing'
  | 'phone'
  | 'email'
  | 'date-of-birth'
  | 'passport'
  | 'a-number'
  | 'term'
  | 'classification-marking'
  | 'control-marking';

/** A finding as redaction sees it: where, what kind, how sure, which exemption; never the matched text. */
export type Finding = {
  type: FindingType;
  page: number;
  /** Pixel box on the page image [x0, y0, x1, y1], or null when the page has no word boxes. */
  bbox: [number, number, number, number] | null;
  confidence: number;
  /** HMAC-SHA-256 of the normalised matched text under the data dir's secret key: equal values can be matched, not read back. */
  textHash: string;
  suggestedExemption: string;
};

/** Where a document stands in review. */
export type ReviewState = 'unreviewed' | 'in-review' | 'reviewed';

/** A pixel box on the page image [x0, y0, x1, y1], as word boxes are stored. */
export type PageBox = [number, number, number, number];

/** An exemption an officer may withhold under, from a jurisdiction file. */
export type ExemptionCode = { code: string; title: string; citation: string; jurisdiction: string };

/** One decision as stored: on a finding (redact, release), a box drawn by hand, a page withheld in full or released as reviewed. */
export type ReviewDecision = {
  id: number;
  action: 'redact' | 'release' | 'box' | 'withhold-page' | 'release-page';
  findingId: number | null;
  pageNo: number;
  box: PageBox | null;
  code: string | null;
  reason: string | null;
  operator: string;
  at: string;
};

/**
 * A finding as the officer reviews it: duplicates of one mark on one line merged into one item (its
 * `findingIds`, one box each), confidence as a percentage, the suggested code, and the decision in force.
 */
export type ReviewItem = {
  /** The first finding's id: what `review … redact|release <id>` names (any id of the item works). */
  id: number;
  findingIds: number[];
  type: FindingType;
  pageNo: number;
  boxes: PageBox[];
  /** 0–100. */
  confidence: number;
  suggestedCode: string;
  /** What detection said of it (e.g. the statute of an agency term). */
  basis: string;
  decision: Pick<ReviewDecision, 'action' | 'code' | 'reason' | 'operator' | 'at'> | null;
};

/** A document's review: its findings as items, the boxes drawn and pages withheld, and every decision so far. */
export type DocumentReview = {
  documentId: number;
  sha256: string;
  name: string;
  lane: Lane;
  pages: number | null;
  state: ReviewState;
  /** Whose exemption codes apply (the jurisdictions of the requests it is responsive to; federal when none). */
  jurisdictions: string[];
  codes: ExemptionCode[];
  items: ReviewItem[];
  /** Boxes drawn by hand. */
  boxes: ReviewDecision[];
  /** Pages withheld in full, and pages released as reviewed: the newest page decision of each page decides. */
  withheldPages: ReviewDecision[];
  releasedPages: ReviewDecision[];
  /** Items without a decision: `done` is refused while any is left. */
  undecided: number;
  decisions: ReviewDecision[];
};

/** One batch as the desktop app shows it: intake counts, job and page progress, lanes, and any operator hold. */
export type BatchOverview = {
  batchId: string;
  traceId: string;
  requestId: string | null;
  /** Lane the operator chose at intake, if any. */
  lane: Lane | null;
  /** The folders and files dropped. */
  roots: string[];
  state: 'walking' | 'processing' | 'done';
  hold: 'paused' | 'cancelled' | null;
  createdAt: string;
  completedAt: string | null;
  intake: Pick<IngestSummary, 'files' | 'registered' | 'duplicates' | 'quarantined' | 'unsupported' | 'custodyFiles' | 'holds' | 'bytes'>;
  jobs: JobCounts;
  /** Pages of the batch's records still to be or already processed (quarantined and failed records left out): planned (page counts known so far) and extracted (text stored). */
  pages: { planned: number; extracted: number };
  /** Registered records by lane. */
  lanes: Record<Lane, number>;
};

/** Live figures of text extraction in a run. */
export type ProcessingFigures = {
  docsDone: number;
  docsLeased: number;
  pagesDone: number;
  pagesTotal: number;
  pagesPerMinute: number;
  /** Queued documents that can be leased now (held batches excluded). */
  queueDepth: number;
  workersBusy: number;
  workers: number;
  /** True while intake waits for the queue to drain below its low watermark (backpressure). */
  intakePaused: boolean;
  breaker: 'closed' | 'open' | 'half-open';
};

/** Hashing figures of the batch being taken in. */
export type HashingFigures = { batchId: string; filesTotal: number; filesDone: number; bytesTotal: number; bytesDone: number };

/** What the engine is doing now, as the app shows it. */
export type RunStatus = {
  state: 'idle' | 'running';
  /** The run in progress: an intake (with its batch once created) or a resume of queued work. */
  current: { kind: 'ingest' | 'resume'; batchId: string | null; hashing: HashingFigures | null; processing: ProcessingFigures | null } | null;
  /** Intakes dropped while another runs; they start in order. */
  waiting: number;
  /** The last run that failed, with its stable code and message. */
  lastError: { code: string; message: string } | null;
};

/** A removable drive a report can be written to. Sizes in bytes, null when unknown. */
export type DriveInfo = { mountPoint: string; device: string; fsType: string; sizeBytes: number | null; freeBytes: number | null };

/** A report exported and checked again from the drive. */
/**
 * What an app export did: `verified` means the folder written to the drive checks out against this
 * workstation's own signing key (`signedByThisWorkstation`), not merely against the key inside it.
 */
export type ExportOutcome = { dir: string; documents: number; ledgerHead: string; verified: boolean; signedByThisWorkstation: boolean; problems: string[] };

/** What the app's Export release action wrote, read back from the drive and checked against this workstation's key. */
export type ReleaseOutcome = Pick<ReleaseResult, 'dir' | 'documents' | 'pages' | 'batesFirst' | 'batesLast' | 'redactions' | 'withheldPages'> & {
  verified: boolean;
  signedByThisWorkstation: boolean;
  problems: string[];
};

/** What a release export wrote (`custodian release export --json`). */
export type ReleaseResult = {
  dir: string;
  folder: string;
  requestId: string;
  documents: number;
  pages: number;
  batesFirst: string;
  batesLast: string;
  redactions: number;
  withheldPages: number;
  byCode: Record<string, number>;
  manifestSha256: string;
};

/** A deadline escalation no person has acknowledged yet (the inbox): the request, how far its clock went, who it goes to. */
export type Escalation = { requestId: string; level: 'at-risk' | 'overdue'; supervisor: string | null; title: string | null };

/** What the app's Backup action wrote: the folder, its ledger head and the records it holds. */
export type BackupOutcome = { dir: string; documents: number; headSeq: number; fingerprint: string };

/** A signed checkpoint of the ledger. */
export type CheckpointInfo = { seq: number; hash: string; ts: string; reason: string; fingerprint: string };

/** Jurisdiction as the request form offers it. */
export type JurisdictionInfo = { code: string; name: string; periodDays: number; dayKind: 'business' | 'calendar'; maxExtensionDays: number };

/** A record's lane as the app shows it: `pending` until detection has run over its text (its job is done). */
export type DocumentLane = Lane | 'pending';

/** Columns the documents list can be sorted by. */
export const DOCUMENT_SORTS = ['name', 'sha256', 'size', 'pages', 'method', 'confidence', 'lane', 'state', 'request', 'batch', 'takenIn'] as const;

/** A column the documents list can be sorted by. */
export type DocumentSort = (typeof DOCUMENT_SORTS)[number];

/** One row of the documents list: a registered record with its batch, request and shown lane. */
export type DocumentRow = Omit<DocumentSummary, 'lane'> & {
  /** The lane as shown: `pending` until detection ran. */
  lane: DocumentLane;
  /** The first request the record is attached to, or null. */
  requestId: string | null;
  /** The first folder or file dropped for the batch that brought it in. */
  batchRoot: string;
};

/** One window of the documents list, with the counts the list shows. */
export type DocumentPage = {
  /** Rows matching the filters. */
  total: number;
  /** Every registered record, filters aside. */
  all: number;
  offset: number;
  rows: DocumentRow[];
};

/** Progress of a batch over all its records, with pages estimated for records not yet opened. */
export type BatchProgress = {
  /** Records to be processed (quarantined and failed ones left out) and records finished. */
  records: number;
  recordsDone: number;
  /** Pages extracted so far. */
  pagesExtracted: number;
  /** Pages of records already opened (counted exactly). */
  pagesKnown: number;
  /** Records not opened yet, whose pages are estimated from their size (and type: a PNG or JPEG is one page). */
  recordsUnopened: number;
  /** Pages known plus pages estimated: the figure progress and time left are computed on. */
  pagesTotal: number;
  /** True when every record's page count is known (nothing estimated). */
  exact: boolean;
};

/** A batch as the app shows it: the engine's overview plus progress over the whole batch, shown lanes and quarantine by state. */
export type BatchView = Omit<BatchOverview, 'lanes'> & {
  progress: BatchProgress;
  lanes: Record<DocumentLane, number>;
  /** Quarantine items of the batch by state: still held, released by an operator, resolved by a retry. */
  quarantine: { held: number; released: number; resolved: number };
};

/** A ledger entry with the sentence a clerk reads for it. */
export type LedgerLine = LedgerEntry & { sentence: string };

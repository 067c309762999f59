/**
 * The bridge API over the contract: result types, events, the reply envelope and `window.custodian`'s type.
 * Free of zod, so the preload and the renderer bundle only this.
 */
import type {
  BatchView,
  DocumentPage,
  LedgerLine,
  CheckpointInfo,
  DocumentSummary,
  DriveInfo,
  ExportOutcome,
  Escalation,
  BackupOutcome,
  Finding,
  JurisdictionInfo,
  LedgerVerifyResult,
  DocumentReview,
  PageImage,
  PageText,
  SearchResult,
  QuarantineItem,
  ReleaseOutcome,
  RequestSummary,
  RunStatus,
} from './types.js';
import type { Channel, ChannelArgs } from './contract.js';
import type { ReasonCode } from './reason-codes.js';

export type { Channel, ChannelArgs } from './contract.js';

/** What the host is and can do. */
export type AppInfo = {
  dataDir: string;
  version: string;
  /** `electron`: native dialogs and dropped-file paths; `browser`: the WebSocket bridge (paths typed in). */
  host: 'electron' | 'browser';
  canChooseFolders: boolean;
};

/** Ledger facts for the ledger view. */
export type LedgerStatus = { entries: number; head: string | null; checkpoints: CheckpointInfo[]; recent: LedgerLine[]; keyFingerprint: string };

/** A quarantine item as the app shows it: with its folder, and the custody manifest it failed (if any). */
export type QuarantineView = QuarantineItem & {
  /** The folder the file is in. */
  folder: string;
  /** The custody manifest the file was checked against, for custody reasons, when it can be found. */
  manifest: string | null;
};

/** What a retry or release came to: `passed` (taken in now), `still-held` (with the reason found now), `requeued` (processing again), `released`. */
export type QuarantineOutcome = {
  id: number;
  outcome: 'passed' | 'still-held' | 'requeued' | 'released' | 'failed';
  reasonCode: ReasonCode | null;
  error?: string;
};

/** A page drawn for display, as the app receives it: the PNG as a `data:` URL (IPC and the bridge's JSON both carry it). */
export type PageView = Omit<PageImage, 'image'> & { dataUrl: string };

/** A request as the app shows it: with its kind of day, and the day it was found overdue when extended late. */
export type RequestView = RequestSummary & { dayKind: 'business' | 'calendar'; overdueOn: string | null };

/** Result type per channel. */
export type ChannelResult = {
  'app:info': AppInfo;
  'intake:start': { position: number };
  'intake:choose-folders': string[] | null;
  'run:status': RunStatus;
  'batches:list': BatchView[];
  'batch:pause': { queued: number };
  'batch:cancel': { queued: number };
  'batch:continue': { queued: number };
  'documents:list': DocumentSummary[];
  'documents:page': DocumentPage;
  'document:history': LedgerLine[];
  'document:text': PageText[];
  'document:findings': Finding[];
  'document:page': PageView;
  'search:pages': SearchResult;
  'review:show': DocumentReview;
  'review:redact': DocumentReview;
  'review:release': DocumentReview;
  'review:box': DocumentReview;
  'review:withhold': DocumentReview;
  'review:done': DocumentReview;
  'review:reopen': DocumentReview;
  'quarantine:list': QuarantineView[];
  'quarantine:retry': QuarantineOutcome;
  'quarantine:release': QuarantineOutcome;
  /** One outcome per item, in the order given; an item that could not be acted on has outcome `failed` and its error. */
  'quarantine:retry-many': QuarantineOutcome[];
  'quarantine:release-many': QuarantineOutcome[];
  'requests:list': RequestView[];
  'jurisdictions:list': JurisdictionInfo[];
  'request:add': RequestView;
  'request:toll': RequestView;
  'request:resume': RequestView;
  'request:extend': RequestView;
  'request:close': RequestView;
  'escalations:list': Escalation[];
  'escalation:acknowledge': Escalation;
  'backup:create': BackupOutcome;
  'ledger:status': LedgerStatus;
  'ledger:verify': LedgerVerifyResult;
  'drives:list': DriveInfo[];
  'report:export': ExportOutcome;
  'release:export': ReleaseOutcome;
};

/** Events the host pushes: run progress (coalesced, at most about 10 a second) and "data changed". */
export type AppEvent = { kind: 'run'; run: RunStatus } | { kind: 'changed'; what: 'batches' | 'quarantine' | 'requests' | 'ledger' };

/** The envelope every reply travels in, so a stable error code survives IPC (Electron drops error properties). */
export type Reply<T> = { ok: true; value: T } | { ok: false; code: string; message: string };

/** Which channel each bridge method sends on: one function per message. */
export const methodChannels = {
  appInfo: 'app:info',
  startIntake: 'intake:start',
  chooseFolders: 'intake:choose-folders',
  runStatus: 'run:status',
  listBatches: 'batches:list',
  pauseBatch: 'batch:pause',
  cancelBatch: 'batch:cancel',
  continueBatch: 'batch:continue',
  listDocuments: 'documents:list',
  queryDocuments: 'documents:page',
  documentHistory: 'document:history',
  documentText: 'document:text',
  documentFindings: 'document:findings',
  documentPage: 'document:page',
  searchPages: 'search:pages',
  showReview: 'review:show',
  redactFindings: 'review:redact',
  releaseFindings: 'review:release',
  drawBox: 'review:box',
  withholdPage: 'review:withhold',
  finishReview: 'review:done',
  reopenReview: 'review:reopen',
  listQuarantine: 'quarantine:list',
  retryQuarantine: 'quarantine:retry',
  releaseQuarantine: 'quarantine:release',
  retryQuarantineMany: 'quarantine:retry-many',
  releaseQuarantineMany: 'quarantine:release-many',
  listRequests: 'requests:list',
  listJurisdictions: 'jurisdictions:list',
  addRequest: 'request:add',
  tollRequest: 'request:toll',
  resumeRequest: 'request:resume',
  extendRequest: 'request:extend',
  closeRequest: 'request:close',
  listEscalations: 'escalations:list',
  acknowledgeEscalation: 'escalation:acknowledge',
  createBackup: 'backup:create',
  ledgerStatus: 'ledger:status',
  verifyLedger: 'ledger:verify',
  listDrives: 'drives:list',
  exportReport: 'report:export',
  exportRelease: 'release:export',
} as const satisfies Record<string, Channel>;

type Methods = typeof methodChannels;

/**
 * An error from the host, with its stable code (`invalid-argument`, `not-found`, …). The code also leads the
 * message (`[code] text`) because Electron's context bridge copies only an error's message.
 */
export class BridgeError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(`[${code}] ${message}`);
    this.name = 'BridgeError';
  }
}

/** The stable code and the operator's text of an error a bridge call rejected with. */
export function describeError(err: unknown): { code: string; text: string } {
  const message = err instanceof Error ? err.message : String(err);
  const m = /\[([a-z-]+)\] ([\s\S]*)$/u.exec(message);
  return m ? { code: m[1]!, text: m[2]! } : { code: 'internal-error', text: message };
}

/**
 * `window.custodian`: one function per message (no generic send), plus event subscription and, in Electron,
 * the path of a dropped file. Rejections are {@link BridgeError}s.
 */
export type CustodianApi = { [M in keyof Methods]: (...args: ChannelArgs<Methods[M]>) => Promise<ChannelResult[Methods[M]]> } & {
  /** Subscribes to host events; returns the unsubscribe function. */
  onEvent(listener: (event: AppEvent) => void): () => void;
  /** The filesystem path of a dropped File (Electron), or null where the host cannot know it (browser). */
  pathForFile(file: File): string | null;
};

/** Builds the per-method functions of a bridge over one transport (`invoke` sends a channel and its arguments). */
export function bridgeMethods(invoke: (channel: Channel, args: unknown[]) => Promise<Reply<unknown>>): Omit<CustodianApi, 'onEvent' | 'pathForFile'> {
  const api: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
  for (const [method, channel] of Object.entries(methodChannels)) {
    api[method] = async (...args: unknown[]) => {
      const reply = await invoke(channel, args);
      if (!reply.ok) throw new BridgeError(reply.code, reply.message);
      return reply.value;
    };
  }
  return api as Omit<CustodianApi, 'onEvent' | 'pathForFile'>;
}

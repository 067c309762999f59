import { realpath, stat } from 'node:fs/promises';
import { z } from 'zod';
import { Engine, type EngineOptions } from '../engine.js';
import { EngineError, errnoCode, storageError } from '../errors.js';
import { listDrives } from '../audit/index.js';
import { channels, type Channel, type ChannelArgs } from '../../shared/contract.js';
import type { AppEvent, AppInfo, ChannelResult, QuarantineOutcome, Reply, RequestView } from '../../shared/bridge-api.js';
import type { BatchView, DocumentReview, DriveInfo, RequestSummary } from '../../shared/types.js';
import { batchProgress, batchQuarantineStates, batchShownLanes, documentHistory, documentRef, queryDocuments } from '../store/index.js';
import { overdueBeforeExtension } from '../deadlines/index.js';
import type { QuarantineActionResult } from '../quarantine/index.js';
import { clerkMessage, invalidArgumentMessage } from './clerk-text.js';
import { ledgerLines } from './ledger-sentences.js';
import { toFtsQuery } from '../search/index.js';
import { verifyRelease } from '../release/index.js';
import { quarantineViews } from './quarantine-view.js';
import { RunLoop } from './run-loop.js';
import { DeadlineSweeper } from './deadline-sweeper.js';
import { coalesce } from './coalesce.js';

/** What the face hosting the service provides. */
export type HostOptions = {
  host: AppInfo['host'];
  version: string;
  /** Sends an event to the window(s); the service coalesces run progress to about 10 a second. */
  emit: (event: AppEvent) => void;
  /** The native folder dialog, where there is one. */
  chooseFolders?: () => Promise<string[] | null>;
  /** Removable drives; default the platform's listing. */
  listDrives?: () => DriveInfo[];
  /** A desktop notification, where there is a desktop (the app: a request escalated). */
  notify?: (title: string, body: string) => void;
};

type Handlers = { [C in Channel]: (...args: ChannelArgs<C>) => Promise<ChannelResult[C]> | ChannelResult[C] };

/** Resolves a dropped or typed path to the real file or folder it names, or says why it cannot be taken in. */
async function realIntakePath(p: string): Promise<string> {
  try {
    const real = await realpath(p);
    const s = await stat(real);
    if (!s.isDirectory() && !s.isFile()) throw new EngineError('invalid-argument', `${p} is neither a file nor a folder.`);
    return real;
  } catch (err) {
    if (err instanceof EngineError) throw err;
    const code = errnoCode(err);
    throw new EngineError(
      'path-not-found',
      `Cannot take in ${p}: ${code === 'ENOENT' ? 'no such file or folder' : code === 'EACCES' ? 'permission denied' : (err as Error).message}`,
    );
  }
}

function outcomeOf(id: number, r: QuarantineActionResult): QuarantineOutcome {
  return { id, outcome: r.outcome, reasonCode: r.outcome === 'still-held' ? r.item.reasonCode : null };
}

/** Acts on several quarantine items one after the other; an item that cannot be acted on is reported, not fatal to the rest. */
async function eachItem(ids: number[], act: (id: number) => Promise<QuarantineActionResult>): Promise<QuarantineOutcome[]> {
  const out: QuarantineOutcome[] = [];
  for (const id of [...new Set(ids)]) {
    try {
      out.push(outcomeOf(id, await act(id)));
    } catch (err) {
      const known = storageError(err);
      out.push({ id, outcome: 'failed', reasonCode: null, error: clerkMessage(known?.message ?? (err instanceof Error ? err.message : String(err))) });
    }
  }
  return out;
}

/**
 * The engine behind the desktop app and the browser bridge: every IPC channel of the contract, validated
 * with its schema, answered from the one engine, errors returned with their stable code. Long runs go
 * through a {@link RunLoop}; progress events are coalesced so a 10,000-document batch does not flood IPC.
 */
export class AppService {
  readonly engine: Engine;
  private readonly runs: RunLoop;
  private readonly emitRun: ReturnType<typeof coalesce<[AppEvent]>>;
  private readonly emitBatches: ReturnType<typeof coalesce<[]>>;
  private readonly handlers: Handlers;
  private readonly sweeper: DeadlineSweeper;

  private constructor(
    engineOptions: Omit<EngineOptions, 'onProgress'>,
    private readonly host: HostOptions,
  ) {
    this.emitRun = coalesce(100, (event: AppEvent) => host.emit(event));
    this.emitBatches = coalesce(1000, () => host.emit({ kind: 'changed', what: 'batches' }));
    this.runs = new RunLoop(
      () => this.engine,
      (run, ended) => {
        this.emitRun({ kind: 'run', run });
        this.emitBatches();
        if (ended) {
          this.emitRun.flush();
          this.emitBatches.flush();
          for (const what of ['quarantine', 'requests', 'ledger'] as const) host.emit({ kind: 'changed', what });
        }
      },
    );
    this.engine = Engine.open({
      ...engineOptions,
      onProgress: (p) => {
        if (p.phase === 'hashing') {
          const { phase: _phase, ...hashing } = p;
          this.runs.progress({ hashing });
        } else {
          const { phase: _phase, ...processing } = p;
          this.runs.progress({ processing });
        }
      },
    });
    this.handlers = this.buildHandlers();
    this.sweeper = new DeadlineSweeper(
      () => this.sweepDeadlines(),
      this.engine.clock,
      // A sweep that fails (a locked or full disk) is retried at the next one; the clerk sees the deadlines view as usual.
      (err) => process.stderr.write(`custodian: deadline sweep failed: ${err instanceof Error ? err.message : String(err)}\n`),
    );
  }

  /** Opens the engine and, when an earlier run left work queued, finishes it. */
  static open(engineOptions: Omit<EngineOptions, 'onProgress'>, host: HostOptions): AppService {
    const service = new AppService(engineOptions, host);
    // The app is the long-lived face: its ledger goes to the collector (when one is configured) all day.
    service.engine.startShipping();
    // Escalations are written at start, hourly and just after midnight, whether or not anyone looks.
    service.sweeper.start();
    service.runs.kick();
    return service;
  }

  /**
   * Answers one message: validates the arguments against the channel's schema, runs the handler, and wraps
   * the result or the error (with its code) in a {@link Reply}. Unknown channels and bad arguments are refused.
   */
  async dispatch(channel: string, rawArgs: unknown): Promise<Reply<unknown>> {
    if (!Object.hasOwn(channels, channel)) return { ok: false, code: 'unknown-channel', message: `No such message: ${channel}` };
    const parsed = channels[channel as Channel].args.safeParse(rawArgs);
    if (!parsed.success) return { ok: false, code: 'invalid-argument', message: invalidArgumentMessage(z.prettifyError(parsed.error)) };
    try {
      const run = this.handlers[channel as Channel] as (...args: unknown[]) => unknown;
      return { ok: true, value: await run(...(parsed.data as unknown[])) };
    } catch (err) {
      const known = storageError(err);
      // Engine messages are worded for the command line; the app shows a clerk's sentence, the code stays for support.
      if (known) return { ok: false, code: known.code, message: clerkMessage(known.message) };
      return { ok: false, code: 'internal-error', message: clerkMessage(err instanceof Error ? err.message : String(err)) };
    }
  }

  /**
   * Shuts down without waiting for the batch in progress (quitting the app must not wait for a 10,000-page
   * batch): the run stops after the pages already running (see {@link Engine.requestStop}), then the pool
   * stops and the database closes. The next start finishes the work.
   */
  async close(): Promise<void> {
    this.sweeper.stop();
    this.runs.stop();
    this.engine.requestStop();
    await this.runs.idle();
    this.emitRun.cancel();
    this.emitBatches.cancel();
    await this.engine.close();
  }

  /** Resolves when no run is going (tests and shutdown). */
  idle(): Promise<void> {
    return this.runs.idle();
  }

  private drives(): DriveInfo[] {
    return (this.host.listDrives ?? listDrives)();
  }

  private changed(what: Extract<AppEvent, { kind: 'changed' }>['what']): void {
    this.host.emit({ kind: 'changed', what });
  }

  private buildHandlers(): Handlers {
    const e = this.engine;
    return {
      'app:info': () => ({ dataDir: e.dataDir, version: this.host.version, host: this.host.host, canChooseFolders: Boolean(this.host.chooseFolders) }),
      'intake:start': async ({ paths, requestId, lane }) => {
        const real = await Promise.all(paths.map(realIntakePath));
        if (requestId) e.deadlines.request(requestId);
        return { position: this.runs.addIntake({ paths: real, requestId, lane }) };
      },
      'intake:choose-folders': async () => (this.host.chooseFolders ? this.host.chooseFolders() : null),
      'run:status': () => this.runs.current,
      'batches:list': () => e.batches.list().map((b): BatchView => this.batchView(b)),
      'batch:pause': ({ batchId }) => this.afterHold(e.batches.hold(batchId, 'paused')),
      'batch:cancel': ({ batchId, reason }) => this.afterHold(e.batches.hold(batchId, 'cancelled', reason)),
      'batch:continue': ({ batchId }) => {
        const r = e.batches.continue(batchId);
        this.runs.kick();
        this.changed('batches');
        return r;
      },
      'documents:list': ({ batchId }) => e.documents.list({ batchId }),
      'documents:page': (query) => queryDocuments(e.db, { ...query, textMatch: query.search ? textMatchOf(query.search) : undefined }),
      'document:history': ({ ref }) => {
        const doc = documentRef(e.db, ref);
        return ledgerLines(documentHistory(e.db, doc.id, doc.sha256));
      },
      'document:text': ({ ref, restrictedReason }) => {
        const pages = e.documents.readText(ref, restrictedReason);
        if (restrictedReason) this.changed('ledger');
        return pages;
      },
      'document:findings': ({ ref }) => e.sensitive.findings(ref),
      'document:page': async ({ ref, pageNo, width, restrictedReason }) => {
        const { image, ...page } = await e.documents.renderPage(ref, pageNo, { width, reason: restrictedReason });
        if (restrictedReason) this.changed('ledger');
        return { ...page, dataUrl: `data:image/png;base64,${Buffer.from(image.buffer, image.byteOffset, image.byteLength).toString('base64')}` };
      },
      'search:pages': ({ query, requestId, lane, limit, restrictedReason }) => {
        const result = e.search.pages({ query, requestId, lane, limit, reason: restrictedReason });
        if (restrictedReason) this.changed('ledger');
        return result;
      },
      'review:show': ({ ref }) => e.review.show(ref),
      'review:redact': ({ ref, ids, code, reason }) => this.afterReview(e.review.redact(ref, ids ?? 'all', { code, reason })),
      'review:release': ({ ref, ids, reason }) => this.afterReview(e.review.release(ref, ids, reason)),
      'review:box': ({ ref, pageNo, box, code, reason }) => this.afterReview(e.review.box(ref, pageNo, box, code, reason)),
      'review:withhold': ({ ref, pageNo, code, reason }) => this.afterReview(e.review.withhold(ref, pageNo, code, reason)),
      'review:done': ({ ref }) => this.afterReview(e.review.done(ref)),
      'review:reopen': ({ ref, reason }) => this.afterReview(e.review.reopen(ref, reason)),
      'quarantine:list': (options) => quarantineViews(e.quarantine.list(options).map(({ jobId: _j, intakeEntryId: _i, ...item }) => item)),
      'quarantine:retry': async ({ id }) => this.afterQuarantine([outcomeOf(id, await e.quarantine.retry(id, { run: false }))])[0]!,
      'quarantine:release': async ({ id, reason }) => this.afterQuarantine([outcomeOf(id, await e.quarantine.release(id, reason, { run: false }))])[0]!,
      'quarantine:retry-many': async ({ ids }) => this.afterQuarantine(await eachItem(ids, (id) => e.quarantine.retry(id, { run: false }))),
      'quarantine:release-many': async ({ ids, reason }) => this.afterQuarantine(await eachItem(ids, (id) => e.quarantine.release(id, reason, { run: false }))),
      'requests:list': () => e.requests.list().map((r) => this.requestView(r)),
      'jurisdictions:list': () =>
        e.requests
          .jurisdictions()
          .map((j) => ({ code: j.code, name: j.name, periodDays: j.period.days, dayKind: j.period.kind, maxExtensionDays: j.extension.maxDays })),
      'request:add': (input) => this.afterRequest(e.requests.add(input)),
      'request:toll': ({ id, ...toll }) => this.afterRequest(e.requests.toll(id, toll)),
      'request:resume': ({ id, on }) => this.afterRequest(e.requests.resume(id, on)),
      'request:extend': ({ id, ...ext }) => this.afterRequest(e.requests.extend(id, ext)),
      'request:close': ({ id, on }) => this.afterRequest(e.requests.close(id, on)),
      'escalations:list': () => e.requests.escalations(),
      'escalation:acknowledge': ({ id, note }) => {
        const acknowledged = e.requests.acknowledge(id, note);
        this.changed('requests');
        this.changed('ledger');
        return acknowledged;
      },
      'backup:create': async ({ mountPoint, passphrase }) => {
        // As with reports: only a drive the host itself lists may be written to.
        if (!this.drives().some((d) => d.mountPoint === mountPoint))
          throw new EngineError('refused', `${mountPoint} is not a removable drive this workstation lists.`);
        const { dir, facts } = await e.audit.backup(passphrase, mountPoint);
        this.changed('ledger');
        return { dir, documents: facts.documents, headSeq: facts.head.seq, fingerprint: facts.fingerprint };
      },
      'ledger:status': () => {
        const recent = ledgerLines(e.audit.tailLedger(50));
        const head = recent.at(-1);
        return {
          entries: head?.seq ?? 0,
          head: head?.hash ?? null,
          checkpoints: e.audit.checkpoints(),
          recent,
          keyFingerprint: e.audit.signingKey().fingerprint,
        };
      },
      // In a thread of its own: a million entries take seconds, and the app's other calls go on meanwhile.
      'ledger:verify': () => e.audit.verifyLedgerOffThread(),
      'drives:list': () => this.drives(),
      'report:export': async ({ mountPoint }) => {
        // The renderer names a drive; only a drive the host itself lists may be written to.
        if (!this.drives().some((d) => d.mountPoint === mountPoint))
          throw new EngineError('refused', `${mountPoint} is not a removable drive this workstation lists.`);
        const { dir, facts } = await e.audit.exportReport({}, mountPoint);
        // Checked against our own key, not the one inside the folder: a copy re-signed on the way fails.
        const verdict = e.audit.verifyReport(dir, this.ownKey());
        this.changed('ledger');
        return {
          dir,
          documents: facts.summary.documents,
          ledgerHead: facts.ledger.head.hash,
          verified: verdict.ok,
          signedByThisWorkstation: verdict.ok && verdict.keyChecked,
          problems: verdict.ok ? [] : [verdict.problem],
        };
      },
      'release:export': async ({ requestId, mountPoint, batesPrefix }) => {
        if (!this.drives().some((d) => d.mountPoint === mountPoint))
          throw new EngineError('refused', `${mountPoint} is not a removable drive this workstation lists.`);
        const r = await e.releases.export({ requestId, outDir: mountPoint, batesPrefix });
        const verdict = verifyRelease(r.dir, this.ownKey());
        this.changed('ledger');
        return {
          dir: r.dir,
          documents: r.documents,
          pages: r.pages,
          batesFirst: r.batesFirst,
          batesLast: r.batesLast,
          redactions: r.redactions,
          withheldPages: r.withheldPages,
          verified: verdict.ok,
          signedByThisWorkstation: verdict.ok && verdict.keyChecked,
          problems: verdict.ok ? [] : [verdict.problem],
        };
      },
    };
  }

  /** This workstation's signing key, the one an export written here must verify against (not the key inside the folder). */
  private ownKey(): Map<string, string> {
    return new Map([[this.engine.audit.signingKey().fingerprint, 'this workstation']]);
  }

  /** A review decision changes the ledger and a request's reviewed counts. */
  private afterReview(r: DocumentReview): DocumentReview {
    this.changed('ledger');
    this.changed('requests');
    return r;
  }

  private afterHold(r: { queued: number }): { queued: number } {
    this.changed('batches');
    return r;
  }

  private afterQuarantine(r: QuarantineOutcome[]): QuarantineOutcome[] {
    this.runs.kick();
    this.changed('quarantine');
    this.changed('batches');
    return r;
  }

  private afterRequest(r: RequestSummary): RequestView {
    // A request added late or changed may have crossed already: escalate now, not at the next hourly sweep.
    this.sweepDeadlines();
    this.changed('requests');
    return this.requestView(r);
  }

  /** One deadline sweep; each new escalation also goes to the desktop, so it reaches a person with the view closed. */
  private sweepDeadlines(): void {
    const { escalated } = this.engine.requests.sweep();
    if (escalated.length === 0) return;
    for (const what of ['requests', 'ledger'] as const) this.changed(what);
    const waiting = this.engine.requests.escalations();
    for (const e of escalated) {
      const to = waiting.find((w) => w.requestId === e.requestId)?.supervisor;
      this.host.notify?.(
        `Request ${e.requestId} is ${e.level === 'overdue' ? 'overdue' : 'at risk'}`,
        `${to ? `For ${to}. ` : ''}Open Deadlines in Custodian to acknowledge it.`,
      );
    }
  }

  /** A request with its kind of day and whether it was already overdue when it was extended. */
  private requestView(r: RequestSummary): RequestView {
    const book = this.engine.deadlines;
    const record = book.request(r.id);
    return { ...r, dayKind: book.jurisdiction(r.jurisdiction).period.kind, overdueOn: overdueBeforeExtension(this.engine.db, book, record) };
  }

  /** A batch with progress over all its records (pages estimated for those not opened), shown lanes and quarantine by state. */
  private batchView(b: ReturnType<Engine['batches']['list']>[number]): BatchView {
    const db = this.engine.db;
    return { ...b, progress: batchProgress(db, b.batchId), lanes: batchShownLanes(db, b.batchId), quarantine: batchQuarantineStates(db, b.batchId) };
  }
}

/** The search box's words as a text query, or nothing when they do not read as one (a file name like `report (1`). */
function textMatchOf(search: string): string | undefined {
  try {
    return toFtsQuery(search);
  } catch {
    return undefined;
  }
}

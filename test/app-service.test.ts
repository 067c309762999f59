/**
 * The service behind both app faces (Electron IPC and the browser bridge), on a real engine: contract
 * validation, intake through the run loop, batch pause / cancel / continue, and coalesced events.
 */
import { openRawDatabase } from './helpers/raw-db.js';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AppService } from '../src/core/app-service/index.js';
import type { AppEvent, QuarantineOutcome, QuarantineView, RequestView } from '../src/shared/bridge-api.js';
import type { BatchOverview, BatchView, DocumentPage, LedgerLine } from '../src/shared/types.js';
import { multiPageTiff, realPng, scriptedOcr, tempDir, writeBag } from './helpers/fixtures.js';

const services: AppService[] = [];
afterEach(async () => {
  while (services.length) await services.pop()!.close();
});

function open(dataDir: string, extract = true, ocrDelayMs = 0): { service: AppService; events: AppEvent[] } {
  const events: AppEvent[] = [];
  const service = AppService.open(
    { dataDir, ocrAdapterModule: scriptedOcr('ok', undefined, ocrDelayMs), workers: 2, extract },
    { host: 'browser', version: 'test', emit: (e) => events.push(e) },
  );
  services.push(service);
  return { service, events };
}

async function ok<T>(service: AppService, channel: string, ...args: unknown[]): Promise<T> {
  const reply = await service.dispatch(channel, args);
  if (!reply.ok) throw new Error(`${channel}: ${reply.code} ${reply.message}`);
  return reply.value as T;
}

function folderOf(n: number): string {
  const dir = path.join(tempDir('custodian-app-in-'), 'scans');
  mkdirSync(dir);
  for (let i = 0; i < n; i++) writeFileSync(path.join(dir, `scan-${i}.png`), realPng());
  return dir;
}

const ledgerTypes = (s: AppService): string[] =>
  (s.engine.db.prepare('SELECT type FROM ledger ORDER BY seq').pluck().all() as string[]).filter((t) => t.startsWith('batch.'));

describe('AppService', () => {
  it('refuses unknown channels and arguments that fail the contract, with a code', async () => {
    const { service } = open(tempDir('custodian-app-'));
    expect(await service.dispatch('shell:exec', [])).toMatchObject({ ok: false, code: 'unknown-channel' });
    expect(await service.dispatch('batch:pause', [{ batchId: '../../etc' }])).toMatchObject({ ok: false, code: 'invalid-argument' }); // repo-paths: probe
    expect(await service.dispatch('quarantine:release', [{ id: 1, reason: '' }])).toMatchObject({ ok: false, code: 'invalid-argument' });
    expect(await service.dispatch('quarantine:list', [{ all: true, sql: 'DROP TABLE ledger' }])).toMatchObject({ ok: false, code: 'invalid-argument' });
    expect(await service.dispatch('ledger:verify', 'not an array')).toMatchObject({ ok: false, code: 'invalid-argument' });
    expect(await service.dispatch('intake:start', [{ paths: ['/nowhere/at/all'], requestId: null, lane: null }])).toMatchObject({
      ok: false,
      code: 'path-not-found',
    });
    expect(await service.dispatch('document:text', [{ ref: '999' }])).toMatchObject({ ok: false, code: 'not-found' });
    expect(await service.dispatch('report:export', [{ mountPoint: '/tmp' }])).toMatchObject({ ok: false, code: 'refused' });
  });

  it('takes a folder in through the run loop and reports progress, coalesced', async () => {
    const { service, events } = open(tempDir('custodian-app-'));
    const folder = folderOf(6);
    expect(await ok(service, 'intake:start', { paths: [folder], requestId: null, lane: null })).toEqual({ position: 0 });
    await service.idle();
    const [batch] = await ok<BatchOverview[]>(service, 'batches:list');
    expect(batch).toMatchObject({
      state: 'done',
      hold: null,
      roots: [folder],
      intake: { files: 6, registered: 6 },
      jobs: { done: 6, pending: 0 },
      pages: { planned: 6, extracted: 6 },
    });
    const runs = events.filter((e) => e.kind === 'run');
    expect(runs.at(-1)).toMatchObject({ run: { state: 'idle', current: null, lastError: null } });
    expect(runs.some((e) => e.kind === 'run' && e.run.current?.batchId === batch!.batchId)).toBe(true);
    expect(events).toContainEqual({ kind: 'changed', what: 'quarantine' });
  });

  it('pauses, cancels and continues a batch: held work is neither leased nor lost', async () => {
    const dataDir = tempDir('custodian-app-');
    const first = open(dataDir, false).service;
    await ok(first, 'intake:start', { paths: [folderOf(5)], requestId: null, lane: null });
    await first.idle();
    const [walked] = await ok<BatchOverview[]>(first, 'batches:list');
    expect(walked!.jobs).toMatchObject({ total: 5, pending: 5 });
    expect(await ok(first, 'batch:pause', { batchId: walked!.batchId })).toEqual({ queued: 5 });
    await first.close();
    services.length = 0;

    // A new session finds the held batch and leaves it alone.
    const { service } = open(dataDir);
    await service.idle();
    expect((await ok<BatchOverview[]>(service, 'batches:list'))[0]).toMatchObject({ hold: 'paused', state: 'processing', jobs: { done: 0, pending: 5 } });
    expect(service.engine.batches.hasRunnableWork()).toBe(false);

    expect(await service.dispatch('batch:cancel', [{ batchId: walked!.batchId, reason: 'ok' }])).toMatchObject({ ok: false, code: 'invalid-argument' });
    expect(await ok(service, 'batch:cancel', { batchId: walked!.batchId, reason: 'Wrong box of records' })).toEqual({ queued: 5 });
    expect((await ok<BatchOverview[]>(service, 'batches:list'))[0]).toMatchObject({ hold: 'cancelled', jobs: { pending: 5 } });

    expect(await ok(service, 'batch:continue', { batchId: walked!.batchId })).toEqual({ queued: 5 });
    await service.idle();
    expect((await ok<BatchOverview[]>(service, 'batches:list'))[0]).toMatchObject({ hold: null, state: 'done', jobs: { done: 5, pending: 0 } });
    expect(ledgerTypes(service)).toEqual(['batch.started', 'batch.walked', 'batch.paused', 'batch.cancelled', 'batch.continued', 'batch.completed']);
    expect(await service.dispatch('batch:pause', [{ batchId: walked!.batchId }])).toMatchObject({ ok: false, code: 'invalid-state' });
  });

  it('closes at once during a run; the next start finishes the work, nothing quarantined or lost', async () => {
    const dataDir = tempDir('custodian-app-');
    const first = open(dataDir, true, 100).service;
    await ok(first, 'intake:start', { paths: [folderOf(40)], requestId: null, lane: null });
    // Close as soon as some page is done, mid-batch.
    await expect
      .poll(() => (first.engine.db.prepare('SELECT COUNT(*) FROM pages WHERE method IS NOT NULL').pluck().get() as number) > 0, {
        interval: 5,
        timeout: 60_000,
      })
      .toBe(true);
    await first.close();
    services.length = 0;
    const stopped = openRawDatabase(dataDir, { readonly: true });
    const left = stopped.prepare(`SELECT state, COUNT(*) AS n FROM jobs GROUP BY state`).all() as { state: string; n: number }[];
    stopped.close();
    // Stopped mid-batch: work left, none of it leased to the closed engine.
    expect(left.find((r) => r.state === 'done')?.n ?? 0).toBeLessThan(40);
    expect(left.find((r) => r.state === 'leased')).toBeUndefined();
    const { service } = open(dataDir);
    await service.idle();
    const [batch] = await ok<BatchOverview[]>(service, 'batches:list');
    expect(batch).toMatchObject({ state: 'done', intake: { files: 40, registered: 40 }, jobs: { total: 40, done: 40, quarantined: 0, failed: 0 } });
    expect(service.engine.db.prepare(`SELECT COUNT(*) FROM quarantine`).pluck().get()).toBe(0);
    expect(service.engine.audit.verifyLedger()).toMatchObject({ ok: true });
  });

  it('shows restricted text only with a reason, and records the viewing', async () => {
    const { service } = open(tempDir('custodian-app-'));
    await ok(service, 'intake:start', { paths: [folderOf(1)], requestId: null, lane: 'pii' });
    await service.idle();
    const ref = String(service.engine.documents.list()[0]!.id);
    expect(await service.dispatch('document:text', [{ ref }])).toMatchObject({ ok: false, code: 'refused' });
    const pages = await ok<unknown[]>(service, 'document:text', { ref, restrictedReason: 'Preparing the redaction' });
    expect(pages).toHaveLength(1);
    const viewed = service.engine.db.prepare(`SELECT payload FROM ledger WHERE type = 'document.restricted-viewed'`).pluck().all() as string[];
    expect(viewed.map((p) => JSON.parse(p) as unknown)).toEqual([expect.objectContaining({ documentId: Number(ref), lane: 'pii' })]);
    expect(viewed[0]).not.toContain('redaction');
  });
});

describe('AppService for the app (issue 17)', () => {
  it('pages, sorts, filters and searches documents in SQL, with "pending" lanes until detection ran', async () => {
    const dataDir = tempDir('custodian-app-');
    const { service } = open(dataDir, false);
    await ok(service, 'request:add', { id: 'R-1', jurisdiction: 'us-federal', received: '2026-11-02' });
    await ok(service, 'intake:start', { paths: [folderOf(30)], requestId: 'R-1', lane: null });
    await service.idle();
    const first = await ok<DocumentPage>(service, 'documents:page', { offset: 0, limit: 10, sort: 'name' });
    expect(first).toMatchObject({ total: 30, all: 30, offset: 0 });
    expect(first.rows).toHaveLength(10);
    // Sorted by name as text: scan-0, scan-1, scan-10, …
    expect(first.rows.slice(0, 3).map((r) => path.basename(r.path))).toEqual(['scan-0.png', 'scan-1.png', 'scan-10.png']);
    expect(first.rows[0]).toMatchObject({ lane: 'pending', state: 'queued', requestId: 'R-1', paths: 1 });
    const last = await ok<DocumentPage>(service, 'documents:page', { offset: 25, limit: 10, sort: 'name', descending: true });
    expect(last.rows.map((r) => path.basename(r.path))).toEqual(['scan-12.png', 'scan-11.png', 'scan-10.png', 'scan-1.png', 'scan-0.png']);
    const searched = await ok<DocumentPage>(service, 'documents:page', { offset: 0, limit: 50, search: 'scan-2' });
    expect(searched.total).toBe(11);
    expect(await ok<DocumentPage>(service, 'documents:page', { offset: 0, limit: 50, search: '100%_' })).toMatchObject({ total: 0, all: 30 });
    expect(await ok<DocumentPage>(service, 'documents:page', { offset: 0, limit: 50, requestId: 'nobody' })).toMatchObject({ total: 0 });
    expect(await ok<DocumentPage>(service, 'documents:page', { offset: 0, limit: 50, lane: 'public' })).toMatchObject({ total: 0 });
    const [batch] = await ok<BatchView[]>(service, 'batches:list');
    expect(batch!.lanes).toEqual({ pending: 30, public: 0, pii: 0, classified: 0 });
    for (const sort of ['sha256', 'size', 'pages', 'method', 'confidence', 'lane', 'state', 'request', 'batch', 'takenIn'] as const) {
      const page = await ok<DocumentPage>(service, 'documents:page', { offset: 0, limit: 500, sort, batchId: batch!.batchId });
      expect(new Set(page.rows.map((r) => r.id)).size).toBe(30);
    }
    expect(await service.dispatch('documents:page', [{ offset: 0, limit: 5000 }])).toMatchObject({ ok: false, code: 'invalid-argument' });
  });

  it('estimates the pages of records not yet opened from their size, over the whole batch', async () => {
    const dataDir = tempDir('custodian-app-');
    const folder = path.join(tempDir('custodian-app-in-'), 'tiffs');
    mkdirSync(folder);
    for (let i = 0; i < 6; i++) writeFileSync(path.join(folder, `t-${i}.tif`), multiPageTiff(5));
    const first = open(dataDir, false).service;
    await ok(first, 'intake:start', { paths: [folder], requestId: null, lane: null });
    await first.idle();
    const [walked] = await ok<BatchView[]>(first, 'batches:list');
    // Nothing opened yet: one page a record, labelled as an estimate.
    expect(walked!.progress).toMatchObject({ records: 6, recordsDone: 0, recordsUnopened: 6, pagesKnown: 0, pagesTotal: 6, exact: false });
    // Open one record's worth by hand (as the dispatcher plans a document): the others are estimated at its bytes per page.
    first.engine.db.prepare('UPDATE documents SET page_count = 5 WHERE id = (SELECT MIN(id) FROM documents)').run();
    const [estimated] = await ok<BatchView[]>(first, 'batches:list');
    expect(estimated!.progress).toMatchObject({ recordsUnopened: 5, pagesKnown: 5, pagesTotal: 30, exact: false });
    first.engine.db.prepare('UPDATE documents SET page_count = NULL').run();
    await first.close();
    services.length = 0;
    const { service } = open(dataDir);
    await service.idle();
    const [done] = await ok<BatchView[]>(service, 'batches:list');
    expect(done!.progress).toMatchObject({ records: 6, recordsDone: 6, recordsUnopened: 0, pagesKnown: 30, pagesExtracted: 30, pagesTotal: 30, exact: true });
    expect(done!.lanes).toMatchObject({ pending: 0, public: 6 });
  });

  it('closes a request with its date, keeps the mark of an extension made while overdue, and says days in words', async () => {
    const { service } = open(tempDir('custodian-app-'));
    const late = await ok<RequestView>(service, 'request:add', { id: 'LATE-1', jurisdiction: 'us-federal', received: '2020-01-06' });
    expect(late).toMatchObject({ status: 'overdue', dayKind: 'business', overdueOn: null });
    const extended = await ok<RequestView>(service, 'request:extend', { id: 'LATE-1', days: 10, reason: 'Records at another site' });
    expect(extended.overdueOn).not.toBeNull();
    const closed = await ok<RequestView>(service, 'request:close', { id: 'LATE-1', on: '2020-03-02' });
    expect(closed).toMatchObject({ status: 'closed', closedOn: '2020-03-02' });
    const refused = await service.dispatch('request:add', [{ id: 'FUTURE-1', jurisdiction: 'us-federal', received: '2999-01-01' }]);
    expect(refused).toMatchObject({ ok: false, code: 'invalid-argument', message: 'The received date 2999-01-01 is in the future.' });
    const short = await service.dispatch('request:extend', [{ id: 'LATE-1', days: 1, reason: 'x' }]);
    expect(short).toMatchObject({ ok: false, code: 'invalid-argument' });
    expect((short as { message: string }).message).toMatch(/^Please check what was entered: a reason of at least 3 characters/u);
  });

  it('releases several quarantine items with one reason, shows folder and manifest, and explains ledger entries', async () => {
    const { service } = open(tempDir('custodian-app-'));
    const root = tempDir('custodian-app-in-');
    const a = path.join(root, 'bag-a');
    const b = path.join(root, 'bag-b');
    writeBag(a, { 'linn.png': realPng() });
    writeBag(b, { 'linn.png': realPng() });
    // Both bags' payloads altered after the manifests were written: two files named linn.png held for the same reason.
    writeFileSync(path.join(a, 'data', 'linn.png'), realPng());
    writeFileSync(path.join(b, 'data', 'linn.png'), realPng());
    await ok(service, 'intake:start', { paths: [root], requestId: null, lane: null });
    await service.idle();
    const held = await ok<QuarantineView[]>(service, 'quarantine:list', {});
    expect(held.map((q) => [q.reasonCode, path.basename(q.path), q.folder, q.manifest]).sort()).toEqual([
      ['digest-mismatch', 'linn.png', path.join(await realpathOf(a), 'data'), path.join(await realpathOf(a), 'manifest-sha256.txt')],
      ['digest-mismatch', 'linn.png', path.join(await realpathOf(b), 'data'), path.join(await realpathOf(b), 'manifest-sha256.txt')],
    ]);
    const retried = await ok<QuarantineOutcome[]>(service, 'quarantine:retry-many', { ids: held.map((q) => q.id) });
    expect(retried.map((r) => [r.outcome, r.reasonCode])).toEqual([
      ['still-held', 'digest-mismatch'],
      ['still-held', 'digest-mismatch'],
    ]);
    const released = await ok<QuarantineOutcome[]>(service, 'quarantine:release-many', {
      ids: [...held.map((q) => q.id), 999],
      reason: 'Sender confirmed the rescans',
    });
    expect(released.map((r) => r.outcome)).toEqual(['released', 'released', 'failed']);
    expect(released[2]!.error).toMatch(/\.$/u);
    const [batch] = await ok<BatchView[]>(service, 'batches:list');
    expect(batch!.quarantine).toEqual({ held: 0, released: 2, resolved: 0 });
    const ledger = await ok<{ recent: LedgerLine[] }>(service, 'ledger:status');
    expect(ledger.recent.filter((e) => e.type === 'quarantine.released').map((e) => e.sentence)).toEqual([
      'An operator released a quarantined file, giving a reason.',
      'An operator released a quarantined file, giving a reason.',
    ]);
    expect(ledger.recent.every((e) => !e.sentence.startsWith('Recorded:'))).toBe(true);
  });

  it("gives a document's own history as sentences", async () => {
    const { service } = open(tempDir('custodian-app-'));
    await ok(service, 'intake:start', { paths: [folderOf(2)], requestId: null, lane: null });
    await service.idle();
    const [doc] = (await ok<DocumentPage>(service, 'documents:page', { offset: 0, limit: 1 })).rows;
    const history = await ok<LedgerLine[]>(service, 'document:history', { ref: String(doc!.id) });
    expect(history.map((h) => h.type)).toEqual(expect.arrayContaining(['file.registered', 'job.queued', 'job.leased', 'document.planned', 'job.done']));
    expect(history.every((h) => JSON.stringify(h.payload).includes(String(doc!.id)) || h.type === 'job.leased')).toBe(true);
    expect(history.find((h) => h.type === 'job.done')!.sentence).toBe(`Text extraction of record ${doc!.id} finished.`);
  });
});

async function realpathOf(p: string): Promise<string> {
  const { realpath } = await import('node:fs/promises');
  return realpath(p);
}

describe('AppService: escalations reach a person, and a backup from the app', () => {
  it('sweeps at open: an overdue request is in the inbox and on the desktop; acknowledging takes it out', async () => {
    const dataDir = tempDir();
    // An earlier session registered a request, long overdue by now; nobody has opened the deadlines view since.
    const first = open(dataDir, false).service;
    await ok(first, 'request:add', { id: 'F-9', jurisdiction: 'us-federal', received: '2026-01-05' });
    first.engine.requests.setOfficeSupervisor('R. Chief');
    first.engine.db.prepare(`UPDATE requests SET escalation = 'on-track'`).run();
    await first.close();
    services.length = 0;

    const notes: [string, string][] = [];
    const service = AppService.open(
      { dataDir, ocrAdapterModule: scriptedOcr(), workers: 1, extract: false },
      { host: 'electron', version: 'test', emit: () => undefined, notify: (title, body) => notes.push([title, body]) },
    );
    services.push(service);
    expect(notes).toEqual([['Request F-9 is overdue', 'For R. Chief. Open Deadlines in Custodian to acknowledge it.']]);
    expect(await ok(service, 'escalations:list')).toEqual([{ requestId: 'F-9', level: 'overdue', supervisor: 'R. Chief', title: null }]);
    expect((await service.dispatch('escalation:acknowledge', [{ id: 'F-9', note: '' }])).ok).toBe(false);
    await ok(service, 'escalation:acknowledge', { id: 'F-9', note: 'answered by phone, letter goes out Friday' });
    expect(await ok(service, 'escalations:list')).toEqual([]);
  });

  it('backs up to a drive the host lists, and only there', async () => {
    const drive = tempDir();
    const dataDir = tempDir();
    const service = AppService.open(
      { dataDir, ocrAdapterModule: scriptedOcr(), workers: 1 },
      {
        host: 'electron',
        version: 'test',
        emit: () => undefined,
        listDrives: () => [{ mountPoint: drive, device: 'sdz1', fsType: 'vfat', sizeBytes: 1e9, freeBytes: 1e9 }],
      },
    );
    services.push(service);
    await ok(service, 'request:add', { id: 'B-1', jurisdiction: 'us-federal', received: '2026-11-30' });
    const refused = await service.dispatch('backup:create', [{ mountPoint: tempDir(), passphrase: 'correct horse battery staple' }]);
    expect(refused).toMatchObject({ ok: false, code: 'refused' });
    expect((await service.dispatch('backup:create', [{ mountPoint: drive, passphrase: 'short' }])).ok).toBe(false);
    const made = await ok<{ dir: string; headSeq: number }>(service, 'backup:create', { mountPoint: drive, passphrase: 'correct horse battery staple' });
    expect(path.dirname(made.dir)).toBe(drive);
    expect(made.headSeq).toBeGreaterThan(0);
    expect(service.engine.audit.verifyLedger().ok).toBe(true);
  });
});

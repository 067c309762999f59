/**
 * The service behind both app faces (Electron IPC and the browser bridge), on a real engine: contract
 * validation, intake through the run loop, batch pause / cancel / continue, and coalesced events.
 */
import Database from 'better-sqlite3';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AppService } from '../src/core/app-service/index.js';
import type { AppEvent } from '../src/shared/bridge-api.js';
import type { BatchOverview } from '../src/shared/types.js';
import { realPng, scriptedOcr, tempDir } from './helpers/fixtures.js';

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
    const stopped = new Database(path.join(dataDir, 'custodian.db'), { readonly: true });
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

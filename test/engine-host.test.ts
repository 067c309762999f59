/**
 * The desktop app's engine host and its relay as the app runs them, under plain Node: the host entry
 * (dist/src/core/app-service/host-entry.js) forked with advanced serialization where the app uses an
 * Electron utilityProcess, and the main process's EngineRelay in this process. Same messages, same code.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EngineRelay, type RelayDeps } from '../src/main/engine-relay.js';
import type { AppEvent, AppInfo, Reply } from '../src/shared/bridge-api.js';
import type { LedgerVerifyResult } from '../src/shared/types.js';
import { openDatabase } from '../src/core/store/index.js';
import { appendEvent } from '../src/core/ledger/index.js';
import { systemClock } from '../src/core/clock.js';
import { onlyJson, runCli } from './helpers/cli.js';
import { tempDir } from './helpers/fixtures.js';
import { forkHost, openMessage } from './helpers/engine-host.js';

function value<T>(reply: Reply<unknown>): T {
  if (!reply.ok) throw new Error(`${reply.code}: ${reply.message}`);
  return reply.value as T;
}

describe('engine host and relay (the app’s engine off the main process)', () => {
  it('answers calls, relays events, asks the main process for its folder dialog, and closes gracefully', async () => {
    const dataDir = path.join(tempDir(), 'data');
    const host = forkHost();
    const events: AppEvent[] = [];
    const deps: RelayDeps = { emit: (e) => events.push(e), chooseFolders: async () => ['/media/clerk/scans'] };
    const relay = await EngineRelay.start(host, openMessage(dataDir), deps);

    const info = value<AppInfo>(await relay.call('app:info', []));
    expect(info).toMatchObject({ dataDir, host: 'electron', version: '0.1.0-test', canChooseFolders: true });
    // The dialog is the main process's: the host asks, the relay answers.
    expect(value(await relay.call('intake:choose-folders', []))).toEqual(['/media/clerk/scans']);
    // Arguments are checked in the host against the contract, as in-process.
    expect(await relay.call('request:add', [{ id: 'R-1' }])).toMatchObject({ ok: false, code: 'invalid-argument' });
    expect(await relay.call('no:such', [])).toMatchObject({ ok: false, code: 'unknown-channel' });
    expect(value(await relay.call('request:add', [{ id: 'R-1', jurisdiction: 'us-federal', received: '2026-11-02' }]))).toMatchObject({ id: 'R-1' });
    expect(events).toContainEqual({ kind: 'changed', what: 'requests' });

    await relay.close();
    expect(await host.exited, host.stderr()).toBe(0);
    // Once the host has ended, a call is answered, not left hanging.
    expect(await relay.call('app:info', [])).toMatchObject({ ok: false, code: 'engine-stopped' });
    // It closed the database cleanly: the CLI opens the folder and the request is on the ledger.
    const verify = onlyJson<{ ok: boolean; entries: number }>(runCli(['--data-dir', dataDir, '--json', 'ledger', 'verify']).stdout);
    expect(verify.ok).toBe(true);
  });

  it('a data folder it cannot open is the CLI’s message, and the host then ends', async () => {
    const notAFolder = path.join(tempDir(), 'data');
    writeFileSync(notAFolder, 'a file where the data folder should be\n');
    const host = forkHost();
    const opening = EngineRelay.start(
      host,
      { engine: { dataDir: notAFolder }, version: '0', dbKey: { hex: null, store: 'key-file', location: '-' }, canChooseFolders: false },
      { emit: () => {} },
    );
    await expect(opening).rejects.toMatchObject({ code: 'data-dir-unusable', message: expect.stringContaining(notAFolder) });
    expect(await host.exited).toBe(0);
  });

  it('a long ledger verify does not hold up other calls', async () => {
    // 150,000 entries: about a second and a half of checking on this machine, long enough to order by.
    const dataDir = path.join(tempDir(), 'data');
    const db = openDatabase(dataDir);
    const fill = db.transaction((from: number) => {
      for (let i = from; i < from + 10_000; i++)
        appendEvent(db, systemClock, {
          traceId: '7d4f1d1e-5c0b-4d8e-9a1f-2b3c4d5e6f70',
          type: 'intake.paused',
          payload: { queueDepth: i, high: 256, low: 128 },
        });
    });
    for (let i = 0; i < 150_000; i += 10_000) fill.immediate(i);
    db.close();

    const host = forkHost();
    const relay = await EngineRelay.start(host, openMessage(dataDir), { emit: () => {} });
    const order: string[] = [];
    const verify = relay.call('ledger:verify', []).then((r) => {
      order.push('verify');
      return r;
    });
    const info = relay.call('app:info', []).then(() => order.push('app:info'));
    const status = relay.call('ledger:status', []).then(() => order.push('ledger:status'));
    const requests = relay.call('requests:list', []).then(() => order.push('requests:list'));
    await Promise.all([verify, info, status, requests]);
    // In the host's own thread the three would have waited for the check; in its thread they do not.
    expect(order.at(-1)).toBe('verify');
    const result = value<LedgerVerifyResult>(await verify);
    expect(result).toMatchObject({ ok: true });
    expect(result.entries).toBeGreaterThanOrEqual(150_000);
    await relay.close();
    expect(await host.exited).toBe(0);
  });

  it('the main process going away closes the engine as a quit does', async () => {
    const dataDir = path.join(tempDir(), 'data');
    const host = forkHost();
    const relay = await EngineRelay.start(host, openMessage(dataDir), { emit: () => {} });
    expect(value<AppInfo>(await relay.call('app:info', [])).dataDir).toBe(dataDir);
    host.child.disconnect();
    expect(await host.exited, host.stderr()).toBe(0);
  });
});

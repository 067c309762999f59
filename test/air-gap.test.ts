import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN } from './helpers/cli.js';
import { REPO, sample, tempDir } from './helpers/fixtures.js';

const PRELOAD = path.join(REPO, 'test', 'fixtures', 'airgap', 'no-network.mjs');

/** Whether this machine lets us run a command in a network namespace with no interfaces but loopback (down). */
function canUnshareNetwork(): boolean {
  return spawnSync('unshare', ['-n', 'true']).status === 0;
}

/** Runs node with the no-network preload, inside `unshare -n` when the machine allows it. */
function runWithoutNetwork(nodeArgs: string[], log: string, isolate: boolean) {
  const argv = [process.execPath, '--import', PRELOAD, ...nodeArgs];
  const [cmd, ...args] = isolate ? ['unshare', '-n', ...argv] : argv;
  return spawnSync(cmd!, args, {
    encoding: 'utf8',
    env: { ...process.env, CUSTODIAN_FAILPOINTS: '', CUSTODIAN_OCR_ADAPTER: '', CUSTODIAN_AIRGAP_LOG: log },
    maxBuffer: 64 << 20,
    timeout: 300_000,
  });
}

describe('air gap', () => {
  it('the preload really forbids networking (sanity check of the test itself)', () => {
    const log = path.join(tempDir(), 'airgap.log');
    const r = runWithoutNetwork(['-e', `try { fetch('http://192.0.2.1/'); } catch (e) { console.log(e.message); }`], log, false);
    expect(r.stdout).toContain('air gap: fetch is forbidden');
    expect(readFileSync(log, 'utf8')).toContain('ATTEMPT fetch');
  });

  it('a full ingest with real OCR and pdf.js runs with networking impossible', () => {
    const log = path.join(tempDir(), 'airgap.log');
    const isolate = canUnshareNetwork();
    const dataDir = tempDir('custodian-data-');
    const r = runWithoutNetwork(
      [BIN, '--data-dir', dataDir, '--json', '--workers', '2', 'ingest', sample('intake', 'scans', 'phototest.tif'), sample('intake', 'pdfs')],
      log,
      isolate,
    );
    expect(r.status, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout) as { jobs: { done: number; pending: number }; pages: { total: number; ocr: number } };
    expect(summary.jobs).toMatchObject({ done: 3, pending: 0 });
    expect(summary.pages.ocr).toBeGreaterThanOrEqual(2);
    const lines = existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : [];
    expect(lines.filter((l) => l.startsWith('ATTEMPT'))).toEqual([]);
    // The patch ran in the main thread and in the pool threads (and tesseract's own), not just in one.
    expect(new Set(lines.filter((l) => l.startsWith('loaded')).map((l) => l)).size).toBeGreaterThanOrEqual(3);
    if (!isolate) console.warn('unshare -n is not permitted here: the air-gap test ran with patched networking only');
  });

  it.runIf(spawnSync('strace', ['-V']).status === 0)('opens no network socket during a full ingest and report export (strace, no network namespace)', () => {
    const data = tempDir('custodian-strace-');
    const out = tempDir('custodian-strace-out-');
    const traces: string[] = [];
    const isolate = canUnshareNetwork() ? ['unshare', '-n'] : [];
    for (const [i, args] of [
      ['ingest', sample('intake')],
      ['report', 'export', '--out', out],
    ].entries()) {
      const trace = path.join(data, `trace-${i}.txt`);
      const argv = [
        ...isolate,
        'strace',
        '-f',
        '-qq',
        '-e',
        'trace=socket,socketpair,connect,bind,sendto',
        '-o',
        trace,
        process.execPath,
        BIN,
        '--data-dir',
        data,
        '--quiet',
        ...args,
      ];
      const r = spawnSync(argv[0]!, argv.slice(1), {
        encoding: 'utf8',
        env: { ...process.env, CUSTODIAN_FAILPOINTS: '', CUSTODIAN_OCR_ADAPTER: '' },
        timeout: 300_000,
      });
      expect(r.status, r.stderr).toBe(0);
      traces.push(...readFileSync(trace, 'utf8').split('\n').filter(Boolean));
    }
    // Only local Unix sockets may appear, and only glibc's name-service cache (the operator's name for the report).
    const sockets = traces.filter((l) => /\bsocket(pair)?\(/u.test(l));
    expect(sockets.filter((l) => !/\(AF_UNIX\b/u.test(l))).toEqual([]);
    const connects = traces.filter((l) => /\bconnect\(/u.test(l));
    expect(connects.filter((l) => !/sun_path="\/var\/run\/nscd\/socket"/u.test(l))).toEqual([]);
    expect(traces.filter((l) => /\b(bind|sendto)\(/u.test(l))).toEqual([]);
    console.log(
      `air gap (strace): ingest of the samples with real OCR + signed report export${isolate.length ? ' inside unshare -n' : ''}: ` +
        `0 network sockets, ${sockets.length} local Unix socket(s) (${connects.length} connect attempt(s) to the nscd cache), 0 bind/sendto`,
    );
  });
});

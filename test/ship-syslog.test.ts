import { spawn } from 'node:child_process';
import { appendFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, onlyJson, runCli } from './helpers/cli.js';
import { realPng, sample, scriptedOcr, tempDir, suiteTempDir, write } from './helpers/fixtures.js';
import { Collector, RSYSLOGD, RSYSLOG_GTLS, makeCertificates } from './helpers/rsyslog.js';

type Sd = { seq: number; hash: string; prev: string; type: string; line: string };

/** The structured data of each received message, in arrival order. */
function received(collector: Collector): Sd[] {
  return collector.lines().map((line) => {
    const m = /\[custodian@32473 seq="(\d+)" hash="([0-9a-f]{64})" prev="([0-9a-f]{64})" trace="[^"]*" type="([^"]+)"\]/u.exec(line);
    if (!m) throw new Error(`not a Custodian message: ${line}`);
    return { seq: Number(m[1]), hash: m[2]!, prev: m[3]!, type: m[4]!, line };
  });
}

function head(data: string): number {
  return onlyJson<{ head: number }>(runCli(['--data-dir', data, '--json', 'ship', 'status']).stdout).head;
}

async function until(what: string, condition: () => boolean): Promise<void> {
  // Bounded only so a broken collector fails the test with a message instead of hanging it.
  for (let i = 0; i < 1500 && !condition(); i++) await new Promise((r) => setTimeout(r, 20));
  if (!condition()) throw new Error(`gave up waiting: ${what}`);
}

describe.skipIf(!RSYSLOGD)('ledger shipping to a syslog collector (rsyslog on 127.0.0.1)', () => {
  let collector: Collector;
  let data: string;
  beforeAll(async () => {
    collector = await Collector.start(suiteTempDir());
    data = suiteTempDir();
  });
  afterAll(async () => collector?.stop());

  /**
   * Every entry 1..head arrived, in order, chained; repeats (a round resent after a crash) are byte-identical
   * but for the header's PROCID: the resend comes from the process that resumed, not the one killed.
   */
  function expectWholeChain(): void {
    const got = received(collector);
    const firstSeen = new Map<number, string>();
    // RFC 5424 header: <PRI>VERSION TIMESTAMP HOSTNAME APP-NAME PROCID MSGID; everything but PROCID must match.
    const withoutProcId = (line: string): string => line.replace(/^(\S+ \S+ \S+ \S+) \S+ /u, '$1 - ');
    for (const m of got) {
      const content = withoutProcId(m.line);
      if (firstSeen.has(m.seq)) expect(content, `entry ${m.seq} repeated with other content`).toBe(firstSeen.get(m.seq));
      else firstSeen.set(m.seq, content);
    }
    const order = got.filter((m, i) => got.findIndex((n) => n.seq === m.seq) === i);
    expect(order.map((m) => m.seq)).toEqual(Array.from({ length: head(data) }, (_, i) => i + 1));
    for (let i = 1; i < order.length; i++) expect(order[i]!.prev).toBe(order[i - 1]!.hash);
  }

  it('ships every entry of an ingest once, in order, with seq and hash for the collector to check the chain', async () => {
    const configure = runCli(['--data-dir', data, 'ship', 'configure', '--syslog', `tcp://127.0.0.1:${collector.port}`]);
    expect(configure.code, configure.stderr).toBe(0);
    expect(runCli(['--data-dir', data, '-q', 'ingest', sample('intake')]).code).toBe(0);
    const status = onlyJson<{ confirmedSeq: number; head: number; lastError: string | null }>(runCli(['--data-dir', data, '--json', 'ship', 'status']).stdout);
    expect(status.lastError).toBeNull();
    expect(status.confirmedSeq).toBe(status.head);
    await until('every entry written by rsyslog', () => collector.lines().length >= status.head);
    expect(received(collector)).toHaveLength(status.head);
    expectWholeChain();
    expect(received(collector).map((m) => m.type)).toContain('ship.configured');
    // Ledger payloads only: no page text, no file names.
    const all = collector.lines().join('\n');
    expect(all).not.toMatch(/scripted text|\.(?:pdf|png|tiff?|jpe?g)\b/iu);
  });

  it('loses nothing and repeats nothing across a collector outage: entries wait and go when it is back', async () => {
    await collector.stop();
    const share = tempDir();
    for (let i = 0; i < 3; i++) write(path.join(share, `outage-${i}.png`), realPng(32));
    const during = runCli(['--data-dir', data, '-q', 'ingest', share]);
    expect(during.code, 'a collector outage must not fail intake').toBe(0);
    const waiting = onlyJson<{ confirmedSeq: number; head: number; lastError: string | null }>(runCli(['--data-dir', data, '--json', 'ship', 'status']).stdout);
    expect(waiting.lastError).toMatch(/ECONNREFUSED/u);
    expect(waiting.confirmedSeq).toBeLessThan(waiting.head);
    expect(runCli(['--data-dir', data, 'ship', 'now']).code).toBe(1);

    await collector.start();
    const now = runCli(['--data-dir', data, '--json', 'ship', 'now']);
    expect(now.code, now.stderr).toBe(0);
    await until('the waiting entries written', () => collector.lines().length >= head(data));
    expect(received(collector)).toHaveLength(head(data));
    expectWholeChain();
  });

  it('after a SIGKILL of the shipping process, resume sends the rest: nothing lost, order kept', async () => {
    const share = tempDir();
    for (let i = 0; i < 16; i++) write(path.join(share, `kill-${i}.png`), realPng(40));
    const before = head(data);
    const child = spawn(process.execPath, [BIN, '--data-dir', data, '-q', '--workers', '1', 'ingest', share], {
      env: { ...process.env, CUSTODIAN_FAILPOINTS: '', CUSTODIAN_OCR_ADAPTER: scriptedOcr('ok', undefined, 250) },
      stdio: 'ignore',
    });
    const exited = new Promise((r) => child.once('close', r));
    // Killed once the background shipper has sent part of this run (it ships every 2 s while work goes on).
    await until('the background shipper sent entries of the running batch', () => received(collector).some((m) => m.seq > before + 5));
    child.kill('SIGKILL');
    await exited;
    expect(runCli(['--data-dir', data, '-q', 'resume']).code).toBe(0);
    await until('every entry written', () => new Set(received(collector).map((m) => m.seq)).size >= head(data));
    expectWholeChain();
  });

  it('refuses a collector address it cannot use, and a TLS target without a pinned CA', () => {
    const bad = runCli(['--data-dir', data, 'ship', 'configure', '--syslog', 'udp://127.0.0.1:514']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/tcp:\/\/ or tls:\/\//u);
    expect(runCli(['--data-dir', data, 'ship', 'configure', '--syslog', 'tls://127.0.0.1:6514']).stderr).toMatch(/--tls-ca/u);
  });
});

describe.skipIf(!RSYSLOGD || !RSYSLOG_GTLS)('ledger shipping over TLS (RFC 5425) with a pinned CA', () => {
  it('ships to a collector whose certificate the pinned CA signed, and refuses one it did not', async () => {
    const dir = tempDir();
    const certs = makeCertificates(dir);
    const collector = await Collector.start(dir, certs);
    try {
      const data = tempDir();
      expect(runCli(['--data-dir', data, 'ship', 'configure', '--syslog', `tls://127.0.0.1:${collector.port}`, '--tls-ca', certs.ca]).code).toBe(0);
      expect(runCli(['--data-dir', data, '-q', 'ingest', '--no-extract', sample('intake')]).code).toBe(0);
      const status = onlyJson<{ confirmedSeq: number; head: number; lastError: string | null }>(
        runCli(['--data-dir', data, '--json', 'ship', 'status']).stdout,
      );
      expect(status.lastError).toBeNull();
      expect(status.confirmedSeq).toBe(status.head);
      await until('every entry written', () => collector.lines().length >= status.head);
      expect(received(collector).map((m) => m.seq)).toEqual(Array.from({ length: status.head }, (_, i) => i + 1));

      // Another CA (an impostor's): the same collector is not trusted, and nothing is counted as sent.
      const other = tempDir();
      const impostorCa = makeCertificates(other, 'other-ca').ca;
      const data2 = tempDir();
      expect(runCli(['--data-dir', data2, 'ship', 'configure', '--syslog', `tls://127.0.0.1:${collector.port}`, '--tls-ca', impostorCa]).code).toBe(0);
      const refused = runCli(['--data-dir', data2, '--json', 'ship', 'now']);
      expect(refused.code).toBe(1);
      const after = onlyJson<{ confirmedSeq: number; lastError: string | null }>(runCli(['--data-dir', data2, '--json', 'ship', 'status']).stdout);
      expect(after.confirmedSeq).toBe(0);
      expect(after.lastError).toMatch(/certificate/iu);
    } finally {
      await collector.stop();
    }
  });
});

describe('ledger mirror to a second drive', () => {
  it('appends each entry once, resumes from its last seq, drops a line cut short, and refuses another history', () => {
    const data = tempDir();
    const drive = tempDir();
    expect(runCli(['--data-dir', data, '-q', 'ingest', '--no-extract', sample('intake')]).code).toBe(0);
    const first = onlyJson<{ file: string; appended: number; lastSeq: number }>(runCli(['--data-dir', data, '--json', 'ship', 'mirror', drive]).stdout);
    expect(first.appended).toBe(first.lastSeq);
    const again = onlyJson<{ appended: number }>(runCli(['--data-dir', data, '--json', 'ship', 'mirror', drive]).stdout);
    expect(again.appended).toBe(0);

    // A crash mid-append leaves half a line: it is dropped and written again whole.
    appendFileSync(first.file, '{"seq":99999,"ts":"2026-');
    expect(runCli(['--data-dir', data, '-q', 'resume']).code).toBe(0);
    const third = onlyJson<{ lastSeq: number }>(runCli(['--data-dir', data, '--json', 'ship', 'mirror', drive]).stdout);
    const lines = readFileSync(first.file, 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { seq: number });
    expect(lines.map((l) => l.seq)).toEqual(Array.from({ length: third.lastSeq }, (_, i) => i + 1));

    const other = tempDir();
    expect(runCli(['--data-dir', other, '-q', 'ingest', '--no-extract', sample('intake')]).code).toBe(0);
    const refused = runCli(['--data-dir', other, 'ship', 'mirror', drive]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/mirrors another history/u);
  });
});

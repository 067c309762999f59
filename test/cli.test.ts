import { openRawDatabase } from './helpers/raw-db.js';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sample, scriptedOcr, tempDir } from './helpers/fixtures.js';
import { BIN, onlyJson, runCli } from './helpers/cli.js';

describe('custodian CLI', () => {
  it('prints help with every command and exits 0', () => {
    const r = runCli(['--help']);
    expect(r.code).toBe(0);
    for (const cmd of ['ingest', 'resume', 'docs', 'quarantine', 'ledger', 'reasons']) expect(r.stdout).toContain(cmd);
    expect(r.stdout).toContain('Exit codes: 0 done');
  });

  it('exits 1 on usage errors', () => {
    expect(runCli(['frobnicate']).code).toBe(1);
    expect(runCli(['ingest']).code).toBe(1);
    const noReason = runCli(['--data-dir', tempDir(), 'quarantine', 'release', '1']);
    expect(noReason.code).toBe(1);
    expect(noReason.stderr).toMatch(/--reason/);
    expect(runCli(['--data-dir', tempDir(), 'quarantine', 'retry', 'abc']).code).toBe(1);
  });

  it('ingests the shipped samples with exactly one JSON object on stdout, exit 0 despite quarantine', () => {
    const data = tempDir();
    const r = runCli(['--data-dir', data, 'ingest', sample('intake'), '--json']);
    expect(r.code).toBe(0);
    const summary = onlyJson(r.stdout);
    expect(Object.keys(summary)).toEqual(
      expect.arrayContaining(['batchId', 'traceId', 'files', 'registered', 'duplicates', 'quarantined', 'unsupported', 'durationMs']),
    );
    expect(summary).toMatchObject({ files: 13, registered: 6, duplicates: 1, quarantined: 1, unsupported: 0, custodyFiles: 5, holds: 1 });
    // Progress went to stderr as plain lines (no TTY here).
    expect(r.stderr).toMatch(/^hashed 13 files \(629\.8 KB\) \| \[#+\] pages 7\/7, \d+ pages\/min, ETA 0:00, queue 0, workers 0\/\d$/m);
    expect(r.stderr).not.toContain('\r');
  });

  it('draws a progress bar on a terminal', () => {
    const data = tempDir();
    const out = execFileSync('script', ['-qec', `${process.execPath} ${BIN} --data-dir ${data} ingest ${sample('intake', 'scans')}`, '/dev/null'], {
      encoding: 'utf8',
      env: { ...process.env, CUSTODIAN_OCR_ADAPTER: scriptedOcr() },
    });
    expect(out).toMatch(/\r\x1b\[2Khashed 3 files \([\d.]+ KB\) \| \[#+\] pages 3\/3/);
    expect(out).toContain('3 files: 3 registered');
  });

  it('reads the data dir from CUSTODIAN_DATA_DIR', () => {
    const data = tempDir();
    expect(runCli(['ingest', sample('intake', 'scans'), '--json'], { CUSTODIAN_DATA_DIR: data }).code).toBe(0);
    expect(onlyJson(runCli(['--data-dir', data, 'ledger', 'verify', '--json']).stdout)).toMatchObject({ ok: true });
  });

  it('explains an unusable data dir and exits 1', () => {
    const file = path.join(tempDir(), 'file');
    writeFileSync(file, 'x');
    const r = runCli(['--data-dir', path.join(file, 'data'), 'ingest', sample('intake'), '--json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Cannot use data directory .*file\/data: ENOTDIR/);
    expect(onlyJson(r.stdout)).toMatchObject({ ok: false, error: { code: 'data-dir-unusable' } });
  });

  it('explains a missing input path and exits 1', () => {
    const r = runCli(['--data-dir', tempDir(), 'ingest', '/no/such/records']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Cannot ingest /no/such/records: no such file or folder');
  });

  it('verifies the ledger: exit 0 when intact, exit 2 naming the first bad entry when altered', () => {
    const data = tempDir();
    runCli(['--data-dir', data, 'ingest', sample('intake')]);
    const ok = runCli(['--data-dir', data, 'ledger', 'verify', '--json']);
    expect(ok.code).toBe(0);
    const intact = onlyJson(ok.stdout);
    expect(intact).toEqual({
      ok: true,
      entries: expect.any(Number),
      head: expect.stringMatching(/^[0-9a-f]{64}$/),
      checkpoints: 1,
      state: { checked: expect.any(Number), unbound: 0 },
    });

    const db = openRawDatabase(data);
    db.exec('DROP TRIGGER ledger_refuse_update');
    const target = db.prepare(`SELECT MIN(seq) FROM ledger WHERE type = 'file.registered'`).pluck().get() as number;
    db.prepare(`UPDATE ledger SET payload = replace(payload, '"size":', '"size":1') WHERE seq = ?`).run(target);
    db.close();
    const bad = runCli(['--data-dir', data, 'ledger', 'verify', '--json']);
    expect(bad.code).toBe(2);
    const { firstBadSeq } = onlyJson<{ firstBadSeq: number }>(bad.stdout);
    expect(onlyJson(bad.stdout)).toEqual({ ok: false, firstBadSeq: expect.any(Number), reason: expect.stringMatching(/^hash-mismatch/) });
    const human = runCli(['--data-dir', data, 'ledger', 'verify']);
    expect(human.code).toBe(2);
    expect(human.stdout).toContain(`LEDGER BROKEN at entry ${firstBadSeq}`);
  });

  it('tails the ledger', () => {
    const data = tempDir();
    runCli(['--data-dir', data, 'ingest', sample('intake', 'scans')]);
    const { entries } = onlyJson<{ entries: { seq: number; type: string }[] }>(runCli(['--data-dir', data, 'ledger', 'tail', '-n', '2', '--json']).stdout);
    // The batch's end is sealed by a signed checkpoint, itself a ledger entry.
    expect(entries.map((e) => e.type)).toEqual(['batch.completed', 'ledger.checkpoint']);
    expect(runCli(['--data-dir', data, 'ledger', 'tail', '-n', '3']).stdout.trim().split('\n')).toHaveLength(3);
  });

  it('lists, retries and releases quarantine items', () => {
    const data = tempDir();
    runCli(['--data-dir', data, 'ingest', sample('intake')]);
    const { items } = onlyJson<{ items: { id: number; reasonCode: string; path: string }[] }>(runCli(['--data-dir', data, 'quarantine', '--json']).stdout);
    expect(items.map((i) => [path.basename(i.path), i.reasonCode])).toEqual([
      ['linn.png', 'digest-mismatch'],
      ['invalid.pdf', 'invalid-pdf'],
    ]);
    const id = String(items[0]!.id);
    expect(onlyJson(runCli(['--data-dir', data, 'quarantine', 'retry', id, '--json']).stdout)).toMatchObject({ outcome: 'still-held' });
    const released = runCli(['--data-dir', data, 'quarantine', 'release', id, '--reason', 'Verified against the paper original', '--json']);
    expect(released.code).toBe(0);
    // linn.png in the bag has the same bytes as scans/linn.png: released, it is a duplicate of that record.
    expect(onlyJson(released.stdout)).toMatchObject({ outcome: 'released', state: 'released', documentId: expect.any(Number) });
    expect(runCli(['--data-dir', data, 'quarantine']).stdout).not.toContain('linn.png');
    expect(runCli(['--data-dir', data, 'quarantine', '--all']).stdout).toContain('[released: Verified against the paper original]');
    expect(runCli(['--data-dir', data, 'quarantine', 'retry', '999']).code).toBe(1);
  });

  it('lists documents with their state, hold and paths', () => {
    const data = tempDir();
    const { batchId } = onlyJson<{ batchId: string }>(runCli(['--data-dir', data, 'ingest', sample('intake'), '--json']).stdout);
    const { documents } = onlyJson<{ documents: { path: string; state: string; legalHold: boolean; paths: number }[] }>(
      runCli(['--data-dir', data, 'docs', '--batch', batchId, '--json']).stdout,
    );
    expect(documents).toHaveLength(6);
    expect(documents.map((d) => [path.basename(d.path), d.state])).toEqual([
      ['invalid.pdf', 'quarantined'],
      ['3small.pdf', 'done'],
      ['trivial.pdf', 'done'],
      ['eurotext.tif', 'done'],
      ['linn.png', 'done'],
      ['phototest.tif', 'done'],
    ]);
    expect(documents.filter((d) => d.legalHold).map((d) => path.basename(d.path))).toEqual(['trivial.pdf']);
    expect(documents.find((d) => d.path.endsWith('scans/phototest.tif'))!.paths).toBe(2);
    const human = runCli(['--data-dir', data, 'docs']).stdout;
    expect(human).toMatch(/trivial\.pdf {2}\(LEGAL HOLD\)/);
    expect(human).toMatch(/phototest\.tif {2}\(2 paths\)/);
  });

  it('pauses, cancels and continues a batch; a held batch is left alone by resume', () => {
    const data = tempDir();
    const { batchId } = onlyJson<{ batchId: string }>(runCli(['--data-dir', data, 'ingest', '--no-extract', sample('intake'), '--json']).stdout);
    expect(runCli(['--data-dir', data, 'batch', 'pause', batchId]).stdout).toMatch(/paused: \d+ record\(s\) waiting/);
    expect(onlyJson<{ jobs: { done: number } }>(runCli(['--data-dir', data, 'resume', '--json']).stdout).jobs.done).toBe(0);
    const cancelled = runCli(['--data-dir', data, 'batch', 'cancel', batchId, '--reason', 'Wrong box']);
    expect(cancelled.code).toBe(0);
    const { batches } = onlyJson<{ batches: { batchId: string; hold: string | null; state: string }[] }>(
      runCli(['--data-dir', data, 'batches', '--json']).stdout,
    );
    expect(batches).toEqual([expect.objectContaining({ batchId, hold: 'cancelled', state: 'processing' })]);
    const continued = runCli(['--data-dir', data, 'batch', 'continue', batchId]);
    expect(continued.stdout).toMatch(/continued: 5 record\(s\) processed, 1 quarantined/);
    expect(runCli(['--data-dir', data, 'batches']).stdout).toMatch(new RegExp(`${batchId}  done`));
    expect(runCli(['--data-dir', data, 'batch', 'pause', batchId]).code).toBe(1);
    expect(runCli(['--data-dir', data, 'batch', 'pause', '00000000-0000-4000-8000-000000000000']).stderr).toMatch(/No batch/);
  });

  it('lists the reason codes', () => {
    const { reasons } = onlyJson<{ reasons: Record<string, string> }>(runCli(['reasons', '--json']).stdout);
    expect(Object.keys(reasons)).toEqual(expect.arrayContaining(['digest-mismatch', 'missing-from-payload', 'not-in-manifest', 'retention']));
  });
});

import { spawnSync } from 'node:child_process';
import { generateKeyPairSync, sign } from 'node:crypto';
import { appendFileSync, cpSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { openRawDatabase } from './helpers/raw-db.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN, onlyJson, runCli } from './helpers/cli.js';
import { sample, suiteTempDir, tempDir } from './helpers/fixtures.js';

/** A data dir with one ingested batch, and a fresh export of it, for each test to copy and damage. */
let dataDir: string;
let report: string;
const cli = (...args: string[]) => runCli(['--data-dir', dataDir, ...args]);
const copyOfReport = (): string => {
  const dir = path.join(tempDir('custodian-report-copy-'), 'report');
  cpSync(report, dir, { recursive: true });
  return dir;
};
const verify = (dir: string) => runCli(['--data-dir', tempDir('custodian-elsewhere-'), 'report', 'verify', dir]);

describe('signed reports and checkpoints', () => {
  beforeAll(() => {
    dataDir = suiteTempDir('custodian-audit-data-');
    expect(cli('-q', 'ingest', sample('intake', 'pdfs')).code).toBe(0);
    const out = suiteTempDir('custodian-usb-');
    const r = onlyJson<{ dir: string; documents: number }>(cli('--json', 'report', 'export', '--out', out).stdout);
    report = r.dir;
    expect(r.documents).toBe(2);
  }, 120_000);

  it('exports a complete folder that verifies with Custodian alone, in another data dir', () => {
    expect(readdirSync(report).sort()).toEqual([
      'README.txt',
      'ledger.jsonl',
      'manifest-sha256.txt',
      'public-key.pem',
      'report.json',
      'report.pdf',
      'signature.ed25519',
    ]);
    const r = verify(report);
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toMatch(/Report verified: 5 files/);
    const facts = JSON.parse(readFileSync(path.join(report, 'report.json'), 'utf8')) as { documents: unknown[]; signing: { fingerprint: string } };
    expect(facts.documents).toHaveLength(2);
    const key = onlyJson<{ fingerprint: string }>(cli('--json', 'key', 'show').stdout);
    expect(facts.signing.fingerprint).toBe(key.fingerprint);
    expect(readFileSync(path.join(report, 'report.pdf')).subarray(0, 5).toString()).toBe('%PDF-');
    // The private key is the owner's alone.
    expect(statSync(path.join(dataDir, 'keys', 'ed25519-private.pem')).mode & 0o777).toBe(0o600);
  });

  it("passes the README's OpenSSL 3 steps", () => {
    if (spawnSync('openssl', ['version']).status !== 0) return void console.warn('openssl not installed: README steps not run');
    const v = spawnSync(
      'openssl',
      ['pkeyutl', '-verify', '-pubin', '-inkey', 'public-key.pem', '-rawin', '-in', 'manifest-sha256.txt', '-sigfile', 'signature.ed25519'],
      { cwd: report, encoding: 'utf8' },
    );
    expect(v.stdout).toContain('Signature Verified Successfully');
    expect(spawnSync('sha256sum', ['-c', 'manifest-sha256.txt'], { cwd: report }).status).toBe(0);
    const fp = spawnSync('sh', ['-c', 'openssl pkey -pubin -in public-key.pem -outform DER | tail -c 32 | sha256sum'], { cwd: report, encoding: 'utf8' });
    expect(readFileSync(path.join(report, 'README.txt'), 'utf8')).toContain(fp.stdout.split(' ')[0]!);
    const tampered = copyOfReport();
    appendFileSync(path.join(tampered, 'manifest-sha256.txt'), ' ');
    const bad = spawnSync(
      'openssl',
      ['pkeyutl', '-verify', '-pubin', '-inkey', 'public-key.pem', '-rawin', '-in', 'manifest-sha256.txt', '-sigfile', 'signature.ed25519'],
      { cwd: tampered, encoding: 'utf8' },
    );
    expect(bad.status).not.toBe(0);
  });

  it.each(['report.pdf', 'report.json', 'ledger.jsonl', 'public-key.pem', 'README.txt', 'manifest-sha256.txt', 'signature.ed25519'])(
    'fails with exit 2 naming the cause when one byte of %s changes',
    (file) => {
      const dir = copyOfReport();
      const target = path.join(dir, file);
      const bytes = readFileSync(target);
      const at = Math.floor(bytes.length / 2);
      bytes.writeUInt8(bytes.readUInt8(at) ^ 0x01, at);
      writeFileSync(target, bytes);
      const r = verify(dir);
      expect(r.code).toBe(2);
      expect(r.stdout).toMatch(
        file === 'manifest-sha256.txt' || file === 'signature.ed25519' ? /signature|public-key/ : new RegExp(`${file.replace('.', '\\.')}|signature`),
      );
    },
  );

  it('fails when a file is added or removed, or another key is swapped in', () => {
    const added = copyOfReport();
    writeFileSync(path.join(added, 'extra.txt'), 'hello');
    expect(verify(added)).toMatchObject({ code: 2, stdout: expect.stringContaining('files not in the manifest: extra.txt') });
    const removed = copyOfReport();
    rmSync(path.join(removed, 'ledger.jsonl'));
    expect(verify(removed)).toMatchObject({ code: 2, stdout: expect.stringContaining('ledger.jsonl is missing') });
    // Another key, re-signing the untouched manifest: the folder is self-consistent but not this workstation's.
    const swapped = copyOfReport();
    const other = generateKeyPairSync('ed25519');
    writeFileSync(path.join(swapped, 'public-key.pem'), other.publicKey.export({ format: 'pem', type: 'spki' }));
    writeFileSync(path.join(swapped, 'signature.ed25519'), sign(null, readFileSync(path.join(swapped, 'manifest-sha256.txt')), other.privateKey));
    expect(verify(swapped)).toMatchObject({ code: 2 });
  });

  it('proves the ledger still holds the exported head; truncation after the export fails --against and ledger verify', () => {
    const here = path.join(tempDir('custodian-trunc-'), 'data');
    cpSync(dataDir, here, { recursive: true });
    const against = (dir: string) => runCli(['--data-dir', dir, 'ledger', 'verify', '--against', report]);
    expect(against(here).code).toBe(0);
    const head = (JSON.parse(readFileSync(path.join(report, 'report.json'), 'utf8')) as { ledger: { head: { seq: number } } }).ledger.head.seq;
    const db = openRawDatabase(here);
    db.exec('DROP TRIGGER ledger_refuse_delete');
    db.prepare('DELETE FROM ledger WHERE seq >= ?').run(head - 1);
    db.close();
    const r = against(here);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/truncated/);
    const v = runCli(['--data-dir', here, 'ledger', 'verify']);
    expect(v.code).toBe(2);
    expect(v.stdout).toMatch(/triggers-missing: ledger_refuse_delete/);
    // Put back, the trigger no longer gives the cut away; the signed heads the ledger recorded still do.
    const again = openRawDatabase(here);
    again.exec(`CREATE TRIGGER ledger_refuse_delete BEFORE DELETE ON ledger BEGIN SELECT RAISE(ABORT, 'x'); END`);
    again.close();
    const w = runCli(['--data-dir', here, 'ledger', 'verify']);
    expect(w.code).toBe(2);
    expect(w.stdout).toMatch(/checkpoint-unrecorded: .*cut off/);
  });

  it('rotates the key with the old key endorsing the new; earlier checkpoints still verify', () => {
    const here = path.join(tempDir('custodian-rotate-'), 'data');
    cpSync(dataDir, here, { recursive: true });
    const before = onlyJson<{ fingerprint: string }>(runCli(['--json', '--data-dir', here, 'key', 'show']).stdout).fingerprint;
    const r = onlyJson<{ oldFingerprint: string; newFingerprint: string }>(
      runCli(['--json', '--data-dir', here, 'key', 'rotate', '--reason', 'annual rotation']).stdout,
    );
    expect(r.oldFingerprint).toBe(before);
    expect(r.newFingerprint).not.toBe(before);
    const v = onlyJson<{ ok: boolean; checkpoints: number }>(runCli(['--json', '--data-dir', here, 'ledger', 'verify']).stdout);
    expect(v).toMatchObject({ ok: true });
    expect(v.checkpoints).toBeGreaterThanOrEqual(3); // the batch's, the export's, the rotation's
    // A report signed before the rotation still verifies on its own.
    expect(verify(report).code).toBe(0);
  });

  it('leaves nothing that looks like a report when the drive is full or pulled mid-write', () => {
    const target = tempDir('custodian-full-');
    if (spawnSync('unshare', ['-m', 'true']).status === 0) {
      // A 16 KiB tmpfs: the PDF and ledger do not fit.
      const script = `mount -t tmpfs -o size=16k tmpfs '${target}' && '${process.execPath}' '${BIN}' --data-dir '${dataDir}' report export --out '${target}'; echo "exit=$?"; ls -A '${target}'`;
      const r = spawnSync('unshare', ['-m', 'sh', '-c', script], { encoding: 'utf8', env: { ...process.env, CUSTODIAN_FAILPOINTS: '' } });
      expect(r.stdout).toContain('exit=1');
      expect(r.stderr).toMatch(/the drive is full/);
      expect(r.stdout.split('\n').filter((l) => l.startsWith('custodian-report-') || l.startsWith('.custodian'))).toEqual([]);
    }
    // A drive pulled mid-write (the process dies after the second file): only a hidden partial folder.
    const pulled = tempDir('custodian-pulled-');
    const k = spawnSync(process.execPath, [BIN, '--data-dir', dataDir, 'report', 'export', '--out', pulled], {
      env: { ...process.env, CUSTODIAN_FAILPOINTS: 'report.mid-write=2' },
    });
    expect(k.signal).toBe('SIGKILL');
    expect(readdirSync(pulled).filter((n) => n.startsWith('custodian-report-'))).toEqual([]);
  });
});

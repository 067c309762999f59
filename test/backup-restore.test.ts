import { spawn } from 'node:child_process';
import { chmodSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { openRawDatabase } from './helpers/raw-db.js';
import { describe, expect, it } from 'vitest';
import { BIN, onlyJson, runCli } from './helpers/cli.js';
import { realPng, scriptedOcr, tempDir, write } from './helpers/fixtures.js';

const PASSPHRASE = 'correct horse battery staple';
const RECORDS = 24;

function passphraseFile(text = PASSPHRASE): string {
  const file = path.join(tempDir(), 'passphrase');
  writeFileSync(file, `${text}\n`);
  chmodSync(file, 0o600);
  return file;
}

/** How many jobs are done, read from outside as an auditor's sqlite3 would (WAL lets it read while the CLI writes). */
function doneJobs(dataDir: string): number {
  try {
    const db = openRawDatabase(dataDir, { readonly: true, fileMustExist: true });
    try {
      return db.prepare(`SELECT COUNT(*) FROM jobs WHERE state = 'done'`).pluck().get() as number;
    } finally {
      db.close();
    }
  } catch {
    return 0;
  }
}

/** Runs `custodian <args>` in the background (slow scripted OCR, 400 ms a page: the batch is still running after a report and a backup, even on a loaded machine). */
function startCli(args: string[]): { exited: Promise<number | null>; kill: () => void } {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { ...process.env, CUSTODIAN_FAILPOINTS: '', CUSTODIAN_OCR_ADAPTER: scriptedOcr('ok', undefined, 400) },
    stdio: 'ignore',
  });
  return { exited: new Promise((resolve) => child.on('close', (code) => resolve(code))), kill: () => child.kill('SIGKILL') };
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((r) => setTimeout(r, 20));
}

describe('backup and restore', () => {
  it('restore drill: back up mid-batch, lose the data folder, restore, resume, take the shares in again', async () => {
    const share = tempDir();
    for (let i = 0; i < RECORDS; i++) write(path.join(share, `scan-${String(i).padStart(2, '0')}.png`), realPng(40));
    const data = path.join(tempDir(), 'workstation');
    const drive = tempDir();
    const pass = passphraseFile();

    const ingest = startCli(['--data-dir', data, '-q', '--workers', '1', 'ingest', share]);
    await until(() => doneJobs(data) >= 3);
    // A report leaves the machine before the loss; the restored workstation must still stand behind it.
    const report = runCli(['--data-dir', data, '--json', 'report', 'export', '--out', drive]);
    expect(report.code).toBe(0);
    const reportDir = onlyJson<{ dir: string; fingerprint: string }>(report.stdout);
    const backup = runCli(['--data-dir', data, '--json', 'backup', '--out', drive, '--passphrase-file', pass]);
    expect(backup.code, backup.stderr).toBe(0);
    const made = onlyJson<{ dir: string; head: { seq: number; hash: string }; documents: number; pendingJobs: number }>(backup.stdout);
    expect(made.documents).toBeGreaterThan(0);
    // Mid-batch: records still waiting for extraction are in the snapshot.
    expect(made.pendingJobs).toBeGreaterThan(0);

    // The disk dies while the batch runs.
    ingest.kill();
    await ingest.exited;
    rmSync(data, { recursive: true, force: true });

    // Nothing but owner access to what holds every record's text.
    expect(statSync(made.dir).mode & 0o077).toBe(0);
    for (const f of readdirSync(made.dir)) expect(statSync(path.join(made.dir, f)).mode & 0o077).toBe(0);

    const restoredDir = path.join(tempDir(), 'new-workstation');
    const restore = runCli(['--data-dir', restoredDir, '--json', 'restore', made.dir, '--passphrase-file', pass]);
    expect(restore.code, restore.stderr).toBe(0);
    const restored = onlyJson<{ restoredAtSeq: number; facts: { head: { seq: number }; documents: number } }>(restore.stdout);
    // The first entry after the backup's head says where the restored history comes from.
    expect(restored.restoredAtSeq).toBe(made.head.seq + 1);
    const tail = onlyJson<{ entries: { seq: number; type: string; payload: Record<string, unknown> }[] }>(
      runCli(['--data-dir', restoredDir, '--json', 'ledger', 'tail', '-n', '1000']).stdout,
    ).entries;
    const restoreEvent = tail.find((e) => e.seq === made.head.seq + 1)!;
    expect(restoreEvent.type).toBe('restore.completed');
    expect(restoreEvent.payload).toMatchObject({ fromHeadSeq: made.head.seq, fromHeadHash: made.head.hash });

    // Work queued at backup time resumes; what was not yet registered comes in again without duplicates.
    expect(runCli(['--data-dir', restoredDir, '-q', 'resume']).code).toBe(0);
    const again = runCli(['--data-dir', restoredDir, '-q', '--json', 'ingest', share]);
    expect(again.code, again.stderr).toBe(0);
    const summary = onlyJson<{ registered: number; duplicates: number }>(again.stdout);
    expect(summary.registered + summary.duplicates).toBe(RECORDS);
    expect(summary.duplicates).toBeGreaterThanOrEqual(made.documents);
    const docs = onlyJson<{ documents: { sha256: string; state: string }[] }>(runCli(['--data-dir', restoredDir, '--json', 'docs']).stdout).documents;
    expect(docs).toHaveLength(RECORDS);
    expect(new Set(docs.map((d) => d.sha256)).size).toBe(RECORDS);
    expect(docs.every((d) => d.state === 'done')).toBe(true);

    const verify = runCli(['--data-dir', restoredDir, 'ledger', 'verify', '--against', reportDir.dir]);
    expect(verify.code, verify.stdout).toBe(0);
    expect(runCli(['report', 'verify', reportDir.dir]).code).toBe(0);
    const key = onlyJson<{ fingerprint: string }>(runCli(['--data-dir', restoredDir, '--json', 'key', 'show']).stdout);
    expect(key.fingerprint).toBe(reportDir.fingerprint);
  });

  it('refuses a wrong passphrase, a tampered backup and a data folder in use, and leaves nothing behind', () => {
    const data = tempDir();
    const share = tempDir();
    write(path.join(share, 'a.png'), realPng(32));
    expect(runCli(['--data-dir', data, '-q', 'ingest', share]).code).toBe(0);
    const drive = tempDir();
    const pass = passphraseFile();
    expect(runCli(['--data-dir', data, 'backup', '--out', drive, '--passphrase-file', passphraseFile('short')]).stderr).toMatch(/at least 12 characters/u);
    const made = onlyJson<{ dir: string }>(runCli(['--data-dir', data, '--json', 'backup', '--out', drive, '--passphrase-file', pass]).stdout);

    const parent = tempDir();
    const target = path.join(parent, 'restored');
    const wrong = runCli(['--data-dir', target, 'restore', made.dir, '--passphrase-file', passphraseFile('not the right passphrase')]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/passphrase does not open/u);
    expect(readdirSync(parent)).toEqual([]);

    const inUse = runCli(['--data-dir', data, 'restore', made.dir, '--passphrase-file', pass]);
    expect(inUse.code).toBe(1);
    expect(inUse.stderr).toMatch(/is not empty/u);

    // One byte of the snapshot changed: the manifest no longer matches, so nothing is restored.
    const db = path.join(made.dir, 'custodian.db');
    chmodSync(db, 0o600);
    const bytes = readFileSync(db);
    bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 1;
    writeFileSync(db, bytes);
    const tampered = runCli(['--data-dir', target, 'restore', made.dir, '--passphrase-file', pass]);
    expect(tampered.code).toBe(1);
    expect(tampered.stderr).toMatch(/custodian\.db was changed/u);
    expect(readdirSync(parent)).toEqual([]);
  });
});

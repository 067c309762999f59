import { openRawDatabase } from './helpers/raw-db.js';
import { readFileSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { corpus, digest, realPng, suiteTempDir, tempDir, write, writeBag } from './helpers/fixtures.js';
import { onlyJson, runCli, runCliKilledAfter, runCliKilledWhen } from './helpers/cli.js';
import { ONCE_PER_SUBJECT } from '../src/core/ledger/index.js';

/**
 * Builds an intake tree with every kind of outcome: unique records, duplicates, a bag with a corrupt and a
 * missing file, an unsupported file and a CSV hold. Large enough for several intake group commits.
 */
function buildTree(root: string, unique = 150): void {
  for (let i = 0; i < unique; i++) write(path.join(root, 'scans', `box${i % 3}`, `page-${String(i).padStart(3, '0')}.png`), realPng());
  const dup = readFileSync(path.join(root, 'scans', 'box0', 'page-000.png'));
  write(path.join(root, 'copies', 'same-as-page-000.png'), dup);
  write(path.join(root, 'copies', 'again.png'), dup);
  write(path.join(root, 'notes.txt'), 'index of boxes');
  const bagged = { 'a.tif': readFileSync(corpus('scans/phototest.tif')), 'b.png': realPng(), 'corrupt.png': realPng(), 'missing.png': realPng() };
  writeBag(path.join(root, 'bag'), bagged);
  write(path.join(root, 'bag', 'data', 'corrupt.png'), realPng());
  unlinkSync(path.join(root, 'bag', 'data', 'missing.png'));
  const held = realPng();
  write(path.join(root, 'held', 'h.png'), held);
  write(path.join(root, 'held', 'custody-manifest.csv'), `path,sha256,retention\nh.png,${digest(held)},hold\n`);
}

/** Everything that must come out the same however often the run was killed. */
type Snapshot = {
  intake: Record<string, number>;
  documents: number;
  jobs: Record<string, number>;
  quarantine: Record<string, number>;
  batches: Record<string, number>;
  events: Record<string, number>;
  /** (type, subject) pairs seen more than once: must stay empty. */
  repeated: string[];
};

/** Whether a run has created its batch in the data dir yet (read-only; the writer may be mid-transaction). */
function batchExists(dataDir: string): boolean {
  try {
    const db = openRawDatabase(dataDir, { readonly: true, fileMustExist: true });
    try {
      return (db.prepare('SELECT COUNT(*) FROM batches').pluck().get() as number) > 0;
    } finally {
      db.close();
    }
  } catch {
    return false; // no database or no schema yet
  }
}

function snapshot(dataDir: string): Snapshot {
  const db = openRawDatabase(dataDir, { readonly: true });
  const group = (sql: string): Record<string, number> => Object.fromEntries((db.prepare(sql).raw().all() as [string, number][]).map(([k, n]) => [k, n]));
  const events = db.prepare('SELECT type, payload FROM ledger').all() as { type: string; payload: string }[];
  const seen = new Map<string, number>();
  for (const e of events) {
    const key = ONCE_PER_SUBJECT[e.type];
    if (!key) continue;
    const id = `${e.type}:${String((JSON.parse(e.payload) as Record<string, unknown>)[key])}`;
    seen.set(id, (seen.get(id) ?? 0) + 1);
  }
  const s: Snapshot = {
    intake: group('SELECT outcome, COUNT(*) FROM intake_entries GROUP BY outcome'),
    documents: db.prepare('SELECT COUNT(*) FROM documents').pluck().get() as number,
    jobs: group('SELECT state, COUNT(*) FROM jobs GROUP BY state'),
    quarantine: group('SELECT reason_code, COUNT(*) FROM quarantine GROUP BY reason_code'),
    batches: group('SELECT state, COUNT(*) FROM batches GROUP BY state'),
    events: group(
      `SELECT type, COUNT(*) FROM ledger WHERE type IN (${Object.keys(ONCE_PER_SUBJECT)
        .map((t) => `'${t}'`)
        .join(',')}) GROUP BY type`,
    ),
    repeated: [...seen].filter(([, n]) => n > 1).map(([id]) => id),
  };
  db.close();
  return s;
}

function expectLedgerIntact(dataDir: string): void {
  const r = runCli(['--data-dir', dataDir, 'ledger', 'verify', '--json']);
  expect(r.code, r.stderr).toBe(0);
  expect(onlyJson(r.stdout)).toMatchObject({ ok: true });
}

describe('crash recovery (SIGKILL of a real custodian process, then resume)', () => {
  let tree: string;
  let reference: Snapshot;
  /** Wall time of an uninterrupted run, to aim random kills inside one. */
  let referenceMs: number;

  beforeAll(() => {
    tree = suiteTempDir('custodian-crash-tree-');
    buildTree(tree);
    const data = suiteTempDir('custodian-crash-ref-');
    const started = Date.now();
    const r = runCli(['--data-dir', data, 'ingest', tree, '--json']);
    referenceMs = Date.now() - started;
    expect(r.code, r.stderr).toBe(0);
    reference = snapshot(data);
    expect(reference.repeated).toEqual([]);
    expect(reference.intake).toEqual({ registered: 153, duplicate: 2, quarantined: 2, unsupported: 1, 'custody-file': 3 });
    expect(reference.quarantine).toEqual({ 'digest-mismatch': 1, 'missing-from-payload': 1 });
    expect(reference.jobs).toEqual({ done: 153 });
  });

  it.each([
    'batch.after-create=1',
    'intake.after-hash=1',
    'intake.after-hash=70',
    'intake.after-commit=1',
    'intake.after-commit=2',
    'batch.before-walked=1',
    'job.after-lease=1',
    'job.after-lease=90',
    'job.before-complete=5',
    'job.after-complete=153',
  ])('killed at %s, `custodian resume` finishes every record exactly once', (failpoint) => {
    const data = tempDir('custodian-crash-');
    const killed = runCli(['--data-dir', data, 'ingest', tree, '--json'], { CUSTODIAN_FAILPOINTS: failpoint });
    expect(killed.signal).toBe('SIGKILL');
    expect(killed.stdout).toBe('');
    const resumed = runCli(['--data-dir', data, 'resume', '--json']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(snapshot(data)).toEqual(reference);
    expectLedgerIntact(data);
  });

  it('survives a kill during the resume itself, and the next ingest finishes the stranded batch', () => {
    const data = tempDir('custodian-crash-');
    expect(runCli(['--data-dir', data, 'ingest', tree], { CUSTODIAN_FAILPOINTS: 'intake.after-commit=2' }).signal).toBe('SIGKILL');
    expect(runCli(['--data-dir', data, 'resume'], { CUSTODIAN_FAILPOINTS: 'job.before-complete=3' }).signal).toBe('SIGKILL');
    const other = tempDir();
    write(path.join(other, 'new.png'), realPng());
    const next = runCli(['--data-dir', data, 'ingest', other, '--json']);
    expect(next.code, next.stderr).toBe(0);
    expect(onlyJson(next.stdout)).toMatchObject({ registered: 1, jobs: { done: 1 } });
    const after = snapshot(data);
    expect(after.repeated).toEqual([]);
    expect(after.batches).toEqual({ done: 2 });
    expect(after.documents).toBe(reference.documents + 1);
    expect(after.jobs).toEqual({ done: 154 });
    expectLedgerIntact(data);
  });

  it('survives kills at random moments, several in a row', async () => {
    const data = tempDir('custodian-crash-');
    // The first kill lands in a full run once its batch exists (before that, nothing was taken in and
    // there is nothing to resume, however loaded the machine is); the others anywhere in a resume.
    const delays = [0.3, ...Array.from({ length: 3 }, () => 0.1 + Math.random() * 0.8)].map((f) => Math.round(f * referenceMs));
    let kills = 0;
    for (const [i, ms] of delays.entries()) {
      const r =
        i === 0
          ? await runCliKilledWhen(['--data-dir', data, 'ingest', tree], () => batchExists(data), ms)
          : await runCliKilledAfter(['--data-dir', data, 'resume'], ms);
      if (r.signal === 'SIGKILL') kills++;
      else expect(r.code, r.stderr).toBe(0);
    }
    expect(kills, `delays ${delays.join(', ')} ms`).toBeGreaterThan(0);
    const final = runCli(['--data-dir', data, 'resume', '--json']);
    expect(final.code, `${final.stderr} (delays ${delays.join(', ')} ms, ${kills} kills)`).toBe(0);
    expect(snapshot(data)).toEqual(reference);
    expectLedgerIntact(data);
  });
});

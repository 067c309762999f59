import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, truncateSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { QuarantineItem } from '../src/shared/types.js';
import { onlyJson, runCliWithin } from './helpers/cli.js';
import { digest, sample, tempDir, write, writeBag } from './helpers/fixtures.js';
import { openRawDatabase } from './helpers/raw-db.js';

/** Longest any one CLI run here may take before it counts as hung (generous: two cores shared by five runs). */
const HANG_MS = 90_000;
/** A real PDF from the shipped samples, copied into each test folder. */
const PDF = sample('intake', 'pdfs', 'trivial.pdf');

/** Runs the built CLI against `data`, failing the test with a clear message if it hangs. */
const cli = (data: string, ...args: string[]) => runCliWithin(HANG_MS, ['--data-dir', data, ...args]);

/** A folder with one PDF (and whatever `extra` adds). */
function folderWithPdf(extra: (dir: string) => void = () => {}): string {
  const dir = tempDir('custodian-insider-');
  copyFileSync(PDF, path.join(dir, 'trivial.pdf'));
  extra(dir);
  return dir;
}

function ingest(data: string, ...roots: string[]): { batchId: string; files: number; registered: number; quarantined: number } {
  const r = cli(data, 'ingest', ...roots, '--json');
  expect(r.signal, r.stderr).toBeNull();
  expect(r.code, r.stderr).toBe(0);
  return onlyJson(r.stdout);
}

function quarantine(data: string): QuarantineItem[] {
  return onlyJson<{ items: QuarantineItem[] }>(cli(data, 'quarantine', '--all', '--json').stdout).items;
}

/** [file name relative to `root`, reason code] of every quarantine item under `root`. */
function codesUnder(data: string, root: string): [string, string][] {
  return quarantine(data)
    .filter((q) => q.path.startsWith(root))
    .map((q) => [path.relative(root, q.path), q.reasonCode] as [string, string])
    .sort();
}

function batchState(data: string, batchId: string): { state: string; hold: string | null } {
  const db = openRawDatabase(data, { readonly: true });
  try {
    return db.prepare('SELECT state, hold FROM batches WHERE id = ?').get(batchId) as { state: string; hold: string | null };
  } finally {
    db.close();
  }
}

/** Ledger event types with their payloads, in order. */
function ledger(data: string): { type: string; payload: Record<string, unknown> }[] {
  const db = openRawDatabase(data, { readonly: true });
  try {
    return (db.prepare('SELECT type, payload FROM ledger ORDER BY seq').all() as { type: string; payload: string }[]).map((e) => ({
      type: e.type,
      payload: JSON.parse(e.payload) as Record<string, unknown>,
    }));
  } finally {
    db.close();
  }
}

describe('attack 1: FIFO manifest does not wedge the data folder', () => {
  it('a FIFO custody-manifest.csv (and FIFO bag tag files) is refused unopened; the batch completes', () => {
    const data = tempDir();
    const csvFolder = folderWithPdf((dir) => execFileSync('mkfifo', [path.join(dir, 'custody-manifest.csv')]));
    const bags = tempDir('custodian-insider-bags-');
    // One bag per tag file that could wedge a read: the declaration, a payload manifest, a tag manifest.
    for (const name of ['bagit.txt', 'manifest-sha256.txt', 'tagmanifest-sha256.txt']) {
      const bag = path.join(bags, `bag-${name}`);
      writeBag(bag, { 'trivial.pdf': readFileSync(PDF) });
      rmSync(path.join(bag, name), { force: true });
      execFileSync('mkfifo', [path.join(bag, name)]);
    }
    const summary = ingest(data, csvFolder, bags);
    expect(batchState(data, summary.batchId)).toEqual({ state: 'done', hold: null });
    expect(codesUnder(data, csvFolder)).toEqual([
      ['custody-manifest.csv', 'manifest-not-regular'],
      // The manifest was refused, so it lists nothing: the PDF is quarantined by the custody rules, not let through.
      ['trivial.pdf', 'not-in-manifest'],
    ]);
    const inBags = codesUnder(data, bags);
    expect(inBags).toEqual(
      expect.arrayContaining([
        ['bag-bagit.txt/bagit.txt', 'manifest-not-regular'],
        ['bag-manifest-sha256.txt/manifest-sha256.txt', 'manifest-not-regular'],
        ['bag-manifest-sha256.txt/data/trivial.pdf', 'not-in-manifest'],
        ['bag-tagmanifest-sha256.txt/tagmanifest-sha256.txt', 'manifest-not-regular'],
      ]),
    );
    const refusal = quarantine(data).find((q) => q.path === path.join(csvFolder, 'custody-manifest.csv'))!;
    expect(refusal.message).toMatch(/not a regular file/);
    expect(JSON.stringify(refusal.detail)).toMatch(/pipe/);
  });

  it('a batch left walking over a folder that now holds a FIFO: resume and a new ingest finish; batch cancel ends a walking batch', () => {
    const data = tempDir();
    const wedged = folderWithPdf((dir) => write(path.join(dir, 'custody-manifest.csv'), `path,sha256\ntrivial.pdf,${digest(readFileSync(PDF))}\n`));
    // The walking process dies right after creating the batch: the batch stays `walking`, owned by a dead process.
    const killed = runCliWithin(HANG_MS, ['--data-dir', data, 'ingest', wedged, '--json'], { CUSTODIAN_FAILPOINTS: 'batch.after-create=1' });
    expect(killed.signal).toBe('SIGKILL');
    rmSync(path.join(wedged, 'custody-manifest.csv'));
    execFileSync('mkfifo', [path.join(wedged, 'custody-manifest.csv')]);
    const first = (ledger(data).find((e) => e.type === 'batch.started')!.payload as { batchId: string }).batchId;
    expect(batchState(data, first).state).toBe('walking');

    const resumed = cli(data, 'resume', '--json');
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(onlyJson(resumed.stdout)).toMatchObject({ batchesResumed: 1 });
    expect(batchState(data, first).state).toBe('done');
    expect(codesUnder(data, wedged)).toContainEqual(['custody-manifest.csv', 'manifest-not-regular']);

    // A second stranded walk, then a new ingest: the ingest re-walks the stranded batch first and still finishes.
    const second = folderWithPdf((dir) => execFileSync('mkfifo', [path.join(dir, 'custody-manifest.csv')]));
    expect(runCliWithin(HANG_MS, ['--data-dir', data, 'ingest', second], { CUSTODIAN_FAILPOINTS: 'batch.after-create=1' }).signal).toBe('SIGKILL');
    const fresh = ingest(data, folderWithPdf());
    expect(batchState(data, fresh.batchId).state).toBe('done');
    expect(
      ledger(data)
        .filter((e) => e.type === 'batch.walked')
        .map((e) => e.payload.batchId),
    ).toHaveLength(3);

    // A third stranded walk is cancelled by the operator: marked cancelled, on the ledger, and no resume takes it up.
    expect(runCliWithin(HANG_MS, ['--data-dir', data, 'ingest', folderWithPdf()], { CUSTODIAN_FAILPOINTS: 'batch.after-create=1' }).signal).toBe('SIGKILL');
    const third = (ledger(data).findLast((e) => e.type === 'batch.started')!.payload as { batchId: string }).batchId;
    const cancel = cli(data, 'batch', 'cancel', third, '--reason', 'walk wedged on a pipe');
    expect(cancel.code, cancel.stderr).toBe(0);
    expect(cancel.stdout).toContain(`Batch ${third} cancelled`);
    expect(batchState(data, third)).toEqual({ state: 'walking', hold: 'cancelled' });
    expect(ledger(data).filter((e) => e.type === 'batch.cancelled')).toEqual([
      { type: 'batch.cancelled', payload: { batchId: third, queued: 0, reasonGiven: true } },
    ]);
    expect(onlyJson(cli(data, 'resume', '--json').stdout)).toMatchObject({ batchesResumed: 0 });
    expect(batchState(data, third).state).toBe('walking');
    // `batch continue` lifts the cancel and finishes the walk.
    expect(cli(data, 'batch', 'continue', third).code).toBe(0);
    expect(batchState(data, third)).toEqual({ state: 'done', hold: null });
  });

  it('a payload file swapped for a FIFO after intake is refused by the extracting thread, not waited on', () => {
    const data = tempDir();
    const later = folderWithPdf();
    const r = cli(data, 'ingest', later, '--no-extract', '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(onlyJson(r.stdout)).toMatchObject({ registered: 1 });
    rmSync(path.join(later, 'trivial.pdf'));
    execFileSync('mkfifo', [path.join(later, 'trivial.pdf')]);
    const resumed = cli(data, 'resume', '--json');
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(codesUnder(data, later)).toEqual([['trivial.pdf', 'changed-since-intake']]);
  });

  it('a re-walk that fails cancels that batch with walk-failed; the other stranded batch is still walked', () => {
    const data = tempDir();
    const strand = (dir: string): string => {
      expect(runCliWithin(HANG_MS, ['--data-dir', data, 'ingest', dir], { CUSTODIAN_FAILPOINTS: 'batch.after-create=1' }).signal).toBe('SIGKILL');
      return (ledger(data).findLast((e) => e.type === 'batch.started')!.payload as { batchId: string }).batchId;
    };
    const bad = strand(folderWithPdf());
    // Recording anything for the bad batch fails (as a full disk or a damaged table would), every time.
    const db = openRawDatabase(data);
    db.exec(`CREATE TRIGGER refuse_bad BEFORE INSERT ON intake_entries WHEN NEW.batch_id = '${bad}' BEGIN SELECT RAISE(ABORT, 'refused'); END`);
    db.close();
    // The next ingest re-walks the bad batch first: that fails, the batch is cancelled, and the ingest goes on
    // (to be killed in its turn, leaving a second stranded walk that `resume` finishes).
    const good = strand(folderWithPdf());
    expect(good).not.toBe(bad);
    expect(batchState(data, bad)).toEqual({ state: 'walking', hold: 'cancelled' });
    const r = cli(data, 'resume', '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(batchState(data, bad)).toEqual({ state: 'walking', hold: 'cancelled' });
    expect(batchState(data, good).state).toBe('done');
    expect(ledger(data).filter((e) => e.type === 'batch.cancelled')).toEqual([
      { type: 'batch.cancelled', payload: { batchId: bad, queued: 0, reasonGiven: true, code: 'walk-failed' } },
    ]);
  });
});

describe('attack 5: a symlinked manifest is never read', () => {
  it('a link to an outside CSV: reported once as manifest-not-regular, none of its rows appear in the database or the report', () => {
    const data = tempDir();
    const outside = tempDir('custodian-elsewhere-');
    const marker = 'row-from-outside-7f3a.pdf';
    write(path.join(outside, 'x.csv'), `path,sha256,retention\n${marker},${'a'.repeat(64)},hold\ntrivial.pdf,${digest(readFileSync(PDF))},hold\n`);
    const linked = folderWithPdf((dir) => symlinkSync(path.join(outside, 'x.csv'), path.join(dir, 'custody-manifest.csv')));
    const zero = folderWithPdf((dir) => symlinkSync('/dev/zero', path.join(dir, 'custody-manifest.csv')));
    ingest(data, linked, zero);

    for (const dir of [linked, zero]) {
      const items = quarantine(data).filter((q) => q.path === path.join(dir, 'custody-manifest.csv'));
      expect(items.map((q) => q.reasonCode)).toEqual(['manifest-not-regular']);
      expect(items[0]!.message).toMatch(/link/);
      // The outside file's hold did not apply: the PDF is unverified, not registered under hold.
      expect(codesUnder(data, dir)).toContainEqual(['trivial.pdf', 'not-in-manifest']);
    }

    // No text column of any table holds the outside file's row.
    const db = openRawDatabase(data, { readonly: true });
    const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`).pluck().all() as string[];
    for (const table of tables) {
      const columns = (db.prepare(`SELECT name, type FROM pragma_table_info(?)`).all(table) as { name: string; type: string }[]).map((c) => c.name);
      for (const column of columns) {
        const hits = db.prepare(`SELECT COUNT(*) FROM "${table}" WHERE CAST("${column}" AS TEXT) LIKE ?`).pluck().get(`%${marker}%`);
        expect(hits, `${table}.${column}`).toBe(0);
      }
    }
    db.close();

    const out = tempDir('custodian-report-');
    const report = cli(data, 'report', 'export', '--out', out, '--json');
    expect(report.code, report.stderr).toBe(0);
    const dir = onlyJson<{ dir: string }>(report.stdout).dir;
    for (const name of readdirSync(dir)) {
      if (statSync(path.join(dir, name)).isFile()) expect(readFileSync(path.join(dir, name)).includes(marker), name).toBe(false);
    }
  });
});

describe('attack 8: manifests over the size cap are refused before reading', () => {
  it('a sparse 65 MiB custody-manifest.csv and bag manifest are refused with manifest-too-large; the batch completes', () => {
    const data = tempDir();
    const big = folderWithPdf((dir) => truncateSync(write(path.join(dir, 'custody-manifest.csv'), ''), 65 << 20));
    const bag = path.join(tempDir('custodian-insider-bag-'), 'bag');
    writeBag(bag, { 'trivial.pdf': readFileSync(PDF) });
    truncateSync(path.join(bag, 'manifest-sha256.txt'), 65 << 20);
    const summary = ingest(data, big, bag);
    expect(batchState(data, summary.batchId).state).toBe('done');
    expect(codesUnder(data, big)).toEqual([
      ['custody-manifest.csv', 'manifest-too-large'],
      ['trivial.pdf', 'not-in-manifest'],
    ]);
    expect(codesUnder(data, bag)).toContainEqual(['manifest-sha256.txt', 'manifest-too-large']);
    const refusal = quarantine(data).find((q) => q.path === path.join(big, 'custody-manifest.csv'))!;
    expect(refusal.message).toMatch(/64 MiB/);
    expect(JSON.stringify(refusal.detail)).toContain(String(65 << 20));
  });
});

describe('attack 11: one bad CSV line spoils only that line', () => {
  it('an unbalanced quote and a wrong column count are manifest-invalid with their line numbers; the good lines still verify', () => {
    const data = tempDir();
    const pdf = readFileSync(PDF);
    const dir = tempDir('custodian-insider-');
    mkdirSync(path.join(dir, 'box'));
    copyFileSync(PDF, path.join(dir, 'first.pdf'));
    copyFileSync(PDF, path.join(dir, 'box', 'second.pdf'));
    write(
      path.join(dir, 'custody-manifest.csv'),
      [
        'path,sha256,retention',
        `first.pdf,${digest(pdf)},hold`,
        `"unclosed.pdf,${digest(pdf)},`,
        `wide.pdf,${digest(pdf)},,extra`,
        `box/second.pdf,${digest(pdf)},active`,
        '',
      ].join('\n'),
    );
    const summary = ingest(data, dir);
    // The good lines apply: both PDFs are verified (one record, taken in twice), the first under its hold.
    expect(summary).toMatchObject({ registered: 1 });
    expect(codesUnder(data, dir)).toEqual([['custody-manifest.csv', 'manifest-invalid']]);
    const invalid = quarantine(data).find((q) => q.reasonCode === 'manifest-invalid')!;
    const problems = (invalid.detail as { problems: string[] }).problems;
    expect(problems).toEqual([expect.stringMatching(/^line 3: Quote Not Closed/), 'line 4: 4 columns, the header has 3']);
    const db = openRawDatabase(data, { readonly: true });
    expect(db.prepare('SELECT legal_hold FROM documents').pluck().all()).toEqual([1]);
    db.close();
  });
});

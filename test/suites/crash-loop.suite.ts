/**
 * `npm run test:crash`: a batch of 120 records with real OCR (and more batches if it finishes early), plus large
 * files that only hash, killed with
 * SIGKILL at 30 random moments across walking, hashing, OCR, ledger writes and report export, and resumed
 * after each kill. At the end every record is processed exactly once, no result or event is duplicated, the
 * ledger verifies, and every report that claims to be complete verifies.
 */
import { openRawDatabase } from '../helpers/raw-db.js';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { BIN } from '../helpers/cli.js';
import { tempDir } from '../helpers/fixtures.js';
import { prng, textCanvas } from '../helpers/synthetic.js';

const KILLS = Number(process.env.CRASH_KILLS ?? 30);
const SEED = Number(process.env.CRASH_SEED ?? 7);

/** A small image of a few typed lines: real OCR work at a fraction of a page's cost. */
function lineImage(i: number): Buffer {
  const lines = [`Permit application ${1000 + i}`, `Parcel ${i * 37} Block ${i % 13} Lot ${i % 7}`, `Received by the clerk, box ${Math.floor(i / 10)}`];
  return textCanvas(900, 260, lines, '30px sans-serif', 62).encodeSync('png');
}

async function textPdf(i: number): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  for (let p = 1; p <= 3; p++)
    pdf.addPage([612, 792]).drawText(`Minutes of meeting ${i}, page ${p}. The board approved the permits.`, { x: 72, y: 700, size: 12, font });
  return pdf.save();
}

type Outcome = { killed: boolean; code: number | null; stderr: string };

/** Runs `custodian <args>` with real OCR and SIGKILLs it after `ms` unless it ended first. */
function runKilledAfter(args: string[], ms: number): Promise<Outcome> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, CUSTODIAN_FAILPOINTS: '', CUSTODIAN_OCR_ADAPTER: '' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    let killed = false;
    const timer = setTimeout(() => {
      killed = child.exitCode === null;
      child.kill('SIGKILL');
    }, ms);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ killed, code, stderr });
    });
  });
}

/** Whether a batch for this dropped folder was created. */
function batchExists(dataDir: string, root: string): boolean {
  try {
    const db = openRawDatabase(dataDir, { readonly: true });
    const n = db
      .prepare('SELECT COUNT(*) FROM batches WHERE roots = ?')
      .pluck()
      .get(JSON.stringify([root])) as number;
    db.close();
    return n > 0;
  } catch {
    return false;
  }
}

describe('crash loop', () => {
  it(`survives ${KILLS} SIGKILLs at random moments and processes every record exactly once`, async () => {
    const rand = prng(SEED);
    const dataDir = tempDir('custodian-crash-data-');
    const inboxes = tempDir('custodian-crash-');
    const reports = tempDir('custodian-crash-reports-');
    const env = { ...process.env, CUSTODIAN_OCR_ADAPTER: '', CUSTODIAN_FAILPOINTS: '' };
    let boxes = 0;
    const boxDirs: string[] = [];
    let records = 0;
    let pages = 0;
    let files = 0;
    /**
     * A new box: the first holds 100 scans and 20 three-page PDFs, later ones 20 and 4; each has large files that
     * are only hashed, so that hashing lasts long enough to be killed in.
     */
    const newBox = async (): Promise<string> => {
      const dir = path.join(inboxes, `box-${++boxes}`);
      mkdirSync(dir);
      boxDirs.push(dir);
      const [scans, pdfs, blobs] = boxes === 1 ? [100, 20, 8] : [20, 4, 4];
      for (let i = 0; i < scans; i++) writeFileSync(path.join(dir, `scan-${boxes}-${i}.png`), lineImage(boxes * 1000 + i));
      for (let i = 0; i < pdfs; i++) writeFileSync(path.join(dir, `minutes-${boxes}-${i}.pdf`), await textPdf(boxes * 1000 + i));
      for (let i = 0; i < blobs; i++) writeFileSync(path.join(dir, `archive-${boxes}-${i}.dat`), randomBytes(64 << 20));
      records += scans + pdfs;
      pages += scans + pdfs * 3;
      files += scans + pdfs + blobs;
      return dir;
    };
    const ledgerHead = (): number => {
      try {
        const db = openRawDatabase(dataDir, { readonly: true });
        const seq = (db.prepare('SELECT MAX(seq) FROM ledger').pluck().get() as number | null) ?? 0;
        const walking = db.prepare(`SELECT COUNT(*) FROM batches WHERE state = 'walking'`).pluck().get() as number;
        db.close();
        return seq * 10 + (walking > 0 ? 1 : 0);
      } catch {
        return 0;
      }
    };

    const finishAll = (): void => {
      for (const dir of boxDirs.filter((d) => !batchExists(dataDir, d)))
        expect(spawnSync(process.execPath, [BIN, '--data-dir', dataDir, '--quiet', 'ingest', dir], { env }).status).toBe(0);
      expect(spawnSync(process.execPath, [BIN, '--data-dir', dataDir, '--quiet', 'resume'], { env }).status).toBe(0);
    };

    const phases: Record<string, number> = {};
    let kills = 0;
    let runs = 0;
    const processingKills = Math.ceil(KILLS * 0.8);
    // Processing: kill an ingest of a new box, then resumes, until a resume gets to the end; then the next box.
    // Exports: the last fifth of the kills land in `report export`.
    let next: string[] = ['ingest', await newBox()];
    while (kills < KILLS && runs < KILLS * 6) {
      runs++;
      const exporting = kills >= processingKills;
      const args = exporting ? ['report', 'export', '--out', reports] : next;
      const before = ledgerHead();
      const r = await runKilledAfter(['--data-dir', dataDir, '--quiet', ...args], 150 + Math.floor(rand() * (exporting ? 1200 : 3000)));
      if (r.killed) {
        kills++;
        const after = ledgerHead();
        // Where the run was: nothing written yet (start-up), a walk still open (walking/hashing), an export, or
        // processing (OCR and its ledger writes).
        const phase =
          Math.floor(after / 10) === Math.floor(before / 10) && !exporting
            ? 'before its first write'
            : exporting
              ? 'export'
              : after % 10 === 1
                ? 'walking/hashing'
                : 'OCR/ledger';
        phases[phase] = (phases[phase] ?? 0) + 1;
        // A clerk whose ingest died before its batch existed drops the folder again; otherwise resume finishes it.
        if (!exporting && !(next[0] === 'ingest' && !batchExists(dataDir, next[1]!))) {
          // Now and then a clerk drops another box while work is pending: its walk and hashing are killed too.
          next = rand() < 0.35 && boxes < 8 ? ['ingest', await newBox()] : ['resume'];
        }
      } else {
        expect(r.stderr).toBe('');
        expect(r.code).toBe(0);
        if (!exporting) next = boxes < 3 || kills < processingKills - 4 ? ['ingest', await newBox()] : ['resume'];
      }
      // Before the exports, the work must be done, or a report would rightly say it is incomplete: a box dropped
      // but never taken in is taken in now, and everything pending finished.
      if (kills === processingKills && !exporting) finishAll();
    }
    expect(kills).toBe(KILLS);

    // Finish whatever is left, then one export that runs to the end.
    finishAll();
    expect(spawnSync(process.execPath, [BIN, '--data-dir', dataDir, '--quiet', 'report', 'export', '--out', reports], { env }).status).toBe(0);

    const db = openRawDatabase(dataDir, { readonly: true });
    const count = (sql: string): number => db.prepare(sql).pluck().get() as number;
    // Every record registered once, with one job, done; every page stored once.
    expect(count('SELECT COUNT(*) FROM documents')).toBe(records);
    expect(count('SELECT COUNT(*) FROM jobs')).toBe(records);
    expect(count(`SELECT COUNT(*) FROM jobs WHERE state = 'done'`)).toBe(records);
    expect(count('SELECT COUNT(*) FROM pages WHERE method IS NOT NULL')).toBe(pages);
    expect(count(`SELECT COUNT(*) FROM batches WHERE state = 'done'`)).toBe(boxes);
    expect(count(`SELECT COUNT(*) FROM batches`)).toBe(boxes);
    expect(count(`SELECT COUNT(*) FROM intake_entries`)).toBe(files);
    // No duplicated result or event: one of each per record, job and page.
    const dupes = (type: string, key: string): number =>
      count(`SELECT COUNT(*) FROM (SELECT ${key} AS k, COUNT(*) AS n FROM ledger WHERE type = '${type}' GROUP BY k HAVING n > 1)`);
    expect(dupes('job.queued', "json_extract(payload, '$.documentId')")).toBe(0);
    expect(dupes('job.done', "json_extract(payload, '$.jobId')")).toBe(0);
    expect(dupes('page.extracted', "json_extract(payload, '$.documentId') || ':' || json_extract(payload, '$.pageNo')")).toBe(0);
    expect(count(`SELECT COUNT(*) FROM ledger WHERE type = 'job.done'`)).toBe(records);
    expect(count(`SELECT COUNT(*) FROM ledger WHERE type = 'batch.completed'`)).toBe(boxes);
    const entries = count('SELECT COUNT(*) FROM ledger');
    db.close();
    expect(spawnSync(process.execPath, [BIN, '--data-dir', dataDir, 'ledger', 'verify']).status).toBe(0);

    // Every report folder that claims to be complete (a visible custodian-report-*) verifies; killed exports
    // left only hidden partial folders.
    const names = readdirSync(reports);
    const complete = names.filter((n) => n.startsWith('custodian-report-'));
    const partial = names.filter((n) => n.startsWith('.'));
    expect(complete.length).toBeGreaterThanOrEqual(1);
    for (const n of complete) expect(spawnSync(process.execPath, [BIN, 'report', 'verify', path.join(reports, n)]).status, n).toBe(0);
    expect(names.length).toBe(complete.length + partial.length);

    console.log(
      `crash loop: ${kills} SIGKILLs survived in ${runs} runs (seed ${SEED}); kills by phase: ${Object.entries(phases)
        .map(([p, n]) => `${p} ${n}`)
        .join(
          ', ',
        )}; ${records} records in ${boxes} batches processed once (${pages} pages), 0 duplicate results or events, ${entries} ledger entries verified; ` +
        `${complete.length} complete report(s) verified, ${partial.length} partial export(s) left hidden`,
    );
  });
});

/**
 * `npm run test:soak`: 1,000 pages of real OCR in one run (500 scanned images and 50 ten-page image-only PDFs,
 * so pdf.js renders half of them). RSS of the process tree must grow less than 15% between page 100 and page
 * 1,000, and the process's file descriptors and threads must not grow with the pages done.
 */
import type Database from 'better-sqlite3';
import { openRawDatabase } from '../helpers/raw-db.js';
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { sampleTreeRss } from '../../bench/proc-tree.js';
import { BIN } from '../helpers/cli.js';
import { tempDir } from '../helpers/fixtures.js';
import { textCanvas } from '../helpers/synthetic.js';

const PAGES = Number(process.env.SOAK_PAGES ?? 1000);

/** A half-page scan (1275×825, 150 DPI) with a few typed lines. */
function halfPage(n: number): Buffer {
  const lines = Array.from({ length: 8 }, (_, l) => `Item ${n}.${l}: the committee reviewed the request and the records it names.`);
  return textCanvas(1275, 825, lines, '26px serif', 80).encodeSync('png');
}

const threadsOf = (pid: number): number => Number(/Threads:\s+(\d+)/u.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
const fdsOf = (pid: number): number => readdirSync(`/proc/${pid}/fd`).length;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

describe('soak', () => {
  it(`OCRs ${PAGES} pages in one run without growing`, async () => {
    const data = tempDir('custodian-soak-data-');
    const inbox = path.join(tempDir('custodian-soak-'), 'pages');
    mkdirSync(inbox);
    const images = PAGES / 2;
    for (let i = 0; i < images; i++) writeFileSync(path.join(inbox, `scan-${i}.png`), halfPage(i));
    for (let d = 0; d < PAGES / 2 / 10; d++) {
      const pdf = await PDFDocument.create();
      for (let p = 0; p < 10; p++) {
        const img = await pdf.embedPng(halfPage(10_000 + d * 10 + p));
        pdf.addPage([612, 396]).drawImage(img, { x: 0, y: 0, width: 612, height: 396 });
      }
      writeFileSync(path.join(inbox, `bundle-${d}.pdf`), await pdf.save());
    }

    const child = spawn(process.execPath, [BIN, '--data-dir', data, '--quiet', 'ingest', inbox], {
      env: { ...process.env, CUSTODIAN_FAILPOINTS: '', CUSTODIAN_OCR_ADAPTER: '' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const pid = child.pid!;
    const samples: { pages: number; rssMb: number; fds: number; threads: number }[] = [];
    let db: Database.Database | null = null;
    const rss = sampleTreeRss(pid, { everyMs: 1000 });
    const timer = setInterval(() => {
      try {
        db ??= openRawDatabase(data, { readonly: true, fileMustExist: true });
        const pages = db.prepare('SELECT COUNT(*) FROM pages WHERE method IS NOT NULL').pluck().get() as number;
        const tree = sampleTreeRss(pid, { everyMs: 60_000 }).stop();
        samples.push({ pages, rssMb: tree.peakMb, fds: fdsOf(pid), threads: threadsOf(pid) });
      } catch {
        // not started yet, or ended
      }
    }, 2000);
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    clearInterval(timer);
    (db as Database.Database | null)?.close();
    const peak = rss.stop().peakMb;
    expect(stderr).toBe('');
    expect(code).toBe(0);

    const around = (lo: number, hi: number): typeof samples => samples.filter((s) => s.pages >= lo && s.pages <= hi);
    const early = around(PAGES * 0.1, PAGES * 0.2);
    const late = around(PAGES * 0.85, PAGES);
    expect(early.length).toBeGreaterThan(0);
    expect(late.length).toBeGreaterThan(0);
    const rssEarly = median(early.map((s) => s.rssMb));
    const rssLate = median(late.map((s) => s.rssMb));
    const growth = (rssLate - rssEarly) / rssEarly;
    const fdEarly = median(early.map((s) => s.fds));
    const fdLate = median(late.map((s) => s.fds));
    const thEarly = median(early.map((s) => s.threads));
    const thLate = median(late.map((s) => s.threads));
    const curve = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
      .map((tenth) => samples.find((s) => s.pages >= (PAGES * tenth) / 10) ?? samples.at(-1)!)
      .map((s) => `${s.pages}:${s.rssMb}`)
      .join(' ');
    console.log(
      `soak: ${PAGES} pages; RSS ${rssEarly} MB around page ${PAGES / 10} → ${rssLate} MB near page ${PAGES} (${(growth * 100).toFixed(1)}%), peak ${peak} MB; ` +
        `fds ${fdEarly} → ${fdLate}; threads ${thEarly} → ${thLate}; curve (pages:MB) ${curve}`,
    );
    expect(growth).toBeLessThan(0.15);
    expect(fdLate - fdEarly).toBeLessThanOrEqual(4);
    expect(thLate - thEarly).toBeLessThanOrEqual(2);
    const db2 = openRawDatabase(data, { readonly: true });
    expect(db2.prepare('SELECT COUNT(*) FROM pages WHERE method IS NOT NULL').pluck().get()).toBe(PAGES);
    db2.close();
  });
});

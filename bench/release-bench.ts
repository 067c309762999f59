/**
 * `npm run bench:release [-- --pages N]`: release-export figures, not tests.
 *
 * Builds N Letter pages (default 100) in 10-page PDFs, each page with a planted SSN, phone, e-mail and card
 * among ordinary lines, takes them in for a request, redacts every finding and marks each record reviewed
 * through the engine, then times `release export`: pages per minute and the size of the release against its
 * sources. The reference in the same run is the bare render of every page at 300 DPI in this thread
 * (`renderPageImage`, no burn, no PDF), and `pdftoppm -r 300` of the same sources when poppler is installed.
 * Then the searchable-PDF export of three scanned PDFs of the corpus, against `ocrmypdf --skip-text` when installed.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { Engine } from '../src/core/index.js';
import { defaultPdfAssetsDir } from '../src/core/extract/index.js';
import { renderPageImage } from '../src/core/render/thread.js';
import { packageRoot } from '../src/core/package-paths.js';

const { values } = parseArgs({ options: { pages: { type: 'string', default: '100' } } });
const PAGES = Number(values.pages);
const PER_DOC = 10;
/** Scanned PDFs of the corpus the searchable-PDF export is timed on. */
const SCANNED = ['skew.pdf', 'c02-22.pdf', '3small.pdf'];

const LINES = [
  'Minutes of the regular meeting of the board.',
  'The committee reviewed the retention schedule.',
  'Invoice total due within thirty days of receipt.',
  'Counsel gave confidential advice on the lease.',
];

async function sources(dir: string): Promise<string[]> {
  const files: string[] = [];
  for (let d = 0; d * PER_DOC < PAGES; d++) {
    const pdf = await PDFDocument.create();
    const font = await pdf.embedFont(StandardFonts.Helvetica);
    for (let p = 0; p < Math.min(PER_DOC, PAGES - d * PER_DOC); p++) {
      const n = d * PER_DOC + p;
      const page = pdf.addPage([612, 792]);
      const lines = [
        ...LINES,
        `Employee SSN ${String(100 + (n % 500)).padStart(3, '0')}-${String(10 + (n % 80)).padStart(2, '0')}-${String(1000 + n).padStart(4, '0')} on file`,
        `Phone (202) 555-${String(100 + (n % 100)).padStart(4, '0')}`,
        `Write to clerk${n}@agency.gov`,
        ...LINES,
      ];
      lines.forEach((line, i) => page.drawText(line, { x: 72, y: 700 - i * 22, size: 14, font }));
    }
    const file = path.join(dir, `records-${String(d).padStart(3, '0')}.pdf`);
    writeFileSync(file, await pdf.save());
    files.push(file);
  }
  return files;
}

const sizeOf = (dir: string): number => readdirSync(dir).reduce((n, f) => n + statSync(path.join(dir, f)).size, 0);
const mb = (n: number): string => `${(n / 1e6).toFixed(1)} MB`;

async function main(): Promise<void> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'custodian-bench-release-'));
  const inbox = path.join(root, 'in');
  const out = path.join(root, 'out');
  mkdirSync(inbox);
  const files = await sources(inbox);
  const engine = Engine.open({ dataDir: path.join(root, 'data') });
  try {
    engine.requests.add({ id: 'BENCH-1', jurisdiction: 'us-federal', received: '2026-11-02' });
    await engine.ingest([inbox], { requestId: 'BENCH-1' });
    for (const id of engine.requests.documents('BENCH-1')) {
      engine.review.redact(String(id), 'all');
      engine.review.done(String(id));
    }
    const t = performance.now();
    const r = await engine.releases.export({ requestId: 'BENCH-1', outDir: out });
    const ms = performance.now() - t;
    const bare = performance.now();
    for (const [d, file] of files.entries()) {
      const bytes = readFileSync(file);
      const pages = Math.min(PER_DOC, PAGES - d * PER_DOC);
      for (let p = 1; p <= pages; p++)
        await renderPageImage({ bytes, mediaType: 'application/pdf', pageNo: p, width: 2550, pdfAssetsDir: defaultPdfAssetsDir(), maxPixels: 12_000_000 });
    }
    const bareMs = performance.now() - bare;
    const perMin = (n: number, t: number): string => ((n / t) * 60_000).toFixed(0);
    console.log(`release benchmark: ${r.pages} pages in ${r.documents} PDFs, ${r.redactions} redactions (${os.cpus().length} cores)`);
    console.log(`  release export          ${(ms / 1000).toFixed(1)} s, ${perMin(r.pages, ms)} pages/min`);
    console.log(
      `  reference: bare 300 DPI render in one thread  ${(bareMs / 1000).toFixed(1)} s, ${perMin(r.pages, bareMs)} pages/min | export / bare ${(ms / bareMs).toFixed(2)}x`,
    );
    try {
      const p = performance.now();
      for (const file of files) execFileSync('pdftoppm', ['-r', '300', '-png', file, path.join(root, 'ppm')]);
      const pMs = performance.now() - p;
      console.log(`  reference: pdftoppm -r 300 (poppler)          ${(pMs / 1000).toFixed(1)} s, ${perMin(r.pages, pMs)} pages/min`);
    } catch {
      console.log('  reference: pdftoppm not installed (apt-get install poppler-utils to compare)');
    }
    console.log(
      `  size: release ${mb(sizeOf(r.dir))} (combined.pdf ${mb(statSync(path.join(r.dir, 'combined.pdf')).size)}) against sources ${mb(sizeOf(inbox))}`,
    );

    // Searchable PDFs for the archive, from the corpus's scanned PDFs (OCR'd at intake; the export reuses it).
    const scans = path.join(root, 'scans');
    mkdirSync(scans);
    for (const f of SCANNED) copyFileSync(path.join(packageRoot(), 'test', 'corpus', 'pdfs', f), path.join(scans, f));
    await engine.ingest([scans]);
    let exportMs = 0;
    let exportBytes = 0;
    for (const f of SCANNED) {
      const id = (engine.db.prepare('SELECT id FROM documents WHERE first_path = ?').get(path.join(scans, f)) as { id: number }).id;
      const t0 = performance.now();
      exportBytes += (await engine.exports.searchablePdf(String(id), 'benchmark')).bytes.byteLength;
      exportMs += performance.now() - t0;
    }
    console.log(`searchable PDF of ${SCANNED.join(', ')} (${mb(sizeOf(scans))}):`);
    console.log(`  custodian export pdf (OCR done at intake)  ${(exportMs / 1000).toFixed(2)} s, ${mb(exportBytes)}`);
    try {
      const t0 = performance.now();
      let bytes = 0;
      for (const f of SCANNED) {
        const target = path.join(root, `ocrmypdf-${f}`);
        execFileSync('ocrmypdf', ['--skip-text', '-q', path.join(scans, f), target]);
        bytes += statSync(target).size;
      }
      console.log(`  reference: ocrmypdf --skip-text (OCR included)  ${((performance.now() - t0) / 1000).toFixed(2)} s, ${mb(bytes)}`);
    } catch {
      console.log('  reference: ocrmypdf not installed (apt-get install ocrmypdf to compare)');
    }
  } finally {
    await engine.close();
    rmSync(root, { recursive: true, force: true });
  }
}

await main();

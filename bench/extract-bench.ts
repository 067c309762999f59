/**
 * `npm run bench [-- <folder...>] [--workers N] [--soak PAGES] [--memory-budget MB] [--reading-only]`: text-extraction
 * figures, not tests (`--reading-only`: only the 600 DPI, orientation and blank-page figures below).
 *
 * In one run, on the same files (default test/corpus/scans and test/corpus/pdfs):
 *  1. Custodian end to end (`custodian ingest`, a child process) with N workers, held to `--memory-budget`
 *     (default 1000 MB: below what the corpus takes, so the memory governor acts), and with 1;
 *  2. native `tesseract` (when installed) with the same `eng` model, on the same pages Custodian OCRed
 *     (PDF pages rendered beforehand exactly as Custodian renders them, untimed), N processes in parallel;
 *  3. `ocrmypdf -j N --skip-text --sidecar` per file (when installed), on the same model;
 *  4. a soak run over PAGES consecutive pages, for RSS growth.
 * It prints pages/min and ratios, per-file CER against `<name>.txt` / `<name>.gold.txt` beside the file,
 * 1- vs N-worker scaling, and the peak RSS of each whole process tree.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { crc32, gunzipSync } from 'node:zlib';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { PDFDocument } from 'pdf-lib';
import { Engine } from '../src/core/index.js';
import { choosePoolSize, heapLimits, hostThreadCount } from '../src/core/pool/index.js';
import { defaultLangPath } from '../src/core/extract/tesseract-ocr.js';
import { loadImagePage } from '../src/core/extract/image-pages.js';
import { halfTurn } from '../src/core/extract/orientation.js';
import { defaultPdfAssetsDir, openPdf, renderPage } from '../src/core/extract/pdf-pages.js';
import { packageRoot } from '../src/core/package-paths.js';
import { cer } from './cer.js';
import { sampleTreeRss } from './proc-tree.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    workers: { type: 'string' },
    soak: { type: 'string', default: '300' },
    'skip-single': { type: 'boolean', default: false },
    'memory-budget': { type: 'string', default: '1000' },
    'reading-only': { type: 'boolean', default: false },
  },
});

const ROOT = packageRoot();
const folders = positionals.length ? positionals.map((p) => path.resolve(p)) : ['scans', 'pdfs'].map((f) => path.resolve(ROOT, 'test', 'corpus', f));
const workers = values.workers ? Number(values.workers) : choosePoolSize().threads;
const soakPages = Number(values.soak);
const work = mkdtempSync(path.join(os.tmpdir(), 'custodian-bench-'));
const fmt = (n: number, digits = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const pct = (x: number | null): string => (x === null ? '—' : `${fmt(x * 100, 1)}%`);
const has = (cmd: string): boolean => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;

/** Runs a command to completion; resolves with its exit code and output. */
function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Runs jobs with at most `limit` at a time. */
async function parallel<T>(items: T[], limit: number, job: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await job(items[next++]!);
    }),
  );
}

/** Ground truth beside a file: `<name>.txt` or `<name>.gold.txt`. */
function groundTruth(file: string): string | null {
  const stem = file.slice(0, -path.extname(file).length);
  for (const candidate of [`${stem}.txt`, `${stem}.gold.txt`]) if (existsSync(candidate)) return readFileSync(candidate, 'utf8');
  return null;
}

type PageRow = { file: string; pageNo: number; method: string; dpi: number; text: string; rssMb: number | null };
type CustodianRun = {
  seconds: number;
  peakMb: number;
  /** The highest committed V8 heap any pool thread reported after a task, MB. */
  threadHeapMb: number | null;
  /** Memory governor steps and OCR engines recycled, from the ledger. */
  events: { throttled: number; restored: number; recycled: number; minInFlight: number | null };
  pages: { total: number; ocr: number; textLayer: number; fallback: number };
  rows: PageRow[];
  quarantined: string[];
};

/** `custodian ingest` over the folders in a child process, with its process tree's peak RSS. */
async function custodian(inputs: string[], threads: number, extra: string[] = []): Promise<CustodianRun> {
  const dataDir = mkdtempSync(path.join(work, 'data-'));
  const bin = path.join(ROOT, 'bin', 'custodian.js');
  const t0 = performance.now();
  const child = spawn(process.execPath, [bin, '-q', '--data-dir', dataDir, '--json', '--workers', String(threads), ...extra, 'ingest', ...inputs], {
    env: { ...process.env, CUSTODIAN_OCR_ADAPTER: '' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const rss = sampleTreeRss(child.pid!);
  let stdout = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const seconds = (performance.now() - t0) / 1000;
  const { peakMb } = rss.stop();
  if (code !== 0) throw new Error(`custodian ingest exited ${code}`);
  const summary = JSON.parse(stdout) as { pages: CustodianRun['pages'] };
  const engine = Engine.open({ dataDir });
  try {
    const rows = engine.db
      .prepare(
        `SELECT d.first_path AS file, p.page_no AS pageNo, p.method, p.dpi, p.text,
                (SELECT json_extract(l.payload, '$.rssMb') FROM ledger l WHERE l.type = 'page.extracted'
                   AND json_extract(l.payload, '$.documentId') = d.id AND json_extract(l.payload, '$.pageNo') = p.page_no ORDER BY l.seq DESC LIMIT 1) AS rssMb
           FROM pages p JOIN documents d ON d.id = p.document_id
          WHERE p.method IS NOT NULL ORDER BY d.first_path, p.page_no`,
      )
      .all() as PageRow[];
    const quarantined = engine.quarantine.list().map((q) => `${path.basename(q.path)} (${q.reasonCode})`);
    const heap = engine.db
      .prepare(`SELECT MAX(json_extract(payload, '$.heapMb')) AS mb FROM ledger WHERE type IN ('page.extracted', 'document.planned')`)
      .get() as { mb: number | null };
    const count = (type: string): number => (engine.db.prepare('SELECT COUNT(*) AS n FROM ledger WHERE type = ?').get(type) as { n: number }).n;
    const minInFlight = (
      engine.db.prepare(`SELECT MIN(json_extract(payload, '$.to')) AS n FROM ledger WHERE type = 'pool.throttled'`).get() as { n: number | null }
    ).n;
    const events = { throttled: count('pool.throttled'), restored: count('pool.restored'), recycled: count('worker.recycled'), minInFlight };
    return { seconds, peakMb, threadHeapMb: heap.mb, events, pages: summary.pages, rows, quarantined };
  } finally {
    await engine.close();
  }
}

/** Text of a file's pages, in order. */
const textOf = (rows: PageRow[], file: string): string =>
  rows
    .filter((r) => r.file === file)
    .map((r) => r.text)
    .join('\n');

/** The same `eng` model tesseract.js uses, unpacked for native tesseract and ocrmypdf. */
function nativeTessdata(): string {
  const dir = path.join(work, 'tessdata');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'eng.traineddata'), gunzipSync(readFileSync(path.join(defaultLangPath(), 'eng.traineddata.gz'))));
  // osd is not needed for PSM 3; ocrmypdf asks for nothing else.
  return dir;
}

type NativeImage = { file: string; pageNo: number; image: string; dpi: number };

/** The images Custodian OCRed, as files native tesseract can read: the scan itself, or the page rendered as Custodian renders it. */
async function nativeInputs(rows: PageRow[]): Promise<NativeImage[]> {
  const out: NativeImage[] = [];
  const dir = path.join(work, 'pages');
  mkdirSync(dir, { recursive: true });
  const byFile = new Map<string, PageRow[]>();
  for (const r of rows.filter((r) => r.method === 'ocr')) byFile.set(r.file, [...(byFile.get(r.file) ?? []), r]);
  for (const [file, pages] of byFile) {
    if (!file.toLowerCase().endsWith('.pdf')) {
      // tesseract reads every page of a TIFF itself; one entry per file.
      out.push({ file, pageNo: 0, image: file, dpi: pages[0]!.dpi });
      continue;
    }
    const pdf = await openPdf(readFileSync(file), defaultPdfAssetsDir());
    try {
      for (const p of pages) {
        const page = await pdf.doc.getPage(p.pageNo);
        const rendered = await renderPage(pdf.doc, page, 300, 12_000_000);
        page.cleanup();
        const image = path.join(dir, `${path.basename(file)}-${p.pageNo}.png`);
        writeFileSync(image, rendered.image);
        out.push({ file, pageNo: p.pageNo, image, dpi: rendered.dpi });
      }
    } finally {
      await pdf.task.destroy();
    }
  }
  return out;
}

/** Native tesseract, one single-threaded process per image, `threads` at a time. */
async function nativeTesseract(images: NativeImage[], threads: number, tessdata: string) {
  const texts = new Map<string, string[]>();
  let failures = 0;
  const rss = sampleTreeRss(process.pid, { excludeRoot: true });
  const t0 = performance.now();
  await parallel(images, threads, async (img) => {
    const r = await run('tesseract', [img.image, 'stdout', '--tessdata-dir', tessdata, '-l', 'eng', '--oem', '1', '--psm', '3', '--dpi', String(img.dpi)], {
      OMP_THREAD_LIMIT: '1',
    });
    if (r.code !== 0) failures++;
    texts.set(img.file, [...(texts.get(img.file) ?? []), r.stdout]);
  });
  const seconds = (performance.now() - t0) / 1000;
  return { seconds, peakMb: rss.stop().peakMb, texts, failures };
}

/** ocrmypdf per file, `-j threads`, on the same model; images are given their DPI. */
async function ocrmypdf(files: string[], threads: number, tessdata: string, dpiOf: Map<string, number>) {
  const outDir = path.join(work, 'ocrmypdf');
  mkdirSync(outDir, { recursive: true });
  const failed: string[] = [];
  const rss = sampleTreeRss(process.pid, { excludeRoot: true });
  const t0 = performance.now();
  for (const file of files) {
    const out = path.join(outDir, `${path.basename(file)}.pdf`);
    const args = ['-j', String(threads), '--skip-text', '--sidecar', `${out}.txt`, '-l', 'eng'];
    if (!file.toLowerCase().endsWith('.pdf')) args.push('--image-dpi', String(dpiOf.get(file) ?? 300));
    const r = await run('ocrmypdf', [...args, file, out], { TESSDATA_PREFIX: tessdata });
    if (r.code !== 0) failed.push(`${path.basename(file)} (exit ${r.code}: ${r.stderr.trim().split('\n').pop()})`);
  }
  const seconds = (performance.now() - t0) / 1000;
  return { seconds, peakMb: rss.stop().peakMb, failed };
}

/** A PDF of `pages` pages, cycling through the scanned pages of the corpus PDFs. */
async function soakPdf(sources: string[], pages: number): Promise<string> {
  const out = await PDFDocument.create();
  const donors = await Promise.all(sources.map(async (f) => PDFDocument.load(readFileSync(f), { ignoreEncryption: false })));
  const all = donors.flatMap((d) => d.getPageIndices().map((i) => [d, i] as const));
  for (let n = 0; n < pages; n++) {
    const [donor, index] = all[n % all.length]!;
    const [copy] = await out.copyPages(donor, [index]);
    out.addPage(copy!);
  }
  const file = path.join(work, 'soak', `soak-${pages}.pdf`);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, await out.save());
  return file;
}

/** `png` with a pHYs chunk declaring `dpi` (inserted after IHDR, as encoders write it). */
function pngWithDpi(png: Buffer, dpi: number): Buffer {
  const ppm = Math.round(dpi / 0.0254);
  const data = Buffer.alloc(9);
  data.writeUInt32BE(ppm, 0);
  data.writeUInt32BE(ppm, 4);
  data[8] = 1;
  const type = Buffer.from('pHYs', 'latin1');
  const chunk = Buffer.alloc(12 + 9);
  chunk.writeUInt32BE(9, 0);
  type.copy(chunk, 4);
  data.copy(chunk, 8);
  chunk.writeUInt32BE(crc32(Buffer.concat([type, data])), 17);
  const ihdrEnd = 8 + 8 + 13 + 4;
  return Buffer.concat([png.subarray(0, ihdrEnd), chunk, png.subarray(ihdrEnd)]);
}

type ReadingRun = { seconds: number; pages: number; blank: number; text: Map<string, string>; msOf: Map<string, number> };

/** `ingest` of `folder` in this process (the engine's reading thresholds are options, not CLI flags), text by file name. */
async function readFolder(folder: string, ocrReading?: { downsampleAboveDpi?: number; blankInk?: number; orientation?: boolean }): Promise<ReadingRun> {
  const engine = Engine.open({ dataDir: mkdtempSync(path.join(work, 'reading-')), workers, ocrReading });
  try {
    const t0 = performance.now();
    const summary = await engine.ingest([folder]);
    const seconds = (performance.now() - t0) / 1000;
    const rows = engine.db
      .prepare(
        `SELECT d.first_path AS file, p.text, p.duration_ms AS ms FROM pages p JOIN documents d ON d.id = p.document_id ORDER BY d.first_path, p.page_no`,
      )
      .all() as { file: string; text: string; ms: number }[];
    const text = new Map<string, string>();
    const msOf = new Map<string, number>();
    for (const r of rows) {
      text.set(path.basename(r.file), `${text.get(path.basename(r.file)) ?? ''}${r.text}\n`);
      msOf.set(path.basename(r.file), (msOf.get(path.basename(r.file)) ?? 0) + r.ms);
    }
    return { seconds, pages: summary.pages.total, blank: summary.pages.blank, text, msOf };
  } finally {
    await engine.close();
  }
}

/**
 * OCR at the resolution it needs: the corpus scans with ground truth made 600 DPI (drawn twice as large or
 * more) read as Custodian reads them now (at 300 DPI) against reading every pixel (the behaviour before);
 * and a batch with every second page blank (each scan followed by a white page of its size) with the blank
 * pages skipped against read. CER on the same ground truth, and time, side by side.
 */
async function readingFigures(scans: string[]): Promise<void> {
  const withTruth = scans.filter((f) => groundTruth(f) !== null && /\.(png|tiff?)$/iu.test(f));
  if (!withTruth.length) return;
  const fine = path.join(work, 'fine-600dpi');
  const duplex = path.join(work, 'duplex');
  mkdirSync(fine, { recursive: true });
  mkdirSync(duplex, { recursive: true });
  const truthOf = new Map<string, string>();
  for (const file of withTruth) {
    const bytes = readFileSync(file);
    const mediaType = file.toLowerCase().endsWith('.png') ? 'image/png' : 'image/tiff';
    const page = await loadImagePage(bytes, mediaType, 1, 1e9, { reencode: true });
    const img = await loadImage(Buffer.from(page.image));
    const k = 600 / page.dpi;
    const big = createCanvas(Math.round(page.width * k), Math.round(page.height * k));
    const ctx = big.getContext('2d');
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(img, 0, 0, big.width, big.height);
    const name = `${path.basename(file, path.extname(file))}.png`;
    writeFileSync(path.join(fine, name), pngWithDpi(await big.encode('png'), 600));
    // The duplex batch: the scan as it is, then the back of its sheet, white, at the same size and DPI.
    writeFileSync(path.join(duplex, `${path.basename(file, path.extname(file))}-1.png`), pngWithDpi(Buffer.from(page.image), page.dpi));
    const back = createCanvas(page.width, page.height);
    const bctx = back.getContext('2d');
    bctx.fillStyle = '#fff';
    bctx.fillRect(0, 0, page.width, page.height);
    writeFileSync(path.join(duplex, `${path.basename(file, path.extname(file))}-2.png`), pngWithDpi(await back.encode('png'), page.dpi));
    truthOf.set(name, groundTruth(file)!);
    truthOf.set(`${path.basename(file, path.extname(file))}-1.png`, groundTruth(file)!);
  }
  const cers = (r: ReadingRun): number[] => [...truthOf].filter(([n]) => r.text.has(n)).map(([n, t]) => cer(r.text.get(n)!, t));
  const mean = (xs: number[]): number => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);

  const down = await readFolder(fine);
  const full = await readFolder(fine, { downsampleAboveDpi: Infinity });
  const pageMs = (r: ReadingRun): number => mean([...r.msOf.values()]);
  console.log(`\nScans at 600 DPI (${withTruth.length} corpus scans with ground truth, drawn at 600 DPI), ${workers} workers:`);
  console.log(
    `  read at 300 DPI (now): ${fmt(pageMs(down))} ms a page in its thread, mean CER ${pct(mean(cers(down)))}; every pixel read (before): ${fmt(pageMs(full))} ms, mean CER ${pct(mean(cers(full)))}; ${fmt(pageMs(full) / pageMs(down), 2)}x faster (batch wall time ${fmt(down.seconds, 1)} s vs ${fmt(full.seconds, 1)} s, engine start included)`,
  );
  for (const [n] of [...truthOf].filter(([n]) => down.text.has(n)))
    console.log(
      `    ${n.padEnd(20)} CER ${pct(cer(down.text.get(n)!, truthOf.get(n)!)).padStart(7)} at 300 DPI, ${pct(cer(full.text.get(n)!, truthOf.get(n)!)).padStart(7)} at 600`,
    );

  // Orientation: the same scans upside down, read with the second, turned reading and without it; and the
  // upright scans with and without it, for what the check costs a page that reads well.
  const upside = path.join(work, 'upside-down');
  const upright = path.join(work, 'upright');
  mkdirSync(upside, { recursive: true });
  mkdirSync(upright, { recursive: true });
  for (const file of withTruth) {
    const page = await loadImagePage(readFileSync(file), file.toLowerCase().endsWith('.png') ? 'image/png' : 'image/tiff', 1, 1e9, { reencode: true });
    const name = `${path.basename(file, path.extname(file))}.png`;
    writeFileSync(path.join(upright, name), pngWithDpi(Buffer.from(page.image), page.dpi));
    writeFileSync(path.join(upside, name), pngWithDpi(Buffer.from(await halfTurn(page.image)), page.dpi));
    truthOf.set(name, groundTruth(file)!);
  }
  const turnedOn = await readFolder(upside);
  const turnedOff = await readFolder(upside, { orientation: false });
  const uprightOn = await readFolder(upright);
  const uprightOff = await readFolder(upright, { orientation: false });
  console.log(`\nPages upside down (the same ${withTruth.length} scans turned 180°), ${workers} workers:`);
  console.log(
    `  with the turned second reading (now): mean CER ${pct(mean(cers(turnedOn)))}, ${fmt(pageMs(turnedOn))} ms a page; without (before): mean CER ${pct(mean(cers(turnedOff)))}, ${fmt(pageMs(turnedOff))} ms a page`,
  );
  console.log(
    `  upright, what the check costs: ${fmt(pageMs(uprightOn))} ms a page with it, ${fmt(pageMs(uprightOff))} ms without (${fmt(pageMs(uprightOn) / pageMs(uprightOff), 2)}x); mean CER ${pct(mean(cers(uprightOn)))} and ${pct(mean(cers(uprightOff)))}`,
  );

  const skip = await readFolder(duplex);
  const read = await readFolder(duplex, { blankInk: -1 });
  const backMs = (r: ReadingRun): number => mean([...r.msOf].filter(([n]) => n.endsWith('-2.png')).map(([, ms]) => ms));
  const frontMs = (r: ReadingRun): number => mean([...r.msOf].filter(([n]) => n.endsWith('-1.png')).map(([, ms]) => ms));
  console.log(`\nEvery second page blank (${skip.pages} pages, ${skip.blank} blank), ${workers} workers:`);
  console.log(
    `  blank pages skipped (now): ${fmt(skip.seconds, 1)} s, mean CER of the fronts ${pct(mean(cers(skip)))}; every page read (before): ${fmt(read.seconds, 1)} s, ${pct(mean(cers(read)))}; ${fmt(read.seconds / skip.seconds, 2)}x faster`,
  );
  console.log(
    `  per blank page in its thread: ${fmt(backMs(skip))} ms skipped, ${fmt(backMs(read))} ms read (a front page: ${fmt(frontMs(skip))} ms); the batch's wall time includes starting the OCR engines`,
  );
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)]! : 0;
};

async function main(): Promise<void> {
  const files = folders.flatMap((f) =>
    readdirSync(f, { recursive: true, withFileTypes: true })
      .filter((d) => d.isFile() && /\.(pdf|png|jpe?g|tiff?)$/iu.test(d.name))
      .map((d) => path.join(d.parentPath, d.name)),
  );
  console.log(`Text extraction benchmark: ${files.length} files in ${folders.join(', ')}; ${workers} worker(s) on ${os.availableParallelism()} cores\n`);
  const scanFilesOf = (): string[] => files.filter((f) => /scans/u.test(path.dirname(f)));
  if (values['reading-only']) {
    await readingFigures(scanFilesOf());
    rmSync(work, { recursive: true, force: true });
    return;
  }

  const many = await custodian(folders, workers);
  console.log(
    `Custodian, ${workers} workers: ${many.pages.total} pages (${many.pages.ocr} OCR, ${many.pages.textLayer} text layer, ${many.pages.fallback} fallback) in ${fmt(many.seconds, 1)} s = ${fmt((many.pages.total / many.seconds) * 60, 1)} pages/min; peak RSS ${fmt(many.peakMb)} MB (target with 2 workers ≤ 1,200 MB)`,
  );
  if (many.quarantined.length) console.log(`  quarantined: ${many.quarantined.join(', ')}`);
  const electron = heapLimits('extract', hostThreadCount(workers), true).maxOldGenerationSizeMb;
  console.log(
    `  V8 heap per pool thread: peak ${many.threadHeapMb ?? '?'} MB committed (inside Electron's shared 4 GB cage; the app's limit with ${workers} per lane is ${electron} MB, the CLI's 1,536 MB)`,
  );
  console.log(
    `  memory governor: ${many.events.throttled} step(s) down, ${many.events.restored} back (default budget); OCR engines recycled: ${many.events.recycled}`,
  );
  if (values['memory-budget']) {
    const budget = Number(values['memory-budget']);
    const held = await custodian(folders, workers, ['--memory-budget', String(budget)]);
    console.log(
      `Custodian, ${workers} workers held to ${fmt(budget)} MB: ${fmt(held.seconds, 1)} s (${fmt(held.seconds / many.seconds, 2)}x the unheld run); peak RSS ${fmt(held.peakMb)} MB (unheld ${fmt(many.peakMb)} MB); ${held.events.throttled} step(s) down to ${held.events.minInFlight ?? '-'} page(s) at a time, ${held.events.restored} back; OCR engines recycled: ${held.events.recycled}`,
    );
  }
  let single: CustodianRun | null = null;
  if (workers > 1 && !values['skip-single']) {
    single = await custodian(folders, 1);
    console.log(
      `Custodian, 1 worker:  ${single.pages.total} pages in ${fmt(single.seconds, 1)} s = ${fmt((single.pages.total / single.seconds) * 60, 1)} pages/min; peak RSS ${fmt(single.peakMb)} MB`,
    );
    console.log(
      `  scaling ${workers} vs 1 worker: ${fmt(single.seconds / many.seconds, 2)}x (target ≥ 1.7x); marginal RSS per worker ≈ ${fmt((many.peakMb - single.peakMb) / (workers - 1))} MB`,
    );
  }

  const tessdata = nativeTessdata();
  const ocrRows = many.rows.filter((r) => r.method === 'ocr');
  const scanFiles = new Set(ocrRows.filter((r) => !r.file.toLowerCase().endsWith('.pdf')).map((r) => r.file));
  const nativeTexts = new Map<string, string[]>();
  if (has('tesseract')) {
    const images = await nativeInputs(many.rows);
    const native = await nativeTesseract(images, workers, tessdata);
    for (const [k, v] of native.texts) nativeTexts.set(k, v);
    const nativePages = ocrRows.length;
    console.log(
      `\nNative tesseract (${spawnSync('tesseract', ['--version']).stdout.toString().split('\n')[0]}, same eng model, PSM 3, ${workers} processes): ${nativePages} OCR pages in ${fmt(native.seconds, 1)} s = ${fmt((nativePages / native.seconds) * 60, 1)} pages/min; peak RSS ${fmt(native.peakMb)} MB${native.failures ? `; ${native.failures} failed` : ''}`,
    );
    // Custodian's time on the scans alone, from its own run over the scans folder(s).
    const scanFolders = [...new Set([...scanFiles].map((f) => path.dirname(f)))];
    if (scanFolders.length) {
      const scansOnly = await custodian(scanFolders, workers);
      const nativeScans = await nativeTesseract(
        images.filter((i) => scanFiles.has(i.file)),
        workers,
        tessdata,
      );
      const scanPages = scansOnly.pages.ocr;
      console.log(
        `  scans only: Custodian ${fmt((scanPages / scansOnly.seconds) * 60, 1)} pages/min vs native ${fmt((scanPages / nativeScans.seconds) * 60, 1)} pages/min = ${fmt(nativeScans.seconds / scansOnly.seconds, 2)}x (target ≥ 0.55x)`,
      );
    }
    console.log(
      `  OCR pages, end to end: Custodian ${fmt(many.seconds, 1)} s (all ${many.pages.total} pages) vs native ${fmt(native.seconds, 1)} s (OCR pages only, pre-rendered) = ${fmt(native.seconds / many.seconds, 2)}x`,
    );
  } else console.log('\nNative tesseract: not installed (apt-get install tesseract-ocr); skipped.');

  if (has('ocrmypdf')) {
    const dpiOf = new Map(many.rows.map((r) => [r.file, r.dpi]));
    const om = await ocrmypdf(files, workers, tessdata, dpiOf);
    const pages = many.pages.total;
    console.log(
      `\nocrmypdf -j ${workers} --skip-text --sidecar, per file: ${fmt(om.seconds, 1)} s = ${fmt((pages / om.seconds) * 60, 1)} pages/min; peak RSS ${fmt(om.peakMb)} MB; Custodian is ${fmt(om.seconds / many.seconds, 2)}x as fast (target ≥ 1.5x)`,
    );
    if (om.failed.length) console.log(`  ocrmypdf failed on: ${om.failed.join('; ')}`);
  } else console.log('\nocrmypdf: not installed (apt-get install ocrmypdf); skipped.');

  console.log('\nCER against ground truth (whitespace collapsed):');
  console.log(`  ${'file'.padEnd(24)} ${'Custodian'.padStart(10)} ${'native'.padStart(10)} ${'diff (pts)'.padStart(11)}`);
  for (const file of [...new Set(many.rows.map((r) => r.file))]) {
    const truth = groundTruth(file);
    if (truth === null) continue;
    const ours = cer(textOf(many.rows, file), truth);
    const theirs = nativeTexts.has(file) ? cer(nativeTexts.get(file)!.join('\n'), truth) : null;
    const diff = theirs === null ? '—' : fmt((ours - theirs) * 100, 2);
    console.log(`  ${path.basename(file).padEnd(24)} ${pct(ours).padStart(10)} ${pct(theirs).padStart(10)} ${diff.padStart(11)}`);
  }

  await readingFigures(scanFilesOf());

  if (soakPages > 0) {
    const sources = [...new Set(ocrRows.map((r) => r.file))].filter((f) => f.toLowerCase().endsWith('.pdf'));
    const soakFile = await soakPdf(sources, soakPages);
    const soak = await custodian([soakFile], workers);
    const series = soak.rows.filter((r) => r.rssMb !== null).map((r) => r.rssMb!);
    const window = Math.max(5, Math.floor(series.length / 10));
    // After warm-up (the first window), against the last window.
    const early = median(series.slice(window, 2 * window));
    const late = median(series.slice(-window));
    console.log(
      `\nSoak: ${soak.pages.total} consecutive pages in one PDF, ${workers} workers: ${fmt(soak.seconds, 1)} s = ${fmt((soak.pages.total / soak.seconds) * 60, 1)} pages/min; peak RSS ${fmt(soak.peakMb)} MB`,
    );
    console.log(
      `  process RSS at pages ${window}–${2 * window}: ${fmt(early)} MB; last ${window} pages: ${fmt(late)} MB; growth ${pct(early ? (late - early) / early : null)} (target ≤ 10%)`,
    );
  }
  rmSync(work, { recursive: true, force: true });
}

await main();

/**
 * The page render behind the viewer, on real files through the engine (pool thread, pdf.js, the image decoder,
 * tesseract.js for the word boxes): an image, a scanned PDF page and a text-layer PDF page come back as PNGs
 * whose stored word boxes, scaled by `boxScale`, land on the ink; the disk cache serves repeats, keeps to its cap
 * and never holds a restricted page; a file changed after intake is not drawn.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadImage, createCanvas } from '@napi-rs/canvas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine, EngineError } from '../src/core/index.js';
import type { PageImage } from '../src/shared/types.js';
import { onlyJson, runCli } from './helpers/cli.js';
import { corpus, suiteTempDir, textPdf } from './helpers/fixtures.js';

let dataDir: string;
let inbox: string;
let engine: Engine;
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const docId = (name: string): number => (engine.db.prepare('SELECT id FROM documents WHERE first_path LIKE ?').get(`%/${name}`) as { id: number }).id;
const cacheFiles = (): string[] => (existsSync(path.join(dataDir, 'render-cache')) ? readdirSync(path.join(dataDir, 'render-cache')) : []);

/** A one-page PDF with a real text layer (Helvetica 24 pt), as a word processor exports one. */
const textLayerPdf = (lines: string[]): Promise<Buffer> => textPdf([lines.join('\n')], { size: 24 });

/**
 * Where the ink is, against the stored word boxes scaled into the image: the share of dark pixels that fall
 * inside a box (grown by a few pixels for anti-aliasing), and the share of box area that is dark.
 */
async function inkAgainstBoxes(page: PageImage, words: [string, number, number, number, number, number][]): Promise<{ inBoxes: number; boxInk: number }> {
  const img = await loadImage(Buffer.from(page.image));
  const canvas = createCanvas(img.width, img.height);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(img, 0, 0);
  const { data } = ctx.getImageData(0, 0, img.width, img.height);
  const inside = new Uint8Array(img.width * img.height);
  const s = page.boxScale!;
  const pad = 3;
  for (const [, x0, y0, x1, y1] of words)
    for (let y = Math.max(0, Math.floor(y0 * s) - pad); y < Math.min(img.height, Math.ceil(y1 * s) + pad); y++)
      for (let x = Math.max(0, Math.floor(x0 * s) - pad); x < Math.min(img.width, Math.ceil(x1 * s) + pad); x++) inside[y * img.width + x] = 1;
  let dark = 0;
  let darkInside = 0;
  let insideArea = 0;
  for (let i = 0; i < inside.length; i++) {
    const isDark = 0.299 * data[i * 4]! + 0.587 * data[i * 4 + 1]! + 0.114 * data[i * 4 + 2]! < 128;
    if (isDark) dark++;
    if (inside[i]) {
      insideArea++;
      if (isDark) darkInside++;
    }
  }
  return { inBoxes: dark ? darkInside / dark : 0, boxInk: insideArea ? darkInside / insideArea : 0 };
}

const wordsOf = (id: number, pageNo: number): [string, number, number, number, number, number][] => engine.documents.text(String(id), pageNo)[0]!.words;

describe('page render (issue 15)', () => {
  beforeAll(async () => {
    dataDir = suiteTempDir('custodian-render-data-');
    inbox = path.join(suiteTempDir('custodian-render-in-'), 'box');
    mkdirSync(inbox);
    copyFileSync(corpus('scans', 'phototest.tif'), path.join(inbox, 'phototest.tif'));
    copyFileSync(corpus('pdfs', 'multipage.pdf'), path.join(inbox, 'multipage.pdf'));
    writeFileSync(path.join(inbox, 'memo.pdf'), await textLayerPdf(['Quarterly records inventory', 'Filed with the county clerk']));
    writeFileSync(path.join(inbox, 'changing.pdf'), await textLayerPdf(['This file is edited after intake']));
    engine = Engine.open({ dataDir });
    const summary = await engine.ingest([inbox]);
    expect(summary.quarantined).toBe(0);
    const restricted = path.join(suiteTempDir('custodian-render-restricted-'), 'box');
    mkdirSync(restricted);
    writeFileSync(path.join(restricted, 'personnel.pdf'), await textLayerPdf(['Personnel file of a named employee']));
    await engine.ingest([restricted], { lane: 'pii' });
  }, 240_000);

  afterAll(async () => {
    await engine?.close();
  });

  it('draws an image scan at its own size, boxes on the ink, and serves the repeat from the cache', async () => {
    const id = docId('phototest.tif');
    const page = await engine.documents.renderPage(String(id), 1);
    expect(Buffer.from(page.image.subarray(0, 8))).toEqual(PNG_SIGNATURE);
    // 640x480: smaller than the display size, so not enlarged; OCR saw the same pixels.
    expect([page.width, page.height, page.boxScale, page.cached]).toEqual([640, 480, 1, false]);
    const ink = await inkAgainstBoxes(page, wordsOf(id, 1));
    expect(ink.inBoxes).toBeGreaterThan(0.9);
    expect(ink.boxInk).toBeGreaterThan(0.1);
    const again = await engine.documents.renderPage(String(id), 1);
    expect(again.cached).toBe(true);
    expect(Buffer.from(again.image)).toEqual(Buffer.from(page.image));
    expect(cacheFiles().filter((f) => f.endsWith('.png'))).toHaveLength(1);
    // Cached files are readable by the account alone.
    for (const f of cacheFiles()) expect(statSync(path.join(dataDir, 'render-cache', f)).mode & 0o077).toBe(0);
  });

  it('draws a scanned PDF page through pdf.js with its OCR boxes on the words', async () => {
    const id = docId('multipage.pdf');
    const page = await engine.documents.renderPage(String(id), 2);
    expect(page.pages).toBe(6);
    expect(Math.max(page.width, page.height)).toBe(1600);
    const words = wordsOf(id, 2);
    expect(words.map((w) => w[0])).toContain('megapixels');
    expect(page.boxScale).toBeCloseTo(
      page.width / (engine.db.prepare('SELECT width FROM pages WHERE document_id = ? AND page_no = 2').get(id) as { width: number }).width,
      6,
    );
    const ink = await inkAgainstBoxes(page, words);
    expect(ink.inBoxes).toBeGreaterThan(0.9);
    expect(ink.boxInk).toBeGreaterThan(0.05);
  });

  it('draws a text-layer PDF page at the width asked, the text-layer boxes on the glyphs', async () => {
    const id = docId('memo.pdf');
    expect(engine.documents.text(String(id), 1)[0]!.method).toBe('text-layer');
    const page = await engine.documents.renderPage(String(id), 1, { width: 800 });
    expect(page.width).toBe(800);
    expect(page.height).toBe(Math.floor((800 * 792) / 612));
    // Text-layer boxes are in pixels at 300 DPI: 2550 px across a Letter page.
    expect(page.boxScale).toBeCloseTo(800 / 2550, 6);
    const words = wordsOf(id, 1);
    expect(words.map((w) => w[0])).toEqual(['Quarterly', 'records', 'inventory', 'Filed', 'with', 'the', 'county', 'clerk']);
    const ink = await inkAgainstBoxes(page, words);
    expect(ink.inBoxes).toBeGreaterThan(0.9);
    expect(ink.boxInk).toBeGreaterThan(0.1);
  });

  it('a restricted page needs a reason, is recorded when viewed, and never reaches the disk cache', async () => {
    const id = docId('personnel.pdf');
    const sha = (engine.db.prepare('SELECT sha256 FROM documents WHERE id = ?').get(id) as { sha256: string }).sha256;
    await expect(engine.documents.renderPage(String(id), 1)).rejects.toMatchObject({ code: 'refused', message: /pii lane; give a reason/ });
    const viewed = (): number => (engine.db.prepare("SELECT count(*) AS n FROM ledger WHERE type = 'document.restricted-viewed'").get() as { n: number }).n;
    const before = viewed();
    const page = await engine.documents.renderPage(String(id), 1, { reason: 'FOIA 2026-114 review' });
    expect(page.width).toBeGreaterThan(0);
    expect(viewed()).toBe(before + 1);
    const again = await engine.documents.renderPage(String(id), 1, { reason: 'FOIA 2026-114 review' });
    expect(again.cached).toBe(true);
    expect(viewed()).toBe(before + 2);
    expect(cacheFiles().some((f) => f.startsWith(sha))).toBe(false);
  });

  it('refuses a page the document does not have and a width past the limit', async () => {
    const id = String(docId('memo.pdf'));
    await expect(engine.documents.renderPage(id, 2)).rejects.toMatchObject({ code: 'not-found', message: 'Document ' + id + ' has no page 2 (it has 1).' });
    await expect(engine.documents.renderPage(id, 1, { width: 9000 })).rejects.toBeInstanceOf(EngineError);
  });

  it('does not draw a file changed, replaced by a FIFO, or removed after intake', async () => {
    const id = String(docId('changing.pdf'));
    const file = path.join(inbox, 'changing.pdf');
    writeFileSync(file, await textLayerPdf(['This file was edited after intake']));
    await expect(engine.documents.renderPage(id, 1)).rejects.toMatchObject({
      code: 'file-unavailable',
      message: /changed after intake \(changed-since-intake\)/,
    });
    unlinkSync(file);
    execFileSync('mkfifo', [file]);
    await expect(engine.documents.renderPage(id, 1)).rejects.toMatchObject({
      code: 'file-unavailable',
      message: /no longer a regular file.*\(changed-since-intake\)/,
    });
    unlinkSync(file);
    await expect(engine.documents.renderPage(id, 1)).rejects.toMatchObject({ code: 'file-unavailable', message: /\(vanished\)/ });
  });

  it('keeps the disk cache under its cap, oldest out first', async () => {
    const id = String(docId('memo.pdf'));
    const dir = path.join(dataDir, 'render-cache');
    const widths = [1000, 1200, 1400, 1600];
    const sizes: number[] = [];
    for (const width of widths) sizes.push((await engine.documents.renderPage(id, 1, { width })).image.byteLength);
    // The same renders again under a cap that holds the last two exactly.
    await engine.close();
    rmSync(dir, { recursive: true });
    const cap = sizes[2]! + sizes[3]!;
    engine = Engine.open({ dataDir, renderCacheBytes: cap });
    for (const width of widths) expect((await engine.documents.renderPage(id, 1, { width })).cached).toBe(false);
    const pngs = cacheFiles().filter((f) => f.endsWith('.png'));
    expect(pngs.map((f) => Number(/-1-(\d+)-v1\.png$/u.exec(f)![1])).sort()).toEqual([1400, 1600]);
    expect(pngs.reduce((n, f) => n + statSync(path.join(dir, f)).size, 0)).toBe(cap);
    // Every image kept has its size beside it, and nothing else is left behind.
    expect(cacheFiles().sort()).toEqual(pngs.flatMap((f) => [f.replace(/\.png$/u, '.json'), f]).sort());
    // A hit counts as a use: the older of the two, once read, outlives the next render.
    expect((await engine.documents.renderPage(id, 1, { width: 1400 })).cached).toBe(true);
    await engine.documents.renderPage(id, 1, { width: 1000 });
    expect(
      cacheFiles()
        .filter((f) => f.endsWith('.png'))
        .map((f) => Number(/-1-(\d+)-v1\.png$/u.exec(f)![1]))
        .sort(),
    ).toEqual(sizes[0]! + sizes[2]! <= cap ? [1000, 1400] : [1400]);
  });

  it('custodian page writes the PNG and says how boxes scale', async () => {
    const [memo, personnel] = [docId('memo.pdf'), docId('personnel.pdf')];
    await engine.close();
    const out = path.join(suiteTempDir('custodian-render-out-'), 'p1.png');
    const r = runCli(['--data-dir', dataDir, '--json', 'page', String(memo), '1', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const json = onlyJson<{ width: number; height: number; boxScale: number; out: string }>(r.stdout);
    const width = Math.floor((612 * 1600) / 792);
    expect(json).toMatchObject({ width, height: 1600, out });
    expect(json.boxScale).toBeCloseTo(width / 2550, 6);
    expect(readFileSync(out).subarray(0, 8)).toEqual(PNG_SIGNATURE);
    const refused = runCli(['--data-dir', dataDir, 'page', String(personnel), '1', '--out', out]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/give a reason to view its pages/);
    engine = Engine.open({ dataDir });
  });
});

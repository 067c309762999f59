import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCanvas, GlobalFonts } from '@napi-rs/canvas';
import { createRequire } from 'node:module';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import UTIF from 'utif2';
import { afterAll, afterEach } from 'vitest';

/** Repository root. */
export const REPO = path.resolve(import.meta.dirname, '..', '..');

/** The test corpus inside the repository (`test/corpus/`: real scans and PDFs with ground truth, attributed in its README). */
export function corpus(...parts: string[]): string {
  return path.join(REPO, 'test', 'corpus', ...parts);
}

/** Sample files shipped in the repository. */
export function sample(...parts: string[]): string {
  return path.join(REPO, 'resources', 'samples', ...parts);
}

const made: string[] = [];
afterEach(() => {
  while (made.length) rmSync(made.pop()!, { recursive: true, force: true });
});

const madeForFile: string[] = [];
afterAll(() => {
  while (madeForFile.length) rmSync(madeForFile.pop()!, { recursive: true, force: true });
});

/** A fresh temporary folder (real path), removed after the test. */
export function tempDir(prefix = 'custodian-test-'): string {
  const dir = realpathSync(mkdtempSync(path.join(os.tmpdir(), prefix)));
  made.push(dir);
  return dir;
}

/** A fresh temporary folder for a whole test file (made in `beforeAll`), removed after the file. */
export function suiteTempDir(prefix = 'custodian-suite-'): string {
  const dir = realpathSync(mkdtempSync(path.join(os.tmpdir(), prefix)));
  madeForFile.push(dir);
  return dir;
}

/** Writes a file, creating parent folders. */
export function write(file: string, content: string | Uint8Array): string {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, content);
  return file;
}

/** Bytes that intake recognises as a PNG (the signature) followed by unique content. */
export function pngLike(size = 2048): Buffer {
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(Math.max(0, size - 8))]);
}

/** Hex digest of bytes. */
export function digest(bytes: Uint8Array | string, algorithm = 'sha256'): string {
  return createHash(algorithm).update(bytes).digest('hex');
}

/**
 * Writes a BagIt bag (RFC 8493) holding `files` under data/, with a SHA-256 payload manifest, and
 * returns the digests written.
 */
export function writeBag(root: string, files: Record<string, Uint8Array | string>, algorithms: string[] = ['sha256']): void {
  write(path.join(root, 'bagit.txt'), 'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n');
  for (const [rel, content] of Object.entries(files)) write(path.join(root, 'data', rel), content);
  for (const alg of algorithms) {
    const lines = Object.entries(files).map(([rel, content]) => `${digest(content, alg)}  data/${rel}`);
    write(path.join(root, `manifest-${alg}.txt`), `${lines.join('\n')}\n`);
  }
}

/** Module URL of the scripted test OCR adapter (see test/fixtures/ocr/scripted-ocr.mjs). */
export function scriptedOcr(script = 'ok', counter?: string, delayMs = 0): string {
  const url = new URL(`file://${path.join(REPO, 'test', 'fixtures', 'ocr', 'scripted-ocr.mjs')}`);
  url.searchParams.set('script', script);
  if (counter) url.searchParams.set('counter', counter);
  if (delayMs) url.searchParams.set('delay', String(delayMs));
  return url.href;
}

/** A real, decodable PNG with unique content (random pixels), `side` pixels square. */
export function realPng(side = 48): Buffer {
  const canvas = createCanvas(side, side);
  const ctx = canvas.getContext('2d');
  const img = ctx.createImageData(side, side);
  const noise = randomBytes(side * side);
  for (let i = 0; i < side * side; i++) {
    const v = noise[i]! > 127 ? 255 : 0;
    img.data.set([v, v, v, 255], i * 4);
  }
  ctx.putImageData(img, 0, 0);
  return canvas.encodeSync('png');
}

/** RGBA pixels of a `side`-pixel square of random black-and-white noise. */
function noiseRgba(side: number): Uint8Array {
  const noise = randomBytes(side * side);
  const rgba = new Uint8Array(side * side * 4);
  for (let i = 0; i < side * side; i++) rgba.set(noise[i]! > 127 ? [255, 255, 255, 255] : [0, 0, 0, 255], i * 4);
  return rgba;
}

/**
 * A real multi-page TIFF (uncompressed RGBA strips), one `side`-pixel page of noise per page; the pages
 * numbered in `blank` are white (the backs of sheets), and `dpi` is the resolution it declares.
 */
export function multiPageTiff(pages: number, side = 64, options: { blank?: number[]; dpi?: number } = {}): Buffer {
  const dataStart = 4096;
  const pageBytes = side * side * 4;
  const ifds = Array.from({ length: pages }, (_, i) => ({
    t256: [side],
    t257: [side],
    t258: [8, 8, 8, 8],
    t259: [1],
    t262: [2],
    t273: [dataStart + i * pageBytes],
    t277: [4],
    t278: [side],
    t279: [pageBytes],
    t282: [[options.dpi ?? 300, 1]],
    t283: [[options.dpi ?? 300, 1]],
    t284: [1],
    t296: [2],
    t338: [1],
  }));
  // UTIF's types describe decoded IFDs; encode only needs the tags.
  const head = new Uint8Array(UTIF.encode(ifds as unknown as Parameters<typeof UTIF.encode>[0]));
  if (head.length > dataStart) throw new Error('TIFF header larger than expected');
  const out = Buffer.alloc(dataStart + pages * pageBytes);
  out.set(head, 0);
  for (let i = 0; i < pages; i++) out.set(options.blank?.includes(i + 1) ? new Uint8Array(pageBytes).fill(255) : noiseRgba(side), dataStart + i * pageBytes);
  return out;
}

/** A PDF whose pages carry a real text layer (standard font, no images), one Letter page per entry, lines split at `\n`. */
export async function textPdf(pages: string[], options: { size?: number } = {}): Promise<Buffer> {
  const size = options.size ?? 12;
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  for (const text of pages) {
    const page = pdf.addPage([612, 792]);
    text.split('\n').forEach((line, i) => page.drawText(line, { x: 72, y: 700 - i * size * (4 / 3), size, font }));
  }
  return Buffer.from(await pdf.save());
}

/**
 * A PDF like a scanner's output: each page a full-page image with an OCR text layer drawn over it. Custodian
 * must redo OCR on such pages and may use the layer only as a fallback.
 */
export async function scannedPdfWithLayer(pages: string[]): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  for (const text of pages) {
    const page = pdf.addPage([612, 792]);
    const image = await pdf.embedPng(realPng(96));
    page.drawImage(image, { x: 0, y: 0, width: 612, height: 792 });
    page.drawText(text, { x: 72, y: 700, size: 12, font, opacity: 0 });
  }
  return Buffer.from(await pdf.save());
}

/** A rendered, optionally degraded scan of text lines (see bench/scan-image.ts). */
export { scanImage } from '../../bench/scan-image.js';

/**
 * A page of text as a scanner would give it: `lines` in 12 pt Liberation Sans (from the pdf.js package) on a
 * white Letter-width strip at 300 DPI, PNG, drawn turned `degrees` clockwise as a page fed the wrong way.
 */
export function textScan(lines: string[], degrees: 0 | 90 | 180 | 270 = 0): Buffer {
  const fonts = path.join(path.dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json')), 'standard_fonts');
  GlobalFonts.registerFromPath(path.join(fonts, 'LiberationSans-Regular.ttf'), 'Liberation Sans Test');
  const [w, h] = [2550, 900];
  const quarter = degrees === 90 || degrees === 270;
  const canvas = createCanvas(quarter ? h : w, quarter ? w : h);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.translate(canvas.width / 2, canvas.height / 2);
  ctx.rotate((degrees * Math.PI) / 180);
  ctx.translate(-w / 2, -h / 2);
  ctx.fillStyle = '#000';
  ctx.font = '50px "Liberation Sans Test"';
  lines.forEach((line, i) => ctx.fillText(line, 150, 250 + i * 110));
  return canvas.toBuffer('image/png');
}

import path from 'node:path';
import { getDocument, OPS, type PDFDocumentLoadingTask, type PDFDocumentProxy, type PDFPageProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { Encodings, Font, FontNames } from '@pdf-lib/standard-fonts';
import { inkCoverage } from './ink.js';
import { ExtractError, type Word } from './extract-types.js';

export { defaultPdfAssetsDir } from './asset-paths.js';

/** Images larger than this many pixels are not decoded by pdf.js (a decompression bomb stays a blank). */
export const MAX_PDF_IMAGE_PIXELS = 100_000_000;

/** An open PDF and the task that owns it (pdf.js 6 destroys through the task). */
export type OpenPdf = { doc: PDFDocumentProxy; task: PDFDocumentLoadingTask };

/**
 * Opens a PDF fully offline. Errors are compared by name, as pdf.js asks.
 * @throws ExtractError `encrypted` or `invalid-pdf` (hard: no retry helps).
 */
export async function openPdf(bytes: Uint8Array, assetsDir: string): Promise<OpenPdf> {
  const dir = (name: string): string => path.join(assetsDir, name) + path.sep;
  // pdf.js may detach the buffer it is given: hand it a copy, the caller's bytes stay usable.
  const task = getDocument({
    data: new Uint8Array(bytes),
    cMapUrl: dir('cmaps'),
    cMapPacked: true,
    standardFontDataUrl: dir('standard_fonts'),
    wasmUrl: dir('wasm'),
    iccUrl: dir('iccs'),
    disableFontFace: true,
    useSystemFonts: false,
    maxImageSize: MAX_PDF_IMAGE_PIXELS,
    verbosity: 1, // warnings on: an image removed for size is reported only as a warning
  });
  try {
    return { doc: await task.promise, task };
  } catch (err) {
    await task.destroy().catch(() => undefined);
    const name = (err as Error)?.name;
    if (name === 'PasswordException') throw new ExtractError('encrypted', 'The PDF is password-protected.', true);
    throw new ExtractError('invalid-pdf', `The PDF cannot be parsed (${name ?? 'error'}: ${(err as Error)?.message ?? err}).`, true);
  }
}

type Matrix = [number, number, number, number, number, number];
const multiply = (m: Matrix, n: Matrix): Matrix => [
  m[0] * n[0] + m[2] * n[1],
  m[1] * n[0] + m[3] * n[1],
  m[0] * n[2] + m[2] * n[3],
  m[1] * n[2] + m[3] * n[3],
  m[0] * n[4] + m[2] * n[5] + m[4],
  m[1] * n[4] + m[3] * n[5] + m[5],
];

/** Images a page paints: their share of the page area, and each one's pixel size. */
export type PageImages = { coverage: number; images: { width: number; height: number }[] };

/** Reads a page's operator list for painted images: the share of the page they cover (by their transforms) and their sizes. */
export async function pageImages(page: PDFPageProxy): Promise<PageImages> {
  const ops = await page.getOperatorList();
  const view = page.getViewport({ scale: 1 });
  const pageArea = view.width * view.height;
  const stack: Matrix[] = [];
  let ctm: Matrix = [1, 0, 0, 1, 0, 0];
  let area = 0;
  const images: PageImages['images'] = [];
  for (let i = 0; i < ops.fnArray.length; i++) {
    const fn = ops.fnArray[i];
    const args = ops.argsArray[i] as unknown[];
    if (fn === OPS.save || fn === OPS.paintFormXObjectBegin) {
      stack.push(ctm);
      if (fn === OPS.paintFormXObjectBegin && Array.isArray(args?.[0])) ctm = multiply(ctm, args[0] as Matrix);
    } else if (fn === OPS.restore || fn === OPS.paintFormXObjectEnd) {
      ctm = stack.pop() ?? ctm;
    } else if (fn === OPS.transform) {
      ctm = multiply(ctm, args as Matrix);
    } else if (fn === OPS.paintImageXObject || fn === OPS.paintImageXObjectRepeat || fn === OPS.paintInlineImageXObject || fn === OPS.paintImageMaskXObject) {
      const img = args?.[0] as { width?: number; height?: number } | string | undefined;
      const width = typeof args?.[1] === 'number' ? (args[1] as number) : typeof img === 'object' ? (img.width ?? 0) : 0;
      const height = typeof args?.[2] === 'number' ? (args[2] as number) : typeof img === 'object' ? (img.height ?? 0) : 0;
      images.push({ width, height });
      area += Math.abs(ctm[0] * ctm[3] - ctm[1] * ctm[2]);
    }
  }
  return { coverage: pageArea > 0 ? Math.min(1, area / pageArea) : 0, images };
}

/** Helvetica's advance widths (1/1000 em), the stand-in for any font's: the share of an item's width each character takes. */
const HELVETICA = Font.load(FontNames.Helvetica);

/** A character's width in Helvetica, 1/1000 em (an average one for a character Helvetica does not have). */
function advance(ch: string): number {
  try {
    const glyph = Encodings.WinAnsi.encodeUnicodeCodePoint(ch.codePointAt(0)!);
    return HELVETICA.getWidthOfGlyph(glyph.name) || 556;
  } catch {
    return 556;
  }
}

/** Descent below the baseline, as a share of the font size: what a box must cover of g, p, y and brackets. */
const DESCENT = 0.24;

/**
 * A page's text layer as text (line breaks where pdf.js marks them) and word boxes in pixels at `dpi`. pdf.js
 * gives each text item's start and advance width, not each glyph's: a word's share of the item is measured
 * in Helvetica's widths (close for most fonts; a uniform share drifts by whole characters along a line), and
 * its box runs from the font's ascent to its descent, so a box drawn over it covers the whole word.
 */
export async function pageTextLayer(page: PDFPageProxy, dpi: number): Promise<{ text: string; words: Word[] }> {
  const content = await page.getTextContent();
  const viewport = page.getViewport({ scale: dpi / 72 });
  let text = '';
  const words: Word[] = [];
  for (const item of content.items) {
    if (!('str' in item)) continue;
    text += item.str + (item.hasEOL ? '\n' : '');
    const chars = [...item.str];
    const total = chars.reduce((n, c) => n + advance(c), 0) || 1;
    const [x, y] = [item.transform[4] as number, item.transform[5] as number];
    const fontHeight = Math.hypot(item.transform[2] as number, item.transform[3] as number) || item.height;
    let offset = 0;
    for (const token of item.str.split(/(\s+)/u)) {
      const width = [...token].reduce((n, c) => n + advance(c), 0);
      if (token.trim()) {
        const [ax, ay] = viewport.convertToViewportPoint(x + (item.width * offset) / total, y - fontHeight * DESCENT);
        const [bx, by] = viewport.convertToViewportPoint(x + (item.width * (offset + width)) / total, y + fontHeight);
        words.push({
          text: token,
          x0: Math.floor(Math.min(ax, bx)),
          y0: Math.floor(Math.min(ay, by)),
          x1: Math.ceil(Math.max(ax, bx)),
          y1: Math.ceil(Math.max(ay, by)),
          confidence: 100,
        });
      }
      offset += width;
    }
  }
  return { text, words };
}

/** A rendered page: PNG bytes, size, the DPI actually used (lower when the pixel cap applied) and ink coverage. */
export type RenderedPage = { image: Uint8Array; width: number; height: number; dpi: number; ink: number };

/**
 * Renders a page to PNG at `dpi` through @napi-rs/canvas, at a lower DPI when the page would exceed
 * `maxPixels` (a poster-size page is rendered smaller, never out of memory), and measures its ink.
 */
export async function renderPage(doc: PDFDocumentProxy, page: PDFPageProxy, dpi: number, maxPixels: number): Promise<RenderedPage> {
  const base = page.getViewport({ scale: 1 });
  let scale = dpi / 72;
  if (base.width * scale * base.height * scale > maxPixels) scale = Math.sqrt(maxPixels / (base.width * base.height));
  const viewport = page.getViewport({ scale });
  const width = Math.max(1, Math.floor(viewport.width));
  const height = Math.max(1, Math.floor(viewport.height));
  const factory = doc.canvasFactory as { create(w: number, h: number): { canvas: unknown; context: CanvasRenderingContext2DLike }; destroy(c: unknown): void };
  const target = factory.create(width, height);
  try {
    target.context.fillStyle = '#ffffff';
    target.context.fillRect(0, 0, width, height);
    await page.render({ canvas: target.canvas as never, viewport }).promise;
    const ink = inkCoverage(target.context.getImageData(0, 0, width, height).data);
    const image = await (target.canvas as { encode(format: 'png'): Promise<Uint8Array> }).encode('png');
    return { image, width, height, dpi: Math.round(scale * 72), ink };
  } finally {
    factory.destroy(target);
  }
}

type CanvasRenderingContext2DLike = {
  fillStyle: string;
  fillRect(x: number, y: number, w: number, h: number): void;
  getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray };
};

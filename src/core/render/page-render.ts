import { createCanvas, ImageData, loadImage } from '@napi-rs/canvas';
import UTIF from 'utif2';
import { ExtractError, MAX_PDF_IMAGE_PIXELS, openPdf, renderPage } from '../extract/index.js';

/** Longest side of a display render when the caller names no width, pixels: sharp on a laptop screen, small to cache. */
export const DISPLAY_LONG_SIDE = 1600;

/** How the page was extracted, which fixes the pixel space its word and finding boxes are in. */
export type BoxSpace = {
  /** DPI PDF pages were rendered at for OCR, and text-layer words converted at (the engine's `renderDpi`). */
  dpi: number;
  /** Largest page image handed to OCR, pixels (the engine's `maxPixels`): bigger pages were scaled down first. */
  maxPixels: number;
};

/** What to render. */
export type PageRenderRequest = {
  bytes: Uint8Array;
  mediaType: string;
  /** 1-based. */
  pageNo: number;
  /** Width of the image wanted, pixels; default: longest side {@link DISPLAY_LONG_SIDE}. */
  width?: number;
  pdfAssetsDir: string;
  boxSpace: BoxSpace;
};

/** A page image for display. `boxScale` multiplies a stored box (page-image pixels) into this image's pixels. */
export type PageRender = { mime: 'image/png'; image: Uint8Array; width: number; height: number; boxScale: number };

/** Scale that brings width x height within `maxPixels` (as extraction applies it). */
const capScale = (width: number, height: number, maxPixels: number): number => (width * height > maxPixels ? Math.sqrt(maxPixels / (width * height)) : 1);

/** Largest display width asked for, pixels: a zoomed page is scaled in the app, not rendered poster-size. */
export const MAX_DISPLAY_WIDTH = 4000;

/** Display scale for a page `w` x `h` (any unit): to `width` if given, else its longest side to DISPLAY_LONG_SIDE. */
function displayScale(w: number, h: number, width: number | undefined): number {
  return width ? Math.min(width, MAX_DISPLAY_WIDTH) / w : DISPLAY_LONG_SIDE / Math.max(w, h);
}

const asBuffer = (bytes: Uint8Array): Buffer => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

async function renderPdfPage(req: PageRenderRequest): Promise<PageRender> {
  const { doc, task } = await openPdf(req.bytes, req.pdfAssetsDir);
  try {
    if (req.pageNo < 1 || req.pageNo > doc.numPages) throw new ExtractError('invalid-pdf', `The PDF has no page ${req.pageNo}.`, true);
    const page = await doc.getPage(req.pageNo);
    const base = page.getViewport({ scale: 1 });
    // Boxes are in pixels at the extraction DPI, scaled down as extraction scaled a page over the pixel cap.
    const boxScalePt = (req.boxSpace.dpi / 72) * capScale((base.width * req.boxSpace.dpi) / 72, (base.height * req.boxSpace.dpi) / 72, req.boxSpace.maxPixels);
    const scale = displayScale(base.width, base.height, req.width);
    const rendered = await renderPage(doc, page, scale * 72, MAX_PDF_IMAGE_PIXELS);
    return { mime: 'image/png', image: rendered.image, width: rendered.width, height: rendered.height, boxScale: rendered.width / (base.width * boxScalePt) };
  } finally {
    await task.destroy().catch(() => undefined);
  }
}

/** Decodes one page of an image file into something a canvas can draw, with its pixel size. */
async function decodeImage(
  bytes: Uint8Array,
  mediaType: string,
  pageNo: number,
): Promise<{ source: Parameters<CanvasDraw>[0]; width: number; height: number }> {
  if (mediaType === 'image/tiff') {
    let ifds: UTIF.IFD[];
    try {
      ifds = UTIF.decode(asBuffer(bytes)).filter((ifd) => (((ifd.t254 as number[] | undefined)?.[0] ?? 0) & 1) === 0 && ifd.t256 && ifd.t257);
    } catch (err) {
      throw new ExtractError('undecodable-image', `TIFF structure cannot be read: ${(err as Error).message}`, true);
    }
    const ifd = ifds[pageNo - 1];
    if (!ifd) throw new ExtractError('undecodable-image', `TIFF has no page ${pageNo}`, true);
    UTIF.decodeImage(asBuffer(bytes), ifd);
    const rgba = UTIF.toRGBA8(ifd);
    const [width, height] = [ifd.width, ifd.height];
    const canvas = createCanvas(width, height);
    canvas.getContext('2d').putImageData(new ImageData(new Uint8ClampedArray(rgba.buffer, rgba.byteOffset, rgba.byteLength), width, height), 0, 0);
    return { source: canvas, width, height };
  }
  if (pageNo !== 1) throw new ExtractError('undecodable-image', `An image has no page ${pageNo}`, true);
  try {
    const img = await loadImage(asBuffer(bytes));
    return { source: img, width: img.width, height: img.height };
  } catch (err) {
    throw new ExtractError('undecodable-image', `image cannot be decoded: ${(err as Error).message}`, true);
  }
}

type CanvasDraw = ReturnType<ReturnType<typeof createCanvas>['getContext']>['drawImage'];

async function renderImagePage(req: PageRenderRequest): Promise<PageRender> {
  const { source, width, height } = await decodeImage(req.bytes, req.mediaType, req.pageNo);
  const scale = displayScale(width, height, req.width);
  const w = Math.max(1, Math.round(width * scale));
  const h = Math.max(1, Math.round(height * scale));
  const canvas = createCanvas(w, h);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, w, h);
  ctx.drawImage(source, 0, 0, w, h);
  // OCR saw the image scaled down to the pixel cap when it was larger; its boxes are in that space.
  const boxWidth = width * capScale(width, height, req.boxSpace.maxPixels);
  return { mime: 'image/png', image: await canvas.encode('png'), width: w, height: h, boxScale: w / boxWidth };
}

/**
 * Renders one page of a PDF or image for display, and says how stored boxes map onto it.
 * @throws ExtractError `invalid-pdf` / `encrypted` / `undecodable-image` for a page that cannot be drawn.
 */
export async function renderPageImage(req: PageRenderRequest): Promise<PageRender> {
  return req.mediaType === 'application/pdf' ? renderPdfPage(req) : renderImagePage(req);
}

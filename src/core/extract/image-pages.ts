import { createCanvas, ImageData, loadImage } from '@napi-rs/canvas';
import UTIF from 'utif2';
import { ExtractError } from './extract-types.js';
import { DEFAULT_DPI, jpegDpi, pngDpi, tiffDpi } from './image-resolution.js';
import { inkCoverage } from './ink.js';

/**
 * A page image for OCR: encoded bytes tesseract can read and the DPI to tell it. `passthrough`: the file's
 * own bytes, which the OCR engine decodes itself. `source`: the page as the file holds it, when the image
 * was read at a lower resolution than that (word boxes are mapped back to it).
 */
export type PageImage = {
  image: Uint8Array;
  width: number;
  height: number;
  dpi: number;
  passthrough?: boolean;
  source?: { width: number; height: number; dpi: number };
  /** Share of dark pixels of the page as scanned (`forOcr` only): below `BLANK_INK` it is blank. */
  ink?: number;
};

/** Scans above this resolution are read for OCR at {@link OCR_DPI}: finer scans cost time and memory and read no better. */
export const DOWNSAMPLE_ABOVE_DPI = 400;
/** The resolution tesseract's models read best at. */
export const OCR_DPI = 300;

/** Refuses sizes no real page has (0, negative, not a whole number) before any decoder sees them. */
function checkSize(width: number | undefined, height: number | undefined, what: string): void {
  if (!Number.isSafeInteger(width) || !Number.isSafeInteger(height) || width! < 1 || height! < 1)
    throw new ExtractError('undecodable-image', `${what} claims ${String(width)}x${String(height)} pixels`, true);
}

type Ifd = Record<string, unknown> & { width?: number; height?: number };

const asBuffer = (bytes: Uint8Array): Buffer => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/** TIFF directories that are pages (not reduced-resolution thumbnails, NewSubfileType bit 0). */
function tiffPages(bytes: Uint8Array): Ifd[] {
  let ifds: Ifd[];
  try {
    ifds = UTIF.decode(asBuffer(bytes)) as unknown as Ifd[];
  } catch (err) {
    throw new ExtractError('undecodable-image', `TIFF structure cannot be read: ${(err as Error).message}`, true);
  }
  const pages = ifds.filter((ifd) => (((ifd.t254 as number[] | undefined)?.[0] ?? 0) & 1) === 0 && ifd.t256 && ifd.t257);
  if (pages.length === 0) throw new ExtractError('undecodable-image', 'TIFF has no image directory', true);
  return pages;
}

/** How many pages an image file has: every page of a multi-page TIFF, else one. */
export function imagePageCount(bytes: Uint8Array, mediaType: string): number {
  return mediaType === 'image/tiff' ? tiffPages(bytes).length : 1;
}

/** Scale that brings width x height within `maxPixels` (1 when it already fits). */
function capScale(width: number, height: number, maxPixels: number): number {
  return width * height > maxPixels ? Math.sqrt(maxPixels / (width * height)) : 1;
}

type Drawable = Parameters<ReturnType<ReturnType<typeof createCanvas>['getContext']>['drawImage']>[0];

/** Draws `source` scaled by `scale` onto white (transparent parts are paper). */
function drawScaled(source: Drawable, width: number, height: number, scale: number) {
  const w = Math.max(1, Math.floor(width * scale));
  const h = Math.max(1, Math.floor(height * scale));
  const canvas = createCanvas(w, h);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, w, h);
  ctx.drawImage(source, 0, 0, w, h);
  return { canvas, width: w, height: h };
}

/** Draws `source` scaled by `scale` onto white and encodes it as PNG. */
async function encodeScaled(source: Drawable, width: number, height: number, scale: number): Promise<{ image: Uint8Array; width: number; height: number }> {
  const drawn = drawScaled(source, width, height, scale);
  return { image: await drawn.canvas.encode('png'), width: drawn.width, height: drawn.height };
}

/** A page's size and resolution as the file declares them, before any pixel is decoded. */
type PageHeader = { width: number; height: number; dpi: number; pages: number; decode: () => Promise<Drawable> };

/**
 * Reads one page of an image file far enough to know its size (refusing sizes no real page has, and pages over
 * 16 times `maxPixels`, before any decoder allocates them); `decode()` then decodes its pixels.
 */
async function pageHeader(bytes: Uint8Array, mediaType: string, pageNo: number, maxPixels: number): Promise<PageHeader> {
  if (mediaType === 'image/tiff') {
    const pages = tiffPages(bytes);
    const ifd = pages[pageNo - 1];
    if (!ifd) throw new ExtractError('undecodable-image', `TIFF has no page ${pageNo}`, true);
    const width = (ifd.t256 as number[])[0]!;
    const height = (ifd.t257 as number[])[0]!;
    checkSize(width, height, `TIFF page ${pageNo}`);
    if (width * height > maxPixels * 16) throw new ExtractError('too-large', `TIFF page ${pageNo} is ${width}x${height} pixels`, true);
    const decode = async (): Promise<Drawable> => {
      let rgba: Uint8Array;
      try {
        UTIF.decodeImage(asBuffer(bytes), ifd as unknown as UTIF.IFD);
        rgba = UTIF.toRGBA8(ifd as unknown as UTIF.IFD);
      } catch (err) {
        throw new ExtractError('undecodable-image', `TIFF page ${pageNo} cannot be decoded: ${(err as Error).message}`, true);
      }
      const canvas = createCanvas(width, height);
      canvas.getContext('2d').putImageData(new ImageData(new Uint8ClampedArray(rgba.buffer, rgba.byteOffset, rgba.byteLength), width, height), 0, 0);
      return canvas;
    };
    return { width, height, dpi: tiffDpi(ifd) ?? DEFAULT_DPI, pages: pages.length, decode };
  }
  if (pageNo !== 1) throw new ExtractError('undecodable-image', `An image file has no page ${pageNo}`, true);
  let img;
  try {
    img = await loadImage(asBuffer(bytes));
  } catch (err) {
    throw new ExtractError('undecodable-image', `image cannot be decoded: ${(err as Error).message}`, true);
  }
  checkSize(img.width, img.height, 'The image');
  const dpi = (mediaType === 'image/png' ? pngDpi(bytes) : jpegDpi(bytes)) ?? DEFAULT_DPI;
  return { width: img.width, height: img.height, dpi, pages: 1, decode: async () => img };
}

/**
 * One page of an image file, decoded (so a corrupt image fails here as `undecodable-image`, not later as an
 * OCR error) and scaled down if it exceeds `maxPixels`; `forOcr`, also brought down to {@link OCR_DPI} when
 * scanned above `downsampleAboveDpi` ({@link DOWNSAMPLE_ABOVE_DPI} by default; `source` says what it was),
 * with its `ink` measured. The original bytes go to OCR when no change is needed (`passthrough`), unless
 * `reencode` asks for what this decoder makes of them.
 */
export async function loadImagePage(
  bytes: Uint8Array,
  mediaType: string,
  pageNo: number,
  maxPixels: number,
  options: { reencode?: boolean; forOcr?: { downsampleAboveDpi: number } } = {},
): Promise<PageImage> {
  const page = await pageHeader(bytes, mediaType, pageNo, maxPixels);
  const byDpi = options.forOcr && page.dpi > options.forOcr.downsampleAboveDpi ? OCR_DPI / page.dpi : 1;
  const scale = Math.min(capScale(page.width, page.height, maxPixels), byDpi);
  const passthrough = page.pages === 1 && scale === 1 && !options.reencode;
  if (passthrough && !options.forOcr) return { image: bytes, width: page.width, height: page.height, dpi: page.dpi, passthrough: true };
  // Drawn once at the size OCR reads (never above maxPixels): its ink says whether the page is blank at all.
  const drawn = drawScaled(await page.decode(), page.width, page.height, scale);
  const ink = options.forOcr ? inkCoverage(drawn.canvas.getContext('2d').getImageData(0, 0, drawn.width, drawn.height).data, drawn.width) : undefined;
  if (passthrough) return { image: bytes, width: page.width, height: page.height, dpi: page.dpi, passthrough: true, ink };
  const out = { image: await drawn.canvas.encode('png'), width: drawn.width, height: drawn.height };
  const source = byDpi < 1 ? { width: page.width, height: page.height, dpi: page.dpi } : undefined;
  return { ...out, dpi: Math.round(page.dpi * scale), ...(source && { source }), ...(ink !== undefined && { ink }) };
}

/** One page of an image file drawn for display, `displayScale(width, height)` times its pixel size. */
export async function renderImagePage(
  bytes: Uint8Array,
  mediaType: string,
  pageNo: number,
  maxPixels: number,
  displayScale: (width: number, height: number) => number,
): Promise<{ image: Uint8Array; width: number; height: number }> {
  const page = await pageHeader(bytes, mediaType, pageNo, maxPixels);
  return encodeScaled(await page.decode(), page.width, page.height, displayScale(page.width, page.height));
}

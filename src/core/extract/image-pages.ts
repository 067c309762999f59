import { createCanvas, ImageData, loadImage } from '@napi-rs/canvas';
import UTIF from 'utif2';
import { ExtractError } from './extract-types.js';
import { DEFAULT_DPI, jpegDpi, pngDpi, tiffDpi } from './image-resolution.js';

/** A page image ready for OCR: encoded bytes tesseract can read, and the DPI to tell it. */
/** A page image for OCR. `passthrough`: the file's own bytes, which the OCR engine decodes itself. */
export type PageImage = { image: Uint8Array; width: number; height: number; dpi: number; passthrough?: boolean };

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

/** Draws `source` scaled by `scale` onto white and encodes it as PNG. */
async function encodeScaled(source: Drawable, width: number, height: number, scale: number): Promise<{ image: Uint8Array; width: number; height: number }> {
  const w = Math.max(1, Math.floor(width * scale));
  const h = Math.max(1, Math.floor(height * scale));
  const canvas = createCanvas(w, h);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, w, h);
  ctx.drawImage(source, 0, 0, w, h);
  return { image: await canvas.encode('png'), width: w, height: h };
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
 * OCR error) and scaled down if it exceeds `maxPixels`. The original bytes go to OCR when no change is needed
 * (`passthrough`), unless `reencode` asks for what this decoder makes of them instead.
 */
export async function loadImagePage(
  bytes: Uint8Array,
  mediaType: string,
  pageNo: number,
  maxPixels: number,
  options: { reencode?: boolean } = {},
): Promise<PageImage> {
  const page = await pageHeader(bytes, mediaType, pageNo, maxPixels);
  const scale = capScale(page.width, page.height, maxPixels);
  if (page.pages === 1 && scale === 1 && !options.reencode) return { image: bytes, width: page.width, height: page.height, dpi: page.dpi, passthrough: true };
  const out = await encodeScaled(await page.decode(), page.width, page.height, scale);
  return { ...out, dpi: Math.round(page.dpi * scale) };
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

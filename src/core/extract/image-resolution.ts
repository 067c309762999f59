/** DPI assumed for an image that does not state one: what records scanners produce. */
export const DEFAULT_DPI = 300;

function sane(dpi: number): number | null {
  return Number.isFinite(dpi) && dpi >= 50 && dpi <= 2400 ? Math.round(dpi) : null;
}

/** A PNG's chunks before its image data (IDAT or IEND ends the walk): where pHYs and tRNS live. */
function* pngHeaderChunks(bytes: Uint8Array): Generator<{ type: string; offset: number; length: number }> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let offset = 8; offset + 12 <= bytes.length;) {
    const length = view.getUint32(offset);
    const type = String.fromCharCode(...bytes.subarray(offset + 4, offset + 8));
    if (type === 'IDAT' || type === 'IEND') return;
    yield { type, offset, length };
    offset += 12 + length;
  }
}

/** DPI from a PNG's pHYs chunk (pixels per metre), or null. */
export function pngDpi(bytes: Uint8Array): number | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (const { type, offset, length } of pngHeaderChunks(bytes))
    if (type === 'pHYs' && length >= 9 && bytes[offset + 16] === 1) return sane(view.getUint32(offset + 8) * 0.0254);
  return null;
}

/**
 * Whether an image file can go into a PDF/A page as it is: a PNG without an alpha channel or transparency
 * chunk (pdf-lib would add a soft mask), a JPEG with one or three components (not CMYK, which an sRGB output
 * intent does not cover). Anything else (a TIFF) is not.
 */
export function opaqueRgbOrGray(bytes: Uint8Array, mediaType: string): boolean {
  if (mediaType === 'image/png') {
    const colorType = bytes[25];
    if (colorType === 4 || colorType === 6) return false;
    for (const { type } of pngHeaderChunks(bytes)) if (type === 'tRNS') return false;
    return true;
  }
  if (mediaType === 'image/jpeg') {
    // The frame header (SOF0–SOF15 but DHT, JPG and DAC) gives the number of components.
    for (let at = 2; at + 9 < bytes.length;) {
      if (bytes[at] !== 0xff) return false;
      const marker = bytes[at + 1]!;
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) return bytes[at + 9] === 1 || bytes[at + 9] === 3;
      at += 2 + ((bytes[at + 2]! << 8) | bytes[at + 3]!);
    }
  }
  return false;
}

/** DPI from a JPEG's JFIF header, or null. */
export function jpegDpi(bytes: Uint8Array): number | null {
  // SOI, then APP0 "JFIF\0": units at 13, X density at 14 (big-endian).
  if (bytes.length < 18 || bytes[2] !== 0xff || bytes[3] !== 0xe0 || String.fromCharCode(...bytes.subarray(6, 11)) !== 'JFIF\0') return null;
  const units = bytes[13];
  const x = (bytes[14]! << 8) | bytes[15]!;
  if (units === 1) return sane(x);
  if (units === 2) return sane(x * 2.54);
  return null;
}

/** DPI from TIFF XResolution (tag 282) and ResolutionUnit (296) as decoded by UTIF, or null. */
export function tiffDpi(ifd: Record<string, unknown>): number | null {
  // UTIF gives rationals as [numerator, denominator] pairs.
  const raw = (ifd.t282 as (number | [number, number])[] | undefined)?.[0];
  const unit = (ifd.t296 as number[] | undefined)?.[0] ?? 2;
  const x = Array.isArray(raw) ? (raw[1] ? raw[0] / raw[1] : 0) : raw;
  if (!x) return null;
  if (unit === 2) return sane(x);
  if (unit === 3) return sane(x * 2.54);
  return null;
}

/** Below this share of dark pixels a page is blank (the back of a sheet, an empty form side): OCR is not run on it. */
export const BLANK_INK = 0.0005;

/** Share of sampled pixels darker than mid-grey (every 4th pixel of every 4th row). */
export function inkCoverage(rgba: Uint8ClampedArray, width = 0): number {
  let dark = 0;
  let sampled = 0;
  const stride = 4 * 4;
  for (let i = 0; i < rgba.length; i += stride) {
    if (width && Math.floor(i / 4 / width) % 4 !== 0) continue;
    sampled++;
    if (0.299 * rgba[i]! + 0.587 * rgba[i + 1]! + 0.114 * rgba[i + 2]! < 160) dark++;
  }
  return sampled ? dark / sampled : 0;
}

/** What a PDF page's text layer is worth. */
export type TextLayerVerdict = {
  /** `real`: use it. `junk`: text exists but OCR must redo the page. `none`: no text at all. */
  verdict: 'real' | 'junk' | 'none';
  glyphs: number;
  garbageShare: number;
};

/** Share of replacement, private-use and control characters above which a layer is garbage (fonts without ToUnicode). */
export const MAX_GARBAGE_SHARE = 0.1;
/** Image coverage of the page above which a text layer is taken for a scanner's OCR layer over a scan. */
export const SCAN_IMAGE_COVERAGE = 0.5;
/** Fewer glyphs than this over a noticeable image do not describe the page. */
export const MIN_GLYPHS_OVER_IMAGE = 10;

// U+FFFD replacement, U+E000–U+F8FF private use, C0 controls other than tab and line breaks.
const GARBAGE = /[\uFFFD\uE000-\uF8FF\u0000-\u0008\u000B\u000C\u000E-\u001F]/gu;

/**
 * Judges a text layer by glyph count, garbage share and how much of the page images cover. A layer over
 * a full-page image is a scanner's OCR layer: Custodian redoes OCR to get its own boxes and confidences,
 * and keeps the layer as the fallback.
 */
export function judgeTextLayer(text: string, imageCoverage: number): TextLayerVerdict {
  const glyphs = text.replace(/\s/gu, '').length;
  if (glyphs === 0) return { verdict: 'none', glyphs, garbageShare: 0 };
  const garbageShare = (text.match(GARBAGE)?.length ?? 0) / glyphs;
  if (garbageShare > MAX_GARBAGE_SHARE) return { verdict: 'junk', glyphs, garbageShare };
  if (imageCoverage >= SCAN_IMAGE_COVERAGE) return { verdict: 'junk', glyphs, garbageShare };
  if (imageCoverage > 0.1 && glyphs < MIN_GLYPHS_OVER_IMAGE) return { verdict: 'junk', glyphs, garbageShare };
  return { verdict: 'real', glyphs, garbageShare };
}

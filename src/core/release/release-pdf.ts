import {
  PDFDocument,
  PDFName,
  StandardFonts,
  TextRenderingMode,
  beginText,
  endText,
  popGraphicsState,
  rgb,
  pushGraphicsState,
  setCharacterSqueeze,
  setFontAndSize,
  setTextMatrix,
  setTextRenderingMode,
  showText,
  type PDFFont,
  type PDFPage,
} from 'pdf-lib';
import type { PageText } from '../../shared/types.js';

/** A released page ready to be placed: its burned image, its size in stored pixels, the words kept, its Bates number. */
export type BuiltPage = { jpeg: Uint8Array; width: number; height: number; dpi: number; words: PageText['words']; bates: string };

/** Height of the strip under each page image that holds its Bates number, points. */
const STRIP = 24;

// The code points each font can show (WinAnsi for the standard Helvetica), computed once per font.
const charsets = new WeakMap<PDFFont, Set<number>>();

/** Whether `font` has every character of `text`; a word with anything else is left out of the text layer. */
function encodable(font: PDFFont, text: string): boolean {
  let set = charsets.get(font);
  if (!set) charsets.set(font, (set = new Set(font.getCharacterSet())));
  return text.length > 0 && [...text].every((ch) => set.has(ch.codePointAt(0)!));
}

/**
 * Words as invisible text (rendering mode 3, as OCR tools write it), each stretched over its box so a search
 * or a selection lands where the word is on the image.
 */
export function drawTextLayer(page: PDFPage, font: PDFFont, words: PageText['words'], k: number, heightPt: number): void {
  const key = page.node.newFontDictionary(font.name, font.ref);
  const ops = [pushGraphicsState(), beginText(), setTextRenderingMode(TextRenderingMode.Invisible)];
  for (const [text, x0, y0, x1, y1] of words) {
    if (!encodable(font, text) || x1 <= x0 || y1 <= y0) continue;
    const size = Math.max(1, (y1 - y0) * k);
    const natural = font.widthOfTextAtSize(text, size);
    if (natural <= 0) continue;
    ops.push(
      setFontAndSize(key, size),
      setCharacterSqueeze(Math.max(1, Math.min(1000, (100 * (x1 - x0) * k) / natural))),
      // Baseline a fifth of the box above its bottom: about where descenders end.
      setTextMatrix(1, 0, 0, 1, x0 * k, heightPt - y1 * k + size * 0.2),
      showText(font.encodeText(text)),
    );
  }
  ops.push(endText(), popGraphicsState());
  page.pushOperators(...ops);
}

/**
 * One release PDF: each page its burned image (JPEG) at its own resolution, the kept words as invisible text,
 * and its Bates number drawn (visible and in the text) at the bottom right. The file carries only the title
 * and dates given: no producer of a source, no source path, no XMP, no annotations, forms or attachments,
 * written in one pass (no incremental update).
 */
export async function buildReleasePdf(pages: BuiltPage[], meta: { title: string; at: Date }): Promise<Uint8Array> {
  const pdf = await releaseDocument(meta);
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  for (const p of pages) {
    const k = 72 / p.dpi;
    const [w, h] = [p.width * k, p.height * k];
    // The Bates number goes in a strip below the page image, so it never covers what the page shows.
    const page = pdf.addPage([w, h + STRIP]);
    const image = await pdf.embedJpg(p.jpeg);
    page.drawImage(image, { x: 0, y: STRIP, width: w, height: h });
    drawTextLayer(page, font, p.words, k, h + STRIP);
    const tw = bold.widthOfTextAtSize(p.bates, 10);
    page.drawLine({ start: { x: 0, y: STRIP }, end: { x: w, y: STRIP }, thickness: 0.5, color: rgb(0.6, 0.6, 0.6) });
    page.drawText(p.bates, { x: w - tw - 18, y: 7, size: 10, font: bold });
  }
  return saveBare(pdf);
}

/**
 * A new PDF of the release: its /Info only the title, Custodian and the dates (no producer of a source, no
 * author), no XMP.
 */
export async function releaseDocument(meta: { title: string; at: Date }): Promise<PDFDocument> {
  const pdf = await PDFDocument.create({ updateMetadata: false });
  pdf.setTitle(meta.title);
  pdf.setCreator('Custodian');
  pdf.setProducer('Custodian');
  pdf.setCreationDate(meta.at);
  pdf.setModificationDate(meta.at);
  return pdf;
}

/**
 * Saves a PDF Custodian made in one pass (no object streams: PDF 1.4 syntax), without the empty /Annots
 * pdf-lib gives each page, and without /Metadata unless `keepMetadata` (the XMP `declarePdfA` wrote).
 */
export async function saveBare(pdf: PDFDocument, options: { keepMetadata?: boolean } = {}): Promise<Uint8Array> {
  for (const page of pdf.getPages()) page.node.delete(PDFName.of('Annots'));
  if (!options.keepMetadata) pdf.catalog.delete(PDFName.of('Metadata'));
  return pdf.save({ useObjectStreams: false });
}

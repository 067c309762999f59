import { PDFDocument, StandardFonts } from 'pdf-lib';
import type { Clock } from '../clock.js';
import { authorizeView, documentText } from '../dispatch/index.js';
import { EngineError } from '../errors.js';
import { ExtractError, imagePageCount, loadImagePage, readRegisteredFile } from '../extract/index.js';
import { documentRef, type Db } from '../store/index.js';
import { drawTextLayer } from './release-pdf.js';

/** What `export pdf` wrote. */
export type SearchablePdfResult = { documentId: number; pages: number; ocrPagesLayered: number; textLayerPagesKept: number; bytes: Uint8Array };

/**
 * The original document with Custodian's OCR text added as invisible text on the words (the kind of file
 * OCRmyPDF makes): a PDF keeps every page as it is, its own text layer included, and gains the OCR words of
 * the pages Custodian read by OCR; an image file (every page of a TIFF) becomes a PDF of its pages at their
 * resolution with their words. Restricted documents only with a reason, recorded as for their text. Not
 * PDF/A: the text font is the standard Helvetica, not embedded (see the README).
 * @throws EngineError `not-found`, `refused`, `invalid-state` (not extracted yet), `file-unavailable`.
 */
export async function searchablePdf(db: Db, clock: Clock, ref: string, reason?: string): Promise<SearchablePdfResult> {
  const doc = documentRef(db, ref);
  authorizeView(db, clock, doc, reason, 'it');
  const pages = documentText(db, String(doc.id));
  const sizes = db.prepare('SELECT page_no AS pageNo, width, height FROM pages WHERE document_id = ? ORDER BY page_no').all(doc.id) as {
    pageNo: number;
    width: number | null;
    height: number | null;
  }[];
  if (doc.pages === null || pages.length !== doc.pages || pages.some((p) => p.state === 'pending'))
    throw new EngineError('invalid-state', `Document ${doc.id} is not fully processed yet: run \`custodian resume\` first.`);
  const path = (db.prepare('SELECT first_path FROM documents WHERE id = ?').pluck().get(doc.id) as string) ?? '';
  let bytes: Uint8Array;
  try {
    bytes = await readRegisteredFile(path, doc.sha256);
  } catch (err) {
    if (err instanceof ExtractError) throw new EngineError('file-unavailable', `Document ${doc.id} cannot be read: ${err.message} (${err.code}).`);
    throw err;
  }
  let ocrPagesLayered = 0;
  let textLayerPagesKept = 0;
  let pdf: PDFDocument;
  if (doc.mediaType === 'application/pdf') {
    try {
      pdf = await PDFDocument.load(bytes, { updateMetadata: false });
    } catch (err) {
      throw new EngineError('invalid-state', `Document ${doc.id} cannot be rewritten as a PDF: ${(err as Error).message}.`);
    }
    const font = await pdf.embedFont(StandardFonts.Helvetica);
    pdf.getPages().forEach((page, i) => {
      const p = pages[i];
      const size = sizes[i];
      if (!p || p.method !== 'ocr' || !size?.width) {
        if (p?.method === 'text-layer') textLayerPagesKept++;
        return;
      }
      const { width, height } = page.getSize();
      drawTextLayer(page, font, p.words, width / size.width, height);
      ocrPagesLayered++;
    });
  } else {
    pdf = await PDFDocument.create();
    const font = await pdf.embedFont(StandardFonts.Helvetica);
    for (let n = 1; n <= imagePageCount(bytes, doc.mediaType); n++) {
      // The image OCR read (scaled to the same pixel cap), so the words sit where they were found.
      const img = await loadImagePage(bytes, doc.mediaType, n, 12_000_000, { reencode: doc.mediaType === 'image/tiff' });
      const embedded = img.passthrough && doc.mediaType === 'image/jpeg' ? await pdf.embedJpg(img.image) : await pdf.embedPng(img.image);
      const k = 72 / img.dpi;
      const page = pdf.addPage([img.width * k, img.height * k]);
      page.drawImage(embedded, { x: 0, y: 0, width: img.width * k, height: img.height * k });
      const words = pages[n - 1]?.words ?? [];
      drawTextLayer(page, font, words, k, img.height * k);
      if (words.length) ocrPagesLayered++;
    }
  }
  pdf.setProducer('Custodian');
  pdf.setModificationDate(clock.now());
  return { documentId: doc.id, pages: pages.length, ocrPagesLayered, textLayerPagesKept, bytes: await pdf.save({ useObjectStreams: false }) };
}

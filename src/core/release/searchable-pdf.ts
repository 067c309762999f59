import path from 'node:path';
import { PDFDocument } from 'pdf-lib';
import type { Clock } from '../clock.js';
import { authorizeView, documentText } from '../dispatch/index.js';
import { EngineError } from '../errors.js';
import { ExtractError, opaqueRgbOrGray, readRegisteredFile } from '../extract/index.js';
import { documentRef, type Db } from '../store/index.js';
import { PDFA_LEVEL, declarePdfA, embedTextFont } from './pdfa.js';
import { drawTextLayer, releaseDocument, saveBare } from './release-pdf.js';

/** What `export pdf` wrote. */
export type SearchablePdfResult = {
  documentId: number;
  pages: number;
  ocrPagesLayered: number;
  textLayerPagesKept: number;
  /** The PDF/A level the file declares (an image document's), or null: a PDF keeps its own content as it is. */
  pdfa: typeof PDFA_LEVEL | null;
  bytes: Uint8Array;
};

/**
 * The original document with Custodian's OCR text added as invisible text on the words (the kind of file
 * OCRmyPDF makes): a PDF keeps every page as it is, its own text layer included, and gains the OCR words of
 * the pages Custodian read by OCR; an image file (every page of a TIFF) becomes a PDF of its pages at their
 * resolution with their words, declared PDF/A-2b (see `declarePdfA`). The text is in an embedded subset of
 * Liberation Sans. A PDF is not declared PDF/A: its own pages, fonts and colours are kept as they are, and
 * nothing here proves them conforming. Restricted documents only with a reason, recorded as for their text.
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
  let bytes: Uint8Array;
  try {
    bytes = await readRegisteredFile(doc.path, doc.sha256);
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
    const font = await embedTextFont(pdf);
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
    pdf.setProducer('Custodian');
    pdf.setModificationDate(clock.now());
    const out = await pdf.save({ useObjectStreams: false });
    return { documentId: doc.id, pages: pages.length, ocrPagesLayered, textLayerPagesKept, pdfa: null, bytes: out };
  }
  // The image decoders (native canvas, utif2) load only here, never with the engine or the Electron main bundle.
  const { imagePageCount, loadImagePage } = await import('../extract/thread.js');
  const meta = { title: path.basename(doc.path), at: clock.now() };
  pdf = await releaseDocument(meta);
  const font = await embedTextFont(pdf);
  // A TIFF, and an image PDF/A may not hold as it is (transparent, CMYK), is drawn again by our decoder: opaque RGB.
  const reencode = !opaqueRgbOrGray(bytes, doc.mediaType);
  for (let n = 1; n <= imagePageCount(bytes, doc.mediaType); n++) {
    // The image OCR read (scaled to the same pixel cap), so the words sit where they were found.
    const img = await loadImagePage(bytes, doc.mediaType, n, 12_000_000, { reencode });
    const embedded = img.passthrough && doc.mediaType === 'image/jpeg' ? await pdf.embedJpg(img.image) : await pdf.embedPng(img.image);
    const k = 72 / img.dpi;
    const page = pdf.addPage([img.width * k, img.height * k]);
    page.drawImage(embedded, { x: 0, y: 0, width: img.width * k, height: img.height * k });
    const words = pages[n - 1]?.words ?? [];
    drawTextLayer(page, font, words, k, img.height * k);
    if (words.length) ocrPagesLayered++;
  }
  declarePdfA(pdf, meta);
  return { documentId: doc.id, pages: pages.length, ocrPagesLayered, textLayerPagesKept, pdfa: PDFA_LEVEL, bytes: await saveBare(pdf, { keepMetadata: true }) };
}

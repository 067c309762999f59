import { ExtractError } from '../extract/index.js';
import { openPdf, renderImagePage, renderPage } from '../extract/thread.js';
import { DISPLAY_LONG_SIDE, MAX_DISPLAY_WIDTH } from './display-size.js';

/** Largest display image, pixels (a very long page asked for at the widest is drawn narrower). */
const MAX_DISPLAY_PIXELS = MAX_DISPLAY_WIDTH * MAX_DISPLAY_WIDTH * 2;

/** What to render. */
export type PageRenderRequest = {
  bytes: Uint8Array;
  mediaType: string;
  /** 1-based. */
  pageNo: number;
  /** Width of the image wanted, pixels; default: longest side {@link DISPLAY_LONG_SIDE}. */
  width?: number;
  pdfAssetsDir: string;
  /** Largest image extraction decodes, pixels: an image file far over it is refused here too (`too-large`). */
  maxPixels: number;
};

/** A page image for display, PNG. */
export type PageImageRender = { mime: 'image/png'; image: Uint8Array; width: number; height: number };

/** Display scale for a page `w` x `h` (any unit): to `width` if given, else its longest side to DISPLAY_LONG_SIDE. */
function displayScale(w: number, h: number, width: number | undefined): number {
  return width ? Math.min(width, MAX_DISPLAY_WIDTH) / w : DISPLAY_LONG_SIDE / Math.max(w, h);
}

async function renderPdfPage(req: PageRenderRequest): Promise<PageImageRender> {
  const { doc, task } = await openPdf(req.bytes, req.pdfAssetsDir);
  try {
    if (req.pageNo < 1 || req.pageNo > doc.numPages) throw new ExtractError('invalid-pdf', `The PDF has no page ${req.pageNo}.`, true);
    const page = await doc.getPage(req.pageNo);
    try {
      const base = page.getViewport({ scale: 1 });
      const rendered = await renderPage(doc, page, displayScale(base.width, base.height, req.width) * 72, MAX_DISPLAY_PIXELS);
      return { mime: 'image/png', image: rendered.image, width: rendered.width, height: rendered.height };
    } finally {
      page.cleanup();
    }
  } finally {
    await task.destroy().catch(() => undefined);
  }
}

/**
 * Renders one page of a PDF (through pdf.js) or an image file (decoded and scaled) for display.
 * @throws ExtractError `invalid-pdf` / `encrypted` / `undecodable-image` / `too-large` for a page that cannot be drawn.
 */
export async function renderPageImage(req: PageRenderRequest): Promise<PageImageRender> {
  if (req.mediaType === 'application/pdf') return renderPdfPage(req);
  // A scan smaller than the display size is not enlarged unless asked: the app scales it, at no cost to cache.
  const scale = (w: number, h: number): number => (req.width ? displayScale(w, h, req.width) : Math.min(1, displayScale(w, h, undefined)));
  const out = await renderImagePage(req.bytes, req.mediaType, req.pageNo, req.maxPixels, scale);
  return { mime: 'image/png', image: out.image, width: out.width, height: out.height };
}

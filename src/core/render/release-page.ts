import { createCanvas, loadImage } from '@napi-rs/canvas';
import { ExtractError, readRegisteredFile } from '../extract/index.js';
import type { PageBox } from '../../shared/types.js';
import { renderPageImage } from './page-render.js';
import type { RenderWorkerConfig } from './render-contract.js';

/** Quality of the JPEG a released page is stored as: a scan's text stays sharp, the file small. */
const JPEG_QUALITY = 85;

/** One page of a release, drawn in a pool thread: the page image at the size its boxes are in, redactions burned in. */
export type ReleasePageTask = {
  kind: 'release-page';
  path: string;
  sha256: string;
  mediaType: string;
  pageNo: number;
  /** The page image's size as extraction stored it (the space of every box), pixels. */
  width: number;
  height: number;
  /** Areas to destroy, each with the code printed on it. */
  redactions: { box: PageBox; code: string }[];
  /** Set for a page withheld in full: nothing of the source is drawn, the file is not read. */
  withheld: { code: string } | null;
};

/** A release page: JPEG bytes of the image (its size may be smaller than asked for a poster-size page). */
export type ReleasePageResult = { ok: true; jpeg: Uint8Array; width: number; height: number } | { ok: false; code: string; message: string };

/** Letters the redaction label uses, sized to fit its box. */
function label(ctx: ReturnType<ReturnType<typeof createCanvas>['getContext']>, text: string, x: number, y: number, w: number, h: number): void {
  const size = Math.floor(Math.min(h * 0.7, 36, (w / Math.max(1, text.length)) * 1.7));
  if (size < 7) return;
  ctx.font = `bold ${size}px sans-serif`;
  ctx.fillStyle = '#ffffff';
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.fillText(text, x + w / 2, y + h / 2, w - 2);
}

/**
 * Draws a page for a release: the source page at its stored size (PDF pages through pdf.js at the resolution
 * extraction used, images decoded at their OCR size), then every redaction box filled solid black over the
 * pixels, with its exemption code on it, and encodes the result as JPEG: the pixels under a box are gone
 * from the output. A page withheld in full is a blank page saying so, drawn without reading the file.
 */
export async function runReleasePageTask(task: ReleasePageTask, config: RenderWorkerConfig): Promise<ReleasePageResult> {
  try {
    if (task.withheld) {
      const canvas = createCanvas(task.width, task.height);
      const ctx = canvas.getContext('2d');
      ctx.fillStyle = '#ffffff';
      ctx.fillRect(0, 0, task.width, task.height);
      ctx.fillStyle = '#000000';
      const size = Math.max(12, Math.round(task.width / 28));
      ctx.font = `bold ${size}px sans-serif`;
      ctx.textAlign = 'center';
      ctx.fillText('PAGE WITHHELD IN FULL', task.width / 2, task.height / 2 - size);
      ctx.font = `${size}px sans-serif`;
      ctx.fillText(`Exemption ${task.withheld.code}`, task.width / 2, task.height / 2 + size * 0.6);
      return { ok: true, jpeg: await canvas.encode('jpeg', JPEG_QUALITY), width: task.width, height: task.height };
    }
    const bytes = await readRegisteredFile(task.path, task.sha256);
    const page = await renderPageImage({ bytes, mediaType: task.mediaType, pageNo: task.pageNo, width: task.width, ...config });
    const img = await loadImage(Buffer.from(page.image.buffer, page.image.byteOffset, page.image.byteLength));
    const canvas = createCanvas(img.width, img.height);
    const ctx = canvas.getContext('2d');
    ctx.drawImage(img, 0, 0);
    const s = img.width / task.width;
    for (const r of task.redactions) {
      // Whole pixels outward, so anti-aliased edges of the glyphs under the box go too.
      const x0 = Math.max(0, Math.floor(r.box[0] * s) - 2);
      const y0 = Math.max(0, Math.floor(r.box[1] * s) - 2);
      const x1 = Math.min(img.width, Math.ceil(r.box[2] * s) + 2);
      const y1 = Math.min(img.height, Math.ceil(r.box[3] * s) + 2);
      ctx.fillStyle = '#000000';
      ctx.fillRect(x0, y0, x1 - x0, y1 - y0);
      label(ctx, r.code, x0, y0, x1 - x0, y1 - y0);
    }
    return { ok: true, jpeg: await canvas.encode('jpeg', JPEG_QUALITY), width: img.width, height: img.height };
  } catch (err) {
    if (err instanceof ExtractError) return { ok: false, code: err.code, message: err.message };
    return { ok: false, code: 'render-failed', message: (err as Error)?.message ?? String(err) };
  }
}

import type { PageImageRender } from './page-render.js';

/** Work sent to a render thread: a path, not bytes (the thread reads and verifies the file itself). */
export type RenderTask = { path: string; sha256: string; mediaType: string; pageNo: number; width?: number };

/** What a render thread is configured with (piscina `workerData`). */
export type RenderWorkerConfig = { pdfAssetsDir: string; maxPixels: number };

/** A render's outcome. Expected failures are values, so they cross the thread boundary intact. */
export type RenderResult = ({ ok: true } & PageImageRender) | { ok: false; code: string; message: string };

/** Reason codes of a file that is no longer the one taken in: no page can be drawn from it. */
const FILE_GONE = new Set(['vanished', 'unreadable', 'changed-since-intake']);

/** The engine error a failed page draw (viewer or release) is: the file gone or changed, or a page that cannot be drawn. */
export function drawFailureCode(reasonCode: string): 'file-unavailable' | 'render-failed' {
  return FILE_GONE.has(reasonCode) ? 'file-unavailable' : 'render-failed';
}

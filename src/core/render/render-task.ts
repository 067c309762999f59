import { ExtractError, readRegisteredFile } from '../extract/index.js';
import { renderPageImage, type PageImageRender } from './page-render.js';

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

/** Reads the file, proves it is the registered content, and renders the page. */
export async function runRenderTask(task: RenderTask, config: RenderWorkerConfig): Promise<RenderResult> {
  try {
    const bytes = await readRegisteredFile(task.path, task.sha256);
    const render = await renderPageImage({ bytes, mediaType: task.mediaType, pageNo: task.pageNo, width: task.width, ...config });
    return { ok: true, ...render };
  } catch (err) {
    if (err instanceof ExtractError) return { ok: false, code: err.code, message: err.message };
    return { ok: false, code: 'render-failed', message: (err as Error)?.message ?? String(err) };
  }
}

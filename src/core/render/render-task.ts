import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { errnoCode } from '../errors.js';
import { ExtractError } from '../extract/index.js';
import { renderPageImage, type BoxSpace, type PageRender } from './page-render.js';

/** Work sent to a render thread: a path, not bytes (the thread reads and verifies the file itself). */
export type RenderTask = { path: string; sha256: string; mediaType: string; pageNo: number; width?: number };

/** What a render thread is configured with (piscina `workerData`). */
export type RenderWorkerConfig = { pdfAssetsDir: string; boxSpace: BoxSpace };

/** A render's outcome. Expected failures are values, so they cross the thread boundary intact. */
export type RenderResult = ({ ok: true } & PageRender) | { ok: false; code: string; message: string };

/** Reads the file, proves it is the registered content, and renders the page. */
export async function runRenderTask(task: RenderTask, config: RenderWorkerConfig): Promise<RenderResult> {
  try {
    let bytes: Uint8Array;
    try {
      bytes = await readFile(task.path);
    } catch (err) {
      throw new ExtractError(errnoCode(err) === 'ENOENT' ? 'vanished' : 'unreadable', `cannot read the file (${errnoCode(err) ?? 'error'})`, true);
    }
    if (createHash('sha256').update(bytes).digest('hex') !== task.sha256) throw new ExtractError('changed-since-intake', 'the file changed after intake', true);
    const render = await renderPageImage({
      bytes,
      mediaType: task.mediaType,
      pageNo: task.pageNo,
      width: task.width,
      pdfAssetsDir: config.pdfAssetsDir,
      boxSpace: config.boxSpace,
    });
    return { ok: true, ...render };
  } catch (err) {
    if (err instanceof ExtractError) return { ok: false, code: err.code, message: err.message };
    return { ok: false, code: 'render-failed', message: (err as Error)?.message ?? String(err) };
  }
}

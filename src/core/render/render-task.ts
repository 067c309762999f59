import { ExtractError, readRegisteredFile } from '../extract/index.js';
import { renderPageImage } from './page-render.js';
import type { RenderResult, RenderTask, RenderWorkerConfig } from './render-contract.js';

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

/**
 * Piscina entry for page images: the viewer's pages (reads one file, draws one page, hands back the PNG) and
 * a release's pages (the same, with the redactions burned in, as JPEG). No database, no electron.
 */
import { workerData } from 'node:worker_threads';
import type { ReleasePageResult, ReleasePageTask, RenderResult, RenderTask, RenderWorkerConfig } from '../src/core/render/index.js';
import { runReleasePageTask, runRenderTask } from '../src/core/render/thread.js';

const config = workerData as RenderWorkerConfig;

/** Draws one page in this thread (the image, about a megabyte, is copied to the caller). */
export default async function render(task: RenderTask | ReleasePageTask): Promise<RenderResult | ReleasePageResult> {
  return 'kind' in task && task.kind === 'release-page' ? runReleasePageTask(task, config) : runRenderTask(task as RenderTask, config);
}

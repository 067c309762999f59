/**
 * Piscina entry for page images shown in the viewer: reads one file, draws one page, hands back the PNG.
 * No database, no electron.
 */
import { workerData } from 'node:worker_threads';
import { runRenderTask, type RenderResult, type RenderTask, type RenderWorkerConfig } from '../src/core/render/index.js';

const config = workerData as RenderWorkerConfig;

/** Renders one page in this thread (the PNG, about a megabyte, is copied to the caller). */
export default async function render(task: RenderTask): Promise<RenderResult> {
  return runRenderTask(task, config);
}

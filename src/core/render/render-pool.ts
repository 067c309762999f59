import { Piscina } from 'piscina';
import type { ReleasePageResult, ReleasePageTask } from './release-page.js';
import type { RenderResult, RenderTask, RenderWorkerConfig } from './render-contract.js';
import type { HeapLimits } from '../pool/index.js';

/** How to start the render pool. */
export type RenderPoolOptions = { workerFile: string; workerConfig: RenderWorkerConfig; threads?: number; /** See `heapLimits`. */ heap: HeapLimits };

/**
 * The piscina pool that draws page images for the viewer (and, in a pool of its own, a release's pages): one thread by default (an operator looks at one page
 * at a time, and extraction owns the other cores), started on the first render and ended after a minute idle,
 * so a closed viewer holds no memory. Separate from the extraction pools: a render never waits behind OCR.
 */
export class RenderPool {
  private readonly piscina: Piscina;

  constructor(options: RenderPoolOptions) {
    this.piscina = new Piscina({
      filename: options.workerFile,
      minThreads: 0,
      maxThreads: options.threads ?? 1,
      idleTimeout: 60_000,
      concurrentTasksPerWorker: 1,
      atomics: 'disabled',
      resourceLimits: options.heap,
      workerData: options.workerConfig,
    });
  }

  /** Renders a page in a pool thread. Rejects only when the thread died; a page that cannot be drawn is `{ ok: false }`. */
  async run(task: RenderTask, signal?: AbortSignal): Promise<RenderResult> {
    return (await this.piscina.run(task, { signal })) as RenderResult;
  }

  /** Draws one release page (redactions burned in) in a pool thread. Rejects only when the thread died. */
  async releasePage(task: ReleasePageTask): Promise<ReleasePageResult> {
    return (await this.piscina.run(task)) as ReleasePageResult;
  }

  /** Stops every thread. */
  async destroy(): Promise<void> {
    await this.piscina.destroy();
  }
}

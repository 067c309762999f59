import { Piscina } from 'piscina';
import type { ExtractResult, ExtractTask, WorkerConfig } from '../extract/index.js';
import type { HeapLimits } from './heap-limits.js';

/** How to start the pool. */
export type ExtractPoolOptions = { threads: number; workerFile: string; workerConfig: WorkerConfig; /** See `heapLimits`. */ heap: HeapLimits };

/**
 * The piscina pool of extraction threads. Integer thread counts, warm OCR engines kept for 5 minutes idle,
 * atomics off (idle threads must not block tesseract's own nested thread), a bounded queue (the
 * dispatcher feeds work only as slots free), and a V8 heap limit per thread (see `heapLimits`).
 */
export class ExtractPool {
  readonly threads: number;
  private readonly piscina: Piscina;

  constructor(options: ExtractPoolOptions) {
    this.threads = options.threads;
    this.piscina = new Piscina({
      filename: options.workerFile,
      minThreads: options.threads,
      maxThreads: options.threads,
      idleTimeout: 5 * 60_000,
      maxQueue: options.threads * 2,
      concurrentTasksPerWorker: 1,
      atomics: 'disabled',
      resourceLimits: options.heap,
      workerData: options.workerConfig,
    });
  }

  private running = 0;

  /** Threads running a task now. */
  get busy(): number {
    return this.running;
  }

  /**
   * Runs a task. Rejects when the thread died (out of memory, WASM abort, exit) or `signal` aborted it;
   * piscina then replaces the thread, so a retry gets a fresh one.
   */
  async run(task: ExtractTask, signal?: AbortSignal): Promise<ExtractResult> {
    this.running++;
    try {
      return (await this.piscina.run(task, { signal })) as ExtractResult;
    } finally {
      this.running--;
    }
  }

  /** Stops every thread. */
  async destroy(): Promise<void> {
    await this.piscina.destroy();
  }
}

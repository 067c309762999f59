/**
 * Piscina entry for text extraction: parses nothing, owns nothing but this thread's OCR engine and open
 * file; the engine's pure extraction code does the work. No database, no electron.
 */
import { workerData } from 'node:worker_threads';
import type { ExtractResult, ExtractTask } from '../src/core/extract/index.js';
import { createWorkerState, runExtractTask, warmUpOcr, type WorkerConfig } from '../src/core/extract/thread.js';

const state = createWorkerState(workerData as WorkerConfig);
warmUpOcr(state);

/** Runs one extraction task in this thread. */
export default async function extract(task: ExtractTask): Promise<ExtractResult> {
  const result = await runExtractTask(task, state);
  // A thread that has held content of a higher lane than its pool's never takes other work: it ends once
  // its answer is on its way, and piscina starts a fresh thread in its place.
  if (state.tainted) setImmediate(() => process.exit(0));
  return result;
}

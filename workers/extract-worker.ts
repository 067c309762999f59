/**
 * Piscina entry for text extraction: parses nothing, owns nothing but this thread's OCR engine and open
 * file; the engine's pure extraction code does the work. No database, no electron.
 */
import { workerData } from 'node:worker_threads';
import { createWorkerState, runExtractTask, warmUpOcr, type ExtractResult, type ExtractTask, type WorkerConfig } from '../src/core/extract/index.js';

const state = createWorkerState(workerData as WorkerConfig);
warmUpOcr(state);

/** Runs one extraction task in this thread. */
export default function extract(task: ExtractTask): Promise<ExtractResult> {
  return runExtractTask(task, state);
}

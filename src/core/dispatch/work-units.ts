import type { LeasedJob } from '../queue/index.js';
import type { Lane } from '../sensitive/index.js';

/** A leased document in the dispatcher: its pages still out, whether it failed, its lane now. */
export type Doc = { job: LeasedJob; outstanding: number; failed: boolean; lane: Lane };

/** One page of a leased document waiting to run or running. */
export type PageUnit = {
  doc: Doc;
  kind: 'page';
  pageNo: number;
  /** `ocr` when only the OCR run is left (a text-layer fallback is stored). */
  mode: 'auto' | 'ocr';
  fallbackStored: boolean;
  /** Breaker probe rounds this page has waited through. */
  parkRounds: number;
};

/** One task for a thread: plan a document (count its pages), or extract one page. */
export type Unit = { doc: Doc; kind: 'plan' } | PageUnit;

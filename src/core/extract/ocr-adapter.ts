import type { Word } from './extract-types.js';

/** What OCR of one page image yields. */
export type OcrOutput = { text: string; /** mean, 0–100 */ confidence: number; words: Word[] };

/**
 * An OCR engine as a pool thread uses it: one per thread, reused across pages, recycled by the thread.
 * The production adapter wraps tesseract.js; tests load fault-injecting adapters through the same seam.
 */
export type OcrAdapter = {
  recognize(image: Uint8Array, options: { dpi: number }): Promise<OcrOutput>;
  /** Which build of the engine runs (e.g. the WASM core variant), for the ledger; null when unknown. */
  variant(): string | null;
  terminate(): Promise<void>;
};

/**
 * What a module named as an OCR adapter must export as `createOcrAdapter`. `languages`: the office's OCR
 * languages, `eng` or `eng+spa` (see `ocr-languages.ts`).
 */
export type OcrAdapterFactory = (options: { langPath: string; languages?: string }) => Promise<OcrAdapter>;

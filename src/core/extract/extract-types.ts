import type { ReasonCode } from '../../shared/reason-codes.js';
import type { AgencyTerm, Finding, Lane } from '../sensitive/detect.js';

/** How a page's text was obtained. */
export type PageMethod = 'text-layer' | 'ocr' | 'fallback';

/** One recognised word: text, box in page pixels at the stored DPI, confidence 0–100. */
export type Word = { text: string; x0: number; y0: number; x1: number; y1: number; confidence: number };

/** Work sent to a pool thread. Paths, not bytes: the thread reads the file, so nothing large crosses threads. */
export type ExtractTask =
  | { kind: 'plan'; path: string; sha256: string; mediaType: string; restricted?: string[] }
  | {
      kind: 'page';
      path: string;
      sha256: string;
      mediaType: string;
      /** 1-based. */
      pageNo: number;
      /** `auto`: the text layer when real, else OCR. `no-ocr`: never OCR (circuit open). `ocr`: always OCR. */
      mode: 'auto' | 'no-ocr' | 'ocr';
      /** The agency's term list, matched on the page's text in the thread. */
      terms?: AgencyTerm[];
      /** SHA-256s of documents now in a higher lane than this pool's: a thread that held one retires. */
      restricted?: string[];
    };

/** Resource figures of the thread that ran a task. */
export type WorkerFigures = {
  threadId: number;
  lane: Lane;
  rssMb: number;
  /** The thread's committed V8 heap, MB (its share of Electron's pointer-compression cage). */
  heapMb: number;
  cpuMs: number;
  wallMs: number;
  ocrVariant: string | null;
  recycled: boolean;
};

/** What a task came to. Expected failures are values, not exceptions: they cross the thread boundary intact. */
export type ExtractResult =
  | { ok: true; kind: 'plan'; pages: number; figures: WorkerFigures }
  | {
      ok: true;
      kind: 'page';
      pageNo: number;
      method: PageMethod;
      text: string;
      /** Mean word confidence 0–100; null when no OCR ran. */
      confidence: number | null;
      words: Word[];
      width: number;
      height: number;
      dpi: number;
      /** For `no-ocr`: the page has no usable text without OCR. */
      needsOcr: boolean;
      /** The page holds no ink (below the blank threshold): OCR was not run on it. */
      blank?: true;
      /** The OCR languages the page was read with, when OCR read it (`eng`, `eng+spa`). */
      languages?: string;
      /** 180: the page lay upside down (or a quarter the wrong way) and was read turned half round. */
      rotation?: 180;
      /** Personal identifiers and markings found on the page (hashes and boxes, never the text). */
      findings: Finding[];
      figures: WorkerFigures;
    }
  | { ok: false; code: ReasonCode; message: string; /** No retry can help (bad input). */ hard: boolean; figures: WorkerFigures }
  /** The thread held a document that is now restricted: it ends, and the task runs again on a fresh thread. */
  | { ok: false; code: 'thread-retired'; message: string; hard: false; figures: WorkerFigures };

/** An extraction failure with a reason code, thrown inside the worker and turned into a result. */
export class ExtractError extends Error {
  constructor(
    readonly code: ReasonCode,
    message: string,
    readonly hard: boolean,
  ) {
    super(message);
    this.name = 'ExtractError';
  }
}

import { threadId } from 'node:worker_threads';
import { getHeapStatistics } from 'node:v8';
import { performance } from 'node:perf_hooks';
import { ExtractError, type ExtractResult, type ExtractTask, type WorkerFigures } from './extract-types.js';
import { readRegisteredFile } from './read-registered.js';
import { DOWNSAMPLE_ABOVE_DPI, imagePageCount, loadImagePage, type PageImage } from './image-pages.js';
import { BLANK_INK } from './ink.js';
import { DEFAULT_OCR_LANGUAGES } from './ocr-languages.js';
import { MISREAD_CONFIDENCE, TURN_MARGIN, halfTurn, unturnWords } from './orientation.js';
import type { OcrAdapter, OcrAdapterFactory } from './ocr-adapter.js';
import { MAX_PDF_IMAGE_PIXELS, openPdf, pageImages, pageTextLayer, renderPage, type OpenPdf } from './pdf-pages.js';
import { imageWasRemoved, withPdfWarnings } from './pdf-warnings.js';
import { judgeTextLayer } from './text-layer-judge.js';
import { LANE_RANK, findingsOfPage, laneFor, type Lane, type WordBox } from '../sensitive/detect.js';

/** A successful page extraction. */
type PageResult = Extract<ExtractResult, { ok: true; kind: 'page' }>;

/** What a pool thread is configured with (piscina `workerData`). */
export type WorkerConfig = {
  /** Module exporting `createOcrAdapter` (the tesseract adapter, or a test adapter). */
  ocrAdapterModule: string;
  langPath: string;
  pdfAssetsDir: string;
  /** Largest page image handed to OCR, pixels. */
  maxPixels: number;
  /** Recycle the OCR engine after this many pages… */
  recyclePages: number;
  /** …or when the process RSS exceeds this, MB (tesseract's WASM heap only grows). */
  recycleRssMb: number;
  /** DPI pages are rendered at. */
  renderDpi: number;
  /** The office's OCR languages (`eng`, `eng+spa`); default `eng`. Recorded with every page OCR read. */
  languages?: string;
  /** false: a page that reads poorly is not read again turned half round (see `orientation.ts`); default on. */
  orientation?: boolean;
  /** Image scans above this DPI are read at 300 (see `loadImagePage`); default 400. */
  downsampleAboveDpi?: number;
  /** Below this ink share a page is blank and not read; default `BLANK_INK` (a negative value reads every page). */
  blankInk?: number;
  /** The processing lane this pool serves; a thread that meets content of a higher lane retires. */
  lane: Lane;
  /** Secret key (hex) for the HMAC of matched text in findings. */
  findingKey: string;
};

/** A pool thread's long-lived state: its OCR engine and the file it is working through. */
export type WorkerState = {
  config: WorkerConfig;
  ocr: OcrAdapter | null;
  ocrPages: number;
  ocrStarting: Promise<OcrAdapter> | null;
  /** Set once the thread has held content of a higher lane than its pool's: it must not take other work. */
  tainted: boolean;
  /** SHA-256s of the documents this thread has opened. */
  seen: Set<string>;
  file: { sha256: string; bytes: Uint8Array; pdf: OpenPdf | null } | null;
};

/** Fresh state for a pool thread. */
export function createWorkerState(config: WorkerConfig): WorkerState {
  return { config, ocr: null, ocrPages: 0, ocrStarting: null, tainted: false, seen: new Set(), file: null };
}

const cpuNow = (): number => {
  const usage = (process as { threadCpuUsage?: () => NodeJS.CpuUsage }).threadCpuUsage?.() ?? process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};

async function loadFile(state: WorkerState, path: string, sha256: string): Promise<NonNullable<WorkerState['file']>> {
  if (state.file?.sha256 === sha256) return state.file;
  await closeFile(state);
  state.file = { sha256, bytes: await readRegisteredFile(path, sha256), pdf: null };
  return state.file;
}

async function closeFile(state: WorkerState): Promise<void> {
  const pdf = state.file?.pdf;
  state.file = null;
  if (pdf) await pdf.task.destroy().catch(() => undefined);
}

async function pdfOf(state: WorkerState, file: NonNullable<WorkerState['file']>): Promise<OpenPdf> {
  file.pdf ??= await openPdf(file.bytes, state.config.pdfAssetsDir);
  return file.pdf;
}

async function ocrEngine(state: WorkerState): Promise<OcrAdapter> {
  if (state.ocr) return state.ocr;
  // One engine per thread even when warm-up and a page ask at once.
  state.ocrStarting ??= (async () => {
    const module = (await import(state.config.ocrAdapterModule)) as { createOcrAdapter: OcrAdapterFactory };
    return module.createOcrAdapter({ langPath: state.config.langPath, languages: state.config.languages });
  })();
  try {
    state.ocr = await state.ocrStarting;
    state.ocrPages = 0;
    return state.ocr;
  } finally {
    state.ocrStarting = null;
  }
}

/**
 * Starts the thread's OCR engine ahead of its first page (loading the model takes about a second), so it
 * overlaps intake and planning. A failure here is left for the first page to meet, retry and report.
 */
export function warmUpOcr(state: WorkerState): void {
  ocrEngine(state).catch(() => undefined);
}

/** Recycles the OCR engine after N pages or above the RSS ceiling. @returns whether it did. */
async function maybeRecycle(state: WorkerState): Promise<boolean> {
  const rssMb = process.memoryUsage.rss() / 1e6;
  if (!state.ocr || (state.ocrPages < state.config.recyclePages && rssMb < state.config.recycleRssMb)) return false;
  const old = state.ocr;
  state.ocr = null;
  await old.terminate().catch(() => undefined);
  warmUpOcr(state);
  return true;
}

/** A failure of the OCR engine itself (as opposed to the file being read): transient, for retry and breaker. */
class OcrEngineFailure extends Error {
  constructor(cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    this.name = 'OcrEngineFailure';
  }
}

/** This thread's committed V8 heap, MB: what it holds in Electron's shared pointer-compression cage (see `heapLimits`). */
function threadHeapMb(): number {
  return Math.round(getHeapStatistics().total_heap_size / 1e6);
}

/**
 * Runs one task in a pool thread: `plan` counts a document's pages; `page` extracts one page — the PDF
 * text layer when it is real, otherwise a 300 DPI render (or the image page) through OCR. Expected
 * failures come back as `{ok: false, code}`; only the unexpected throws.
 */
export async function runExtractTask(task: ExtractTask, state: WorkerState): Promise<ExtractResult> {
  if (task.restricted?.some((sha) => state.seen.has(sha))) {
    state.tainted = true;
    const figures: WorkerFigures = {
      threadId,
      lane: state.config.lane,
      rssMb: Math.round(process.memoryUsage.rss() / 1e6),
      heapMb: threadHeapMb(),
      cpuMs: 0,
      wallMs: 0,
      ocrVariant: null,
      recycled: false,
    };
    return { ok: false, code: 'thread-retired', message: 'this thread held a document that is now in a restricted lane', hard: false, figures };
  }
  state.seen.add(task.sha256);
  const result = await withPdfWarnings((warnings) => runTask(task, state, warnings));
  if (!result.ok || result.kind !== 'page') return result;
  // Detection runs here, in the lane's own thread, so restricted text never travels further than its result.
  const findings = findingsOfPage(
    { pageNo: result.pageNo, text: result.text, words: result.words.map((w): WordBox => [w.text, w.x0, w.y0, w.x1, w.y1, w.confidence]) },
    state.config.findingKey,
    task.kind === 'page' ? (task.terms ?? []) : [],
  );
  if (findings.some((f) => LANE_RANK[laneFor(f.type)] > LANE_RANK[state.config.lane])) {
    state.tainted = true;
    state.ocr = null; // dropped with the thread
    await closeFile(state);
  }
  return { ...result, findings };
}

async function runTask(task: ExtractTask, state: WorkerState, warnings: readonly string[]): Promise<ExtractResult> {
  const wall0 = performance.now();
  const cpu0 = cpuNow();
  let recycled = false;
  const figures = (): WorkerFigures => ({
    threadId,
    lane: state.config.lane,
    rssMb: Math.round(process.memoryUsage.rss() / 1e6),
    heapMb: threadHeapMb(),
    cpuMs: Math.round(cpuNow() - cpu0),
    wallMs: Math.round(performance.now() - wall0),
    ocrVariant: state.ocr?.variant() ?? null,
    recycled,
  });
  const isPdf = task.mediaType === 'application/pdf';
  try {
    const file = await loadFile(state, task.path, task.sha256);
    if (task.kind === 'plan') {
      const pages = isPdf ? (await pdfOf(state, file)).doc.numPages : imagePageCount(file.bytes, task.mediaType);
      return { ok: true, kind: 'plan', pages, figures: figures() };
    }
    const { renderDpi, maxPixels } = state.config;
    const blankInk = state.config.blankInk ?? BLANK_INK;
    const ocrReading = { downsampleAboveDpi: state.config.downsampleAboveDpi ?? DOWNSAMPLE_ABOVE_DPI };
    type PageFields = Pick<
      PageResult,
      'method' | 'text' | 'confidence' | 'words' | 'width' | 'height' | 'dpi' | 'needsOcr' | 'blank' | 'languages' | 'rotation'
    >;
    // Figures are taken when the result is made, after any recycling.
    const pageResult = (fields: PageFields): PageResult => ({ ok: true, kind: 'page', pageNo: task.pageNo, ...fields, findings: [], figures: figures() });
    const recognize = async (image: Uint8Array, dpi: number) => {
      try {
        const out = await (await ocrEngine(state)).recognize(image, { dpi });
        state.ocrPages++;
        return out;
      } catch (err) {
        throw new OcrEngineFailure(err);
      }
    };
    const ocrImage = async (img: PageImage): Promise<PageResult> => {
      let out = await recognize(img.image, img.dpi);
      let rotation: 180 | undefined;
      if (state.config.orientation !== false && out.confidence < MISREAD_CONFIDENCE && out.words.length > 0) {
        // Read poorly: perhaps upside down (or a quarter the wrong way). Read once more, turned half round.
        const drawable =
          img.passthrough && task.mediaType === 'image/tiff'
            ? (await loadImagePage(file.bytes, task.mediaType, task.pageNo, maxPixels, { reencode: true })).image
            : img.image;
        const turned = await recognize(await halfTurn(drawable), img.dpi);
        if (turned.confidence >= out.confidence + TURN_MARGIN) {
          out = { ...turned, words: unturnWords(turned.words, img.width, img.height) };
          rotation = 180;
        }
      }
      recycled = await maybeRecycle(state);
      // Read at a lower resolution than scanned: the page and its word boxes are stored at the scan's.
      const page = img.source ?? img;
      const fx = page.width / img.width;
      const fy = page.height / img.height;
      const words =
        page === img
          ? out.words
          : out.words.map((w) => ({ ...w, x0: Math.round(w.x0 * fx), y0: Math.round(w.y0 * fy), x1: Math.round(w.x1 * fx), y1: Math.round(w.y1 * fy) }));
      return pageResult({
        method: 'ocr',
        languages: state.config.languages ?? DEFAULT_OCR_LANGUAGES,
        text: out.text,
        confidence: out.confidence,
        words,
        width: page.width,
        height: page.height,
        dpi: page.dpi,
        needsOcr: false,
        ...(rotation && { rotation }),
      });
    };
    const noText = { text: '', confidence: null, words: [] };
    if (!isPdf) {
      if (task.mode === 'no-ocr') return pageResult({ method: 'fallback', ...noText, width: 0, height: 0, dpi: 0, needsOcr: true });
      const page = await loadImagePage(file.bytes, task.mediaType, task.pageNo, maxPixels, { forOcr: ocrReading });
      if (page.ink !== undefined && page.ink < blankInk) {
        // The back of a sheet: nothing to read, so no OCR (milliseconds instead of a second), and marked blank.
        const { width, height, dpi } = page.source ?? page;
        return pageResult({ method: 'ocr', ...noText, width, height, dpi, needsOcr: false, blank: true });
      }
      try {
        return await ocrImage(page);
      } catch (err) {
        // Only the engine's "cannot read the image" (Leptonica's decoders) is about the bytes; any other failure is
        // the engine's own, for the retry policy and the breaker.
        if (!page.passthrough || !(err instanceof OcrEngineFailure) || !/attempting to read image/iu.test(err.message)) throw err;
        // The OCR engine decodes passed-through files itself and refuses some our decoder reads: what our decoder
        // makes of the bytes decides. Bad bytes then fail as undecodable-image, not as an engine failure that
        // would trip the circuit breaker for every other file.
        return await ocrImage(await loadImagePage(file.bytes, task.mediaType, task.pageNo, maxPixels, { reencode: true, forOcr: ocrReading }));
      }
    }
    const { doc } = await pdfOf(state, file);
    const page = await doc.getPage(task.pageNo);
    // pdf.js drops an image over its size limit with only a warning: the page would silently lose content.
    const refuseRemovedImages = (): void => {
      if (imageWasRemoved(warnings)) throw new ExtractError('too-large', `page ${task.pageNo} holds an image over ${MAX_PDF_IMAGE_PIXELS} pixels`, true);
    };
    try {
      const view = page.getViewport({ scale: renderDpi / 72 });
      const layer = await pageTextLayer(page, renderDpi);
      // Listing a page's images builds an operator list, which decodes every image; rendering decodes them
      // again. A page without text needs no image figures to be judged, so a 9000x9000 scan is decoded once.
      const hasGlyphs = /\S/u.test(layer.text);
      let images = hasGlyphs ? await pageImages(page) : null;
      const judged = judgeTextLayer(layer.text, images?.coverage ?? 0);
      refuseRemovedImages();
      const asLayer = (method: 'text-layer' | 'fallback', needsOcr: boolean): PageResult =>
        pageResult({
          method,
          text: layer.text,
          confidence: null,
          words: layer.words,
          width: Math.round(view.width),
          height: Math.round(view.height),
          dpi: renderDpi,
          needsOcr,
        });
      if (task.mode !== 'ocr' && judged.verdict === 'real') return asLayer('text-layer', false);
      if (task.mode === 'no-ocr') return asLayer('fallback', true);
      const rendered = await renderPage(doc, page, renderDpi, maxPixels);
      refuseRemovedImages();
      if (rendered.ink >= blankInk) return await ocrImage(rendered);
      images ??= await pageImages(page);
      // A page that paints images must not render blank: treat it as an image pdf.js could not decode.
      if (images.images.length > 0)
        throw new ExtractError('undecodable-image', `page ${task.pageNo} paints ${images.images.length} image(s) but renders blank`, true);
      return pageResult({ method: 'ocr', ...noText, width: rendered.width, height: rendered.height, dpi: rendered.dpi, needsOcr: false, blank: true });
    } finally {
      page.cleanup();
    }
  } catch (err) {
    if (err instanceof ExtractError) {
      if (err.hard) await closeFile(state);
      return { ok: false, code: err.code, message: err.message, hard: err.hard, figures: figures() };
    }
    const message = err instanceof Error ? err.message : String(err);
    // OCR engine failures are transient: the caller's retry and circuit breaker decide.
    // A system error (reading the file: EIO, EMFILE…) may pass; it is retried like an engine failure.
    if (err instanceof OcrEngineFailure || (err as NodeJS.ErrnoException)?.syscall !== undefined)
      return { ok: false, code: 'ocr-failed', message, hard: false, figures: figures() };
    // Anything else was thrown while parsing or decoding the file (pdf.js's "Missing endstream command", "Bad XRef
    // entry", a decoder's error): the bytes are bad, and no retry helps. Not the engine's failure, not the breaker's.
    await closeFile(state);
    return { ok: false, code: isPdf ? 'invalid-pdf' : 'undecodable-image', message, hard: true, figures: figures() };
  }
}

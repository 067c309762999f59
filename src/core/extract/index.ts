export { imagePageCount, loadImagePage, renderImagePage } from './image-pages.js';
export { readRegisteredFile } from './extract-task.js';
export { runExtractTask, createWorkerState, warmUpOcr, type WorkerConfig, type WorkerState } from './extract-task.js';
export { ExtractError, type ExtractTask, type ExtractResult, type PageMethod, type Word, type WorkerFigures } from './extract-types.js';
export { defaultLangPath } from './tesseract-ocr.js';
export { defaultPdfAssetsDir, openPdf, renderPage, MAX_PDF_IMAGE_PIXELS } from './pdf-pages.js';
export { judgeTextLayer, type TextLayerVerdict } from './text-layer-judge.js';
export type { OcrAdapter, OcrAdapterFactory, OcrOutput } from './ocr-adapter.js';

// What the engine uses of extract/ without loading pdf.js, tesseract.js or the image decoders (native
// bindings of one OS each): paths, errors, the registered-file read and types. The Electron main bundle
// imports the engine, so nothing here may import those packages; the thread side is ./thread.ts.
export { readRegisteredFile } from './read-registered.js';
export { ExtractError, type ExtractTask, type ExtractResult, type PageMethod, type Word, type WorkerFigures } from './extract-types.js';
export { defaultLangPath, defaultPdfAssetsDir } from './asset-paths.js';
export { OCR_LANGUAGES, DEFAULT_OCR_LANGUAGES, isOcrLanguages, type OcrLanguages } from './ocr-languages.js';
export { judgeTextLayer, type TextLayerVerdict } from './text-layer-judge.js';
export { opaqueRgbOrGray } from './image-resolution.js';
export type { WorkerConfig, WorkerState } from './extract-task.js';
export type { OcrAdapter, OcrAdapterFactory, OcrOutput } from './ocr-adapter.js';

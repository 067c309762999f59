// The thread side of extract/: what pool threads run (extraction, page drawing) and the image decoders.
// It loads pdf.js, tesseract.js, @napi-rs/canvas and utif2, so only pool-thread code imports it statically;
// the engine reaches it with a dynamic import() where it must decode in its own process.
export { imagePageCount, loadImagePage, renderImagePage } from './image-pages.js';
export { runExtractTask, createWorkerState, warmUpOcr, type WorkerConfig, type WorkerState } from './extract-task.js';
export { openPdf, renderPage, MAX_PDF_IMAGE_PIXELS } from './pdf-pages.js';

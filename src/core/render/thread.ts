// The thread side of render/: what render threads run. It loads pdf.js and @napi-rs/canvas, so only the
// render worker (and benchmarks) import it.
export { renderPageImage } from './page-render.js';
export { runRenderTask } from './render-task.js';
export { runReleasePageTask } from './release-page.js';

export { renderPageImage, DISPLAY_LONG_SIDE, MAX_DISPLAY_WIDTH, type PageImageRender, type PageRenderRequest } from './page-render.js';
export { RenderCache, DEFAULT_RENDER_CACHE_BYTES, type RenderKey } from './render-cache.js';
export { runRenderTask, drawFailureCode, type RenderTask, type RenderResult, type RenderWorkerConfig } from './render-task.js';
export { renderDocumentPage, type DocumentPageDeps } from './document-page.js';
export { RenderPool, type RenderPoolOptions } from './render-pool.js';
export { runReleasePageTask, type ReleasePageTask, type ReleasePageResult } from './release-page.js';

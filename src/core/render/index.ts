// What the engine uses of render/ without loading pdf.js or the image decoders: the pool, the cache, the
// viewer's page call and the contract of the render threads. What those threads run is ./thread.ts.
export { DISPLAY_LONG_SIDE, MAX_DISPLAY_WIDTH } from './display-size.js';
export type { PageImageRender, PageRenderRequest } from './page-render.js';
export { RenderCache, DEFAULT_RENDER_CACHE_BYTES, type RenderKey } from './render-cache.js';
export { drawFailureCode, type RenderTask, type RenderResult, type RenderWorkerConfig } from './render-contract.js';
export { renderDocumentPage, type DocumentPageDeps } from './document-page.js';
export { RenderPool, type RenderPoolOptions } from './render-pool.js';
export type { ReleasePageTask, ReleasePageResult } from './release-page.js';

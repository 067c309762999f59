import type { Clock } from '../clock.js';
import { authorizeView } from '../dispatch/index.js';
import { EngineError } from '../errors.js';
import type { RenderPool } from './render-pool.js';
import { documentRef, requirePage, type Db } from '../store/index.js';
import type { PageImage } from '../../shared/types.js';
import { MAX_DISPLAY_WIDTH } from './display-size.js';
import type { RenderCache } from './render-cache.js';
import { drawFailureCode } from './render-contract.js';

/** What {@link renderDocumentPage} needs from the engine. */
export type DocumentPageDeps = { db: Db; clock: Clock; cache: RenderCache; pool: () => RenderPool };

/**
 * Draws one page of a registered document for display, from the render cache when it holds it. A `pii` or
 * `classified` page is shown only with a reason, recorded as its text is ({@link authorizeView}), and is cached in
 * memory only. The render runs in a pool thread that reads the file and proves its SHA-256.
 * @throws EngineError `not-found` (document or page), `refused` (restricted, no reason), `invalid-argument` (width),
 * `file-unavailable` (the file is gone or changed since intake), `render-failed` (the page cannot be drawn).
 */
export async function renderDocumentPage(
  deps: DocumentPageDeps,
  ref: string,
  pageNo: number,
  options: { width?: number; reason?: string } = {},
): Promise<PageImage> {
  const { db, clock, cache } = deps;
  const doc = documentRef(db, ref);
  requirePage(doc, pageNo);
  const width = options.width ?? 0;
  if (!Number.isSafeInteger(width) || width < 0 || width > MAX_DISPLAY_WIDTH)
    throw new EngineError('invalid-argument', `A page is drawn at most ${MAX_DISPLAY_WIDTH} pixels wide (asked: ${options.width}).`);
  authorizeView(db, clock, doc, options.reason, 'its pages');
  const restricted = doc.lane !== 'public';
  const stored = db.prepare('SELECT width FROM pages WHERE document_id = ? AND page_no = ?').get(doc.id, pageNo) as { width: number | null } | undefined;
  const key = { sha256: doc.sha256, pageNo, width };
  let render = cache.get(key, restricted);
  const cached = render !== null;
  if (!render) {
    const result = await deps.pool().run({ path: doc.path, sha256: doc.sha256, mediaType: doc.mediaType, pageNo, width: width || undefined });
    if (!result.ok) {
      const code = drawFailureCode(result.code);
      throw new EngineError(
        code,
        `Page ${pageNo} of document ${doc.id} cannot be ${code === 'file-unavailable' ? 'shown' : 'drawn'}: ${result.message} (${result.code}).`,
      );
    }
    render = { mime: result.mime, image: result.image, width: result.width, height: result.height };
    cache.put(key, render, restricted);
  }
  return {
    documentId: doc.id,
    pageNo,
    pages: doc.pages,
    ...render,
    boxScale: stored?.width ? render.width / stored.width : null,
    cached,
  };
}

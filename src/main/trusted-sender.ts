import { pathToFileURL } from 'node:url';

/**
 * Only our own page, loaded from the app bundle, may call the engine: the sender must be a main frame
 * (no iframe) showing exactly the renderer's index.html from a file URL. Query and fragment do not matter.
 * Kept free of `electron` so it is tested in plain Node.
 */
export function isTrustedSender(frame: { url: string; isMainFrame: boolean } | null, rendererFile: string): boolean {
  if (!frame || !frame.isMainFrame) return false;
  let url: URL;
  try {
    url = new URL(frame.url);
  } catch {
    return false;
  }
  return url.protocol === 'file:' && url.host === '' && url.pathname === pathToFileURL(rendererFile).pathname;
}

import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** A path as compared: resolved, and on Windows with the drive letter and separators in one form. */
function comparable(p: string, windows: boolean): string {
  const resolved = windows ? path.win32.resolve(p) : path.posix.resolve(p);
  return windows ? resolved.toLowerCase() : resolved;
}

/**
 * Only our own page, loaded from the app bundle, may call the engine: the sender must be a main frame
 * (no iframe) showing exactly the renderer's index.html from a file URL. Query and fragment do not matter.
 * The URL is compared as a path (`fileURLToPath`), so install folders with characters a URL escapes
 * (`{}|^`, spaces) or a lower-case drive letter are not refused. Kept free of `electron` so it is tested in
 * plain Node.
 */
export function isTrustedSender(
  frame: { url: string; isMainFrame: boolean } | null,
  rendererFile: string,
  platform: NodeJS.Platform = process.platform,
): boolean {
  if (!frame || !frame.isMainFrame) return false;
  let url: URL;
  try {
    url = new URL(frame.url);
  } catch {
    return false;
  }
  if (url.protocol !== 'file:' || url.host !== '') return false;
  const windows = platform === 'win32';
  url.search = '';
  url.hash = '';
  let file: string;
  try {
    file = fileURLToPath(url, { windows });
  } catch {
    return false;
  }
  return comparable(file, windows) === comparable(rendererFile, windows);
}

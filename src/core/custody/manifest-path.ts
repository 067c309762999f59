import path from 'node:path';

/**
 * Normalizes a manifest's relative path to `/`-separated form, or null when it would leave the
 * manifest's folder (absolute, `..`), which a manifest must never be able to point at.
 */
export function normalizeManifestPath(raw: string): string | null {
  const slashed = raw.replace(/\\/g, '/').replace(/^\.\//, '');
  if (slashed === '' || slashed.startsWith('/') || /^[A-Za-z]:/.test(slashed)) return null;
  const normal = path.posix.normalize(slashed);
  if (normal === '..' || normal.startsWith('../')) return null;
  return normal;
}

/** `/`-separated path of `file` relative to `root`. */
export function relativeManifestPath(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join('/');
}

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

let root: string | undefined;

/** The folder of Custodian's package.json, found by walking up from this module (works from src/ and dist/). */
export function packageRoot(): string {
  if (root) return root;
  let dir = import.meta.dirname;
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'custodian') return (root = dir);
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('cannot find the custodian package root');
    dir = parent;
  }
}

/** Custodian's version, from its package.json. */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}

/** A file of the compiled build (`npm run build`), e.g. the pool's worker entry. */
export function distFile(...parts: string[]): string {
  return path.join(packageRoot(), 'dist', ...parts);
}

/**
 * The path to read an asset from in a packaged app: files inside `app.asar` that electron-builder unpacks
 * (wasm, traineddata, pdf.js fonts) live in `app.asar.unpacked`, where worker threads and wasm loaders can
 * read them as plain files. Outside a packaged app, the path unchanged.
 */
export function unpackedPath(p: string): string {
  return p.replace(/([\\/])app\.asar([\\/])/u, '$1app.asar.unpacked$2');
}

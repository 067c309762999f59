import { createRequire } from 'node:module';
import path from 'node:path';
import { unpackedPath } from '../package-paths.js';

// Kept apart from the modules that load pdf.js, tesseract.js and the image decoders: the Electron main bundle
// and the engine need these paths, and must not import those packages (native bindings of one OS each).

/** Default folder of pdf.js's offline assets (cmaps, standard fonts, wasm decoders, ICC profiles). */
export function defaultPdfAssetsDir(): string {
  return unpackedPath(path.dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json')));
}

/** Folder of the `eng` language data shipped inside @tesseract.js-data/eng (never downloaded). */
export function defaultLangPath(): string {
  return unpackedPath(path.join(path.dirname(createRequire(import.meta.url).resolve('@tesseract.js-data/eng/package.json')), '4.0.0_best_int'));
}

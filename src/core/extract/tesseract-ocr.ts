import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createWorker, OEM, PSM } from 'tesseract.js';
import type { OcrAdapter, OcrAdapterFactory, OcrOutput } from './ocr-adapter.js';
import type { Word } from './extract-types.js';
import { languageModelFile } from './ocr-languages.js';

export { defaultLangPath } from './asset-paths.js';

/**
 * Word boxes from tesseract's TSV output (level 5 rows: left, top, width, height, conf, text). TSV is
 * measured 8% cheaper per page than the `blocks` JSON tree, which carries every symbol too.
 */
export function wordsFromTsv(tsv: string | null): Word[] {
  const words: Word[] = [];
  for (const line of (tsv ?? '').split('\n')) {
    const f = line.split('\t');
    if (f[0] !== '5' || f.length < 12) continue;
    const text = f.slice(11).join('\t').trim();
    if (!text) continue;
    const [x0, y0, w, h, conf] = f.slice(6, 11).map(Number) as [number, number, number, number, number];
    words.push({ text, x0, y0, x1: x0 + w, y1: y0 + h, confidence: Math.round(conf) });
  }
  return words;
}

/** Turns tesseract.js's string rejections into Errors with a code. */
function asError(err: unknown): Error {
  if (err instanceof Error) return err;
  return Object.assign(new Error(`tesseract: ${String(err)}`), { code: 'ocr-engine-error' });
}

/**
 * The models for `languages` (`eng+spa`): `eng` by name from `langPath`; with others, every model read
 * here from its own package and handed over in memory (tesseract.js reads one folder only). That needs
 * patches/tesseract.js+7.0.0.patch: tesseract.js 7.0.0 initialised with the bytes as the language's name
 * (upstream pull request naptha/tesseract.js#1052).
 */
function models(languages: string): string | { code: string; data: Uint8Array }[] {
  if (languages === 'eng') return 'eng';
  return languages.split('+').map((code) => ({ code, data: readFileSync(languageModelFile(code)) }));
}

/**
 * tesseract.js 7 with the LSTM models from @tesseract.js-data (`eng`, and `spa` where the office chose it),
 * read from the filesystem with no cache written anywhere. Full-page layout analysis (PSM 3) so
 * multi-column pages read column by column; the default single-block mode reads across columns.
 */
export const createOcrAdapter: OcrAdapterFactory = async ({ langPath, languages = 'eng' }) => {
  let lastError: Error | null = null;
  const worker = await createWorker(models(languages), OEM.LSTM_ONLY, {
    langPath,
    gzip: true,
    cacheMethod: 'none',
    logger: () => undefined,
    // Without a handler, a failed job becomes an uncaught exception in this thread.
    errorHandler: (err: unknown) => {
      lastError = asError(err);
    },
  }).catch((err: unknown) => {
    throw asError(err);
  });
  await worker.setParameters({ tessedit_pageseg_mode: PSM.AUTO, debug_file: '/dev/null' });
  let dpiSet = 0;
  const adapter: OcrAdapter = {
    async recognize(image, { dpi }): Promise<OcrOutput> {
      if (dpi !== dpiSet) {
        await worker.setParameters({ user_defined_dpi: String(dpi) });
        dpiSet = dpi;
      }
      lastError = null;
      try {
        const { data } = await worker.recognize(Buffer.from(image.buffer, image.byteOffset, image.byteLength), {}, { text: true, tsv: true });
        return { text: data.text, confidence: data.confidence, words: wordsFromTsv(data.tsv) };
      } catch (err) {
        throw lastError ?? asError(err);
      }
    },
    variant: () => `tesseract.js ${createRequire(import.meta.url)('tesseract.js/package.json').version} wasm (simd auto-detected), ${languages}`,
    terminate: () => worker.terminate().then(() => undefined),
  };
  return adapter;
};

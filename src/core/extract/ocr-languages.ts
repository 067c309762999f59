import { createRequire } from 'node:module';
import path from 'node:path';
import { unpackedPath } from '../package-paths.js';

/**
 * The OCR language settings an office can choose: English alone (the default), or English and Spanish,
 * common in US records. Each language's model ships in its own npm package (`@tesseract.js-data/<code>`),
 * read from the package, never downloaded.
 */
export const OCR_LANGUAGES = ['eng', 'eng+spa'] as const;

/** One OCR language setting. */
export type OcrLanguages = (typeof OCR_LANGUAGES)[number];

/** The default setting. */
export const DEFAULT_OCR_LANGUAGES: OcrLanguages = 'eng';

/** Whether `value` is a setting Custodian ships the models for. */
export function isOcrLanguages(value: string): value is OcrLanguages {
  return (OCR_LANGUAGES as readonly string[]).includes(value);
}

/** The gzipped LSTM model of one language, inside its package (unpacked in an installed app). */
export function languageModelFile(code: string): string {
  const pkg = createRequire(import.meta.url).resolve(`@tesseract.js-data/${code}/package.json`);
  return unpackedPath(path.join(path.dirname(pkg), '4.0.0_best_int', `${code}.traineddata.gz`));
}

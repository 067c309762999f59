import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock.js';
import { EngineError } from '../errors.js';
import { DEFAULT_OCR_LANGUAGES, OCR_LANGUAGES, isOcrLanguages, type OcrLanguages } from '../extract/index.js';
import { appendEvent } from '../ledger/index.js';
import { readSetting, writeSetting, type Db } from '../store/index.js';

const SETTING = 'ocr.languages';

/** The office's OCR languages (default `eng`): what every page OCR reads from the next run on is read with. */
export function ocrLanguages(db: Db): OcrLanguages {
  const value = readSetting(db, SETTING);
  return value && isOcrLanguages(value) ? value : DEFAULT_OCR_LANGUAGES;
}

/** Sets the office's OCR languages, on the ledger. @throws EngineError `invalid-argument` for a setting Custodian ships no models for. */
export function setOcrLanguages(db: Db, clock: Clock, value: string): OcrLanguages {
  const languages = value.trim().toLowerCase();
  if (!isOcrLanguages(languages))
    throw new EngineError('invalid-argument', `OCR languages must be one of ${OCR_LANGUAGES.join(', ')} (the models shipped with Custodian), not ${value}.`);
  db.transaction(() => {
    writeSetting(db, SETTING, languages);
    appendEvent(db, clock, { traceId: randomUUID(), type: 'ocr.languages-set', payload: { languages } });
  }).immediate();
  return languages;
}

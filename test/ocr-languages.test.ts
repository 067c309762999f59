/**
 * The office's OCR languages (issue 20): `eng` by default, `eng+spa` where chosen, both models read from
 * their npm packages. A Spanish page is drawn here (Liberation Sans, from the pdf.js package, at 300 DPI)
 * and read by real tesseract.js in the pool threads.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { events, rows, testEngine } from './helpers/engine.js';
import { onlyJson, runCli } from './helpers/cli.js';
import { tempDir, textScan } from './helpers/fixtures.js';
import { cer } from '../bench/cer.js';

const LINES = [
  'El señor Muñoz pidió la información del año pasado.',
  'La compañía envió los documentos a la dirección de Peña.',
  '¿Cuántas páginas tiene el expediente? Según él, diecinueve.',
];

describe('OCR languages', () => {
  it('reads a Spanish page better with eng+spa than with eng alone, and records which read it', async () => {
    const folder = tempDir();
    writeFileSync(path.join(folder, 'carta.png'), textScan(LINES));
    const truth = LINES.join('\n');

    const english = testEngine({ realOcr: true, workers: 1 });
    expect(english.ocr.languages()).toBe('eng');
    await english.ingest([folder]);
    const [engPage] = rows<{ text: string; ocr_languages: string }>(english, 'SELECT text, ocr_languages FROM pages');
    expect(engPage!.ocr_languages).toBe('eng');

    const both = testEngine({ realOcr: true, workers: 1 });
    expect(both.ocr.setLanguages('eng+spa')).toBe('eng+spa');
    await both.ingest([folder]);
    const [spaPage] = rows<{ text: string; ocr_languages: string }>(both, 'SELECT text, ocr_languages FROM pages');
    expect(spaPage!.ocr_languages).toBe('eng+spa');
    expect(events(both, 'ocr.languages-set')).toEqual([{ languages: 'eng+spa' }]);
    expect(events(both, 'page.extracted')[0]).toMatchObject({ languages: 'eng+spa' });

    // The Spanish model reads the ñ and the accents English does not know.
    for (const word of ['señor', 'Muñoz', 'información', 'año', 'compañía', 'Peña', '¿Cuántas'.slice(1), 'páginas']) expect(spaPage!.text).toContain(word);
    console.log(`Spanish page: CER ${(cer(engPage!.text, truth) * 100).toFixed(1)}% with eng, ${(cer(spaPage!.text, truth) * 100).toFixed(1)}% with eng+spa`);
    expect(cer(spaPage!.text, truth)).toBeLessThan(cer(engPage!.text, truth));
    expect(cer(spaPage!.text, truth)).toBeLessThan(0.03);
  });

  it('refuses a language whose model Custodian does not ship, with exit 1', () => {
    const dataDir = path.join(tempDir(), 'data');
    const refused = runCli(['--data-dir', dataDir, 'settings', 'ocr-languages', 'eng+fra']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('eng, eng+spa');
    expect(onlyJson<{ languages: string }>(runCli(['--data-dir', dataDir, '--json', 'settings', 'ocr-languages']).stdout)).toEqual({ languages: 'eng' });
    expect(onlyJson<{ languages: string }>(runCli(['--data-dir', dataDir, '--json', 'settings', 'ocr-languages', 'ENG+SPA']).stdout)).toEqual({
      languages: 'eng+spa',
    });
  });
});

/**
 * Pages in any orientation (issue 20): the same page drawn here at 0°, 90°, 180° and 270° (Liberation Sans
 * from the pdf.js package, 300 DPI) and read by real tesseract.js in the pool threads. A page that reads
 * poorly is read once more turned half round; which way it was read is stored with the page.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { events, rows, testEngine } from './helpers/engine.js';
import { tempDir, textScan } from './helpers/fixtures.js';
import { cer } from '../bench/cer.js';

const LINES = [
  'The board of supervisors met on Tuesday evening.',
  'Minutes of the meeting were approved as amended.',
  'The next regular session is set for the third week.',
];

type PageRow = { path: string; text: string; rotation: number; confidence: number; words: string; width: number };

describe('pages in any orientation', () => {
  it('reads the page the right way up whichever way it lay, and says when it was turned', async () => {
    const folder = tempDir();
    for (const d of [0, 90, 180, 270] as const) writeFileSync(path.join(folder, `sheet-${d}.png`), textScan(LINES, d));
    const engine = testEngine({ realOcr: true, workers: 2 });
    await engine.ingest([folder]);
    const pages = rows<PageRow>(
      engine,
      'SELECT d.first_path AS path, p.text, p.rotation, p.confidence, p.words, p.width FROM pages p JOIN documents d ON d.id = p.document_id ORDER BY d.first_path',
    );
    const truth = LINES.join('\n');
    const by = Object.fromEntries(pages.map((p) => [path.basename(p.path, '.png'), p]));
    console.log(
      `orientation: ${Object.entries(by)
        .map(([n, p]) => `${n} CER ${(cer(p.text, truth) * 100).toFixed(1)}% conf ${Math.round(p.confidence)} rotation ${p.rotation}`)
        .join('; ')}`,
    );
    for (const name of ['sheet-0', 'sheet-90', 'sheet-180', 'sheet-270']) expect(cer(by[name]!.text, truth), name).toBeLessThan(0.05);
    // Upright and a quarter turn read as they lie; upside down and the other quarter were read turned.
    expect([by['sheet-0']!.rotation, by['sheet-90']!.rotation, by['sheet-180']!.rotation, by['sheet-270']!.rotation]).toEqual([0, 0, 180, 180]);
    expect(events(engine, 'page.extracted').filter((e) => e.rotation === 180)).toHaveLength(2);
    // The words of the upside-down page are boxed where they lie on it: the first line near its bottom.
    const words = JSON.parse(by['sheet-180']!.words) as [string, number, number, number, number, number][];
    const board = words.find((w) => w[0] === 'board');
    expect(board).toBeDefined();
    expect(board![2]).toBeGreaterThan(900 - 300);

    // Without the second reading, as before: upside down and the other quarter turn read as garbage.
    const before = testEngine({ realOcr: true, workers: 2, ocrReading: { orientation: false } });
    await before.ingest([folder]);
    const old = Object.fromEntries(
      rows<PageRow>(before, 'SELECT d.first_path AS path, p.text FROM pages p JOIN documents d ON d.id = p.document_id').map((p) => [
        path.basename(p.path, '.png'),
        p,
      ]),
    );
    console.log(
      `without it: sheet-180 CER ${(cer(old['sheet-180']!.text, truth) * 100).toFixed(1)}%, sheet-270 CER ${(cer(old['sheet-270']!.text, truth) * 100).toFixed(1)}%`,
    );
    expect(cer(old['sheet-180']!.text, truth)).toBeGreaterThan(0.5);
  });
});

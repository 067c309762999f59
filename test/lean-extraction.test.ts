/**
 * OCR at the resolution it needs (issue 20): scans above 400 DPI are read at 300 DPI with their word boxes
 * stored at the scan's own resolution, and blank pages are not read at all. Real pool threads and real
 * decoding; the scripted OCR adapter says what it was given and counts its calls.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { events, rows, testEngine } from './helpers/engine.js';
import { multiPageTiff, scriptedOcr, tempDir } from './helpers/fixtures.js';

type PageRow = { page_no: number; text: string; words: string; width: number; height: number; dpi: number; blank: number };

describe('OCR at the resolution it needs', () => {
  it('a 600 DPI scan is read at 300 DPI, and its page and word boxes are stored at 600', async () => {
    const folder = tempDir();
    writeFileSync(path.join(folder, 'fine-scan.tif'), multiPageTiff(1, 400, { dpi: 600 }));
    const engine = testEngine({ workers: 1 });
    const summary = await engine.ingest([folder]);
    expect(summary.jobs).toMatchObject({ done: 1, quarantined: 0 });
    const [page] = rows<PageRow>(engine, 'SELECT * FROM pages');
    // What OCR was handed: half the pixels each way, at 300 DPI.
    expect(page!.text).toMatch(/ at 300 dpi$/u);
    expect(page).toMatchObject({ width: 400, height: 400, dpi: 600, blank: 0 });
    // The adapter's one word box (1,1)-(40,10) in the 200-pixel image is (2,2)-(80,20) on the 400-pixel scan.
    expect(JSON.parse(page!.words)).toEqual([['scripted', 2, 2, 80, 20, 90]]);
  });

  it('a 300 DPI scan is read as it is', async () => {
    const folder = tempDir();
    writeFileSync(path.join(folder, 'scan.tif'), multiPageTiff(1, 200, { dpi: 300 }));
    const engine = testEngine({ workers: 1 });
    await engine.ingest([folder]);
    const [page] = rows<PageRow>(engine, 'SELECT * FROM pages');
    expect(page!.text).toMatch(/ at 300 dpi$/u);
    expect(page).toMatchObject({ width: 200, dpi: 300 });
    expect(JSON.parse(page!.words)).toEqual([['scripted', 1, 1, 40, 10, 90]]);
  });

  it('the blank backs of sheets are not read, and are marked blank', async () => {
    const folder = tempDir();
    const counter = path.join(tempDir(), 'ocr-calls');
    writeFileSync(counter, '');
    // Four sheets scanned front and back: every second page is white.
    writeFileSync(path.join(folder, 'duplex.tif'), multiPageTiff(8, 128, { blank: [2, 4, 6, 8] }));
    const engine = testEngine({ workers: 2, ocrAdapterModule: scriptedOcr('ok', counter) });
    const summary = await engine.ingest([folder]);
    expect(summary.jobs).toMatchObject({ done: 1, quarantined: 0 });
    expect(summary.pages).toMatchObject({ total: 8, ocr: 8, blank: 4 });
    // OCR ran on the four fronts only.
    expect(readFileSync(counter, 'utf8')).toHaveLength(4);
    const pages = rows<PageRow>(engine, 'SELECT * FROM pages ORDER BY page_no');
    expect(pages.map((p) => p.blank)).toEqual([0, 1, 0, 1, 0, 1, 0, 1]);
    expect(pages.filter((p) => p.blank).every((p) => p.text === '' && p.words === '[]' && p.width === 128)).toBe(true);
    const extracted = events(engine, 'page.extracted');
    expect(
      extracted
        .filter((e) => e.blank === true)
        .map((e) => e.pageNo as number)
        .sort((a, b) => a - b),
    ).toEqual([2, 4, 6, 8]); // two threads: in the order they finished
    // The ledger still verifies: a blank page is bound like any other.
    expect(engine.audit.verifyLedger()).toMatchObject({ ok: true });
  });
});

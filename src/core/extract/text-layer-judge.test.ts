import { describe, expect, it } from 'vitest';
import { judgeTextLayer } from './text-layer-judge.js';

describe('judgeTextLayer', () => {
  it('takes a born-digital page with real text', () => {
    expect(judgeTextLayer('Minutes of the records committee, 3 March 2026.', 0).verdict).toBe('real');
  });
  it('finds no layer on an image-only page', () => {
    expect(judgeTextLayer('  \n ', 1)).toMatchObject({ verdict: 'none', glyphs: 0 });
  });
  it('rejects a layer of replacement and private-use characters (fonts without ToUnicode)', () => {
    const judged = judgeTextLayer('\uFFFD\uE001\uE002\uE003 ab', 0);
    expect(judged.verdict).toBe('junk');
    expect(judged.garbageShare).toBeGreaterThan(0.5);
  });
  it("treats a layer over a full-page image as a scanner's OCR layer to redo", () => {
    expect(judgeTextLayer('Plenty of recognised text from the scanner', 0.95).verdict).toBe('junk');
  });
  it('does not let a few glyphs over an illustration stand for the page', () => {
    expect(judgeTextLayer('Fig. 1', 0.3).verdict).toBe('junk');
    expect(judgeTextLayer('A caption and a whole paragraph of body text beside a small figure', 0.3).verdict).toBe('real');
  });
});

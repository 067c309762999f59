import { describe, expect, it } from 'vitest';
import { wordsFromTsv } from './tesseract-ocr.js';

describe('wordsFromTsv', () => {
  it('takes word rows (level 5) as boxes with confidences and skips layout rows and empty words', () => {
    const tsv = [
      'level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext',
      '1\t1\t0\t0\t0\t0\t0\t0\t2550\t3300\t-1\t',
      '4\t1\t1\t1\t1\t0\t882\t131\t775\t86\t-1\t',
      '5\t1\t1\t1\t1\t1\t882\t132\t154\t70\t93.4\tThe',
      '5\t1\t1\t1\t1\t2\t1061\t131\t596\t86\t90.1\tLinnSequencer',
      '5\t1\t1\t1\t1\t3\t1700\t131\t10\t86\t95\t ',
    ].join('\n');
    expect(wordsFromTsv(tsv)).toEqual([
      { text: 'The', x0: 882, y0: 132, x1: 1036, y1: 202, confidence: 93 },
      { text: 'LinnSequencer', x0: 1061, y0: 131, x1: 1657, y1: 217, confidence: 90 },
    ]);
    expect(wordsFromTsv(null)).toEqual([]);
  });
});

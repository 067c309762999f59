import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { corpus } from '../../../test/helpers/fixtures.js';
import { detectFormat } from './detect-format.js';

const head = (file: string): Uint8Array => readFileSync(file).subarray(0, 1024);

describe('detectFormat (by content, never by name)', () => {
  it.each([
    ['scans/linn.png', 'image/png'],
    ['scans/phototest.tif', 'image/tiff'],
    ['scans/eurotext.tif', 'image/tiff'],
    ['pdfs/trivial.pdf', 'application/pdf'],
    ['pdfs/multipage.pdf', 'application/pdf'],
    ['hostile/invalid.pdf', 'application/pdf'],
    ['hostile/skew-encrypted.pdf', 'application/pdf'],
  ])('%s is %s', (file, type) => {
    expect(detectFormat(head(corpus(file)))).toBe(type);
  });

  it('recognises JPEG, big-endian TIFF and BigTIFF signatures', () => {
    expect(detectFormat(Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]))).toBe('image/jpeg');
    expect(detectFormat(Uint8Array.from([0x4d, 0x4d, 0x00, 0x2a, 0, 0, 0, 8]))).toBe('image/tiff');
    expect(detectFormat(Uint8Array.from([0x49, 0x49, 0x2b, 0x00, 8, 0, 0, 0]))).toBe('image/tiff');
  });

  it('accepts a PDF header after leading junk, as PDF readers do', () => {
    expect(detectFormat(Buffer.from('\r\n\r\n%PDF-1.4\n'))).toBe('application/pdf');
  });

  it('rejects text, truncated signatures and empty input', () => {
    expect(detectFormat(Buffer.from('Quarterly report.pdf is really a text file'))).toBeNull();
    expect(detectFormat(Uint8Array.from([0x89, 0x50, 0x4e]))).toBeNull();
    expect(detectFormat(new Uint8Array())).toBeNull();
  });
});

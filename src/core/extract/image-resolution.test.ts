import { createCanvas } from '@napi-rs/canvas';
import { describe, expect, it } from 'vitest';
import { jpegDpi, pngDpi, tiffDpi } from './image-resolution.js';

/** A PNG with a pHYs chunk inserted after IHDR. */
function pngWithPhys(pixelsPerMetre: number, unit = 1): Uint8Array {
  const png = createCanvas(4, 4).encodeSync('png');
  const chunk = Buffer.alloc(21);
  chunk.writeUInt32BE(9, 0);
  chunk.write('pHYs', 4, 'latin1');
  chunk.writeUInt32BE(pixelsPerMetre, 8);
  chunk.writeUInt32BE(pixelsPerMetre, 12);
  chunk[16] = unit;
  // The CRC is not checked by the reader; IHDR ends at 8 + 25.
  return Buffer.concat([png.subarray(0, 33), chunk, png.subarray(33)]);
}

describe('image resolution', () => {
  it('reads PNG pHYs in pixels per metre', () => {
    expect(pngDpi(pngWithPhys(11811))).toBe(300);
    expect(pngDpi(pngWithPhys(11811, 0))).toBeNull(); // aspect ratio only
    expect(pngDpi(createCanvas(4, 4).encodeSync('png'))).toBeNull();
  });
  it('reads the JFIF density of a JPEG', () => {
    const jfif = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 1, 0x01, 0x2c, 0x01, 0x2c, 0, 0]);
    expect(jpegDpi(jfif)).toBe(300);
    jfif[13] = 2; // dots per cm
    jfif[14] = 0;
    jfif[15] = 118;
    expect(jpegDpi(jfif)).toBe(300);
  });
  it('reads TIFF XResolution as a rational, in inches or centimetres, and ignores nonsense', () => {
    expect(tiffDpi({ t282: [[600, 1]], t296: [2] })).toBe(600);
    expect(tiffDpi({ t282: [[118, 1]], t296: [3] })).toBe(300);
    expect(tiffDpi({ t282: [[1, 1]], t296: [2] })).toBeNull();
    expect(tiffDpi({})).toBeNull();
  });
});

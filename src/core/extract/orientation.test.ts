import { describe, expect, it } from 'vitest';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import { halfTurn, unturnWords } from './orientation.js';

describe('orientation', () => {
  it('a box read on the turned page lands on the same pixels of the page as it lies', () => {
    // On a 100 x 50 page, a word at (10,5)-(30,15) lies at (70,35)-(90,45) once the page is turned half round.
    expect(unturnWords([{ text: 'w', x0: 70, y0: 35, x1: 90, y1: 45, confidence: 90 }], 100, 50)).toEqual([
      { text: 'w', x0: 10, y0: 5, x1: 30, y1: 15, confidence: 90 },
    ]);
  });

  it('turns the image half round', async () => {
    const canvas = createCanvas(4, 2);
    const ctx = canvas.getContext('2d');
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, 4, 2);
    ctx.fillStyle = '#000';
    ctx.fillRect(0, 0, 1, 1); // the top-left pixel black
    const turned = await loadImage(Buffer.from(await halfTurn(await canvas.encode('png'))));
    const out = createCanvas(4, 2);
    out.getContext('2d').drawImage(turned, 0, 0);
    const px = out.getContext('2d').getImageData(0, 0, 4, 2).data;
    expect(px[(1 * 4 + 3) * 4]).toBe(0); // now the bottom-right one
    expect(px[0]).toBe(255);
  });
});

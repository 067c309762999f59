import { createCanvas, type Canvas } from '@napi-rs/canvas';

/** mulberry32: a small seeded generator, so a suite's random choices can be made again from its seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A white canvas of `width`×`height` with `lines` typed in black, `gap` pixels apart: a synthetic scan to OCR. */
export function textCanvas(width: number, height: number, lines: string[], font: string, gap: number): Canvas {
  const c = createCanvas(width, height);
  const ctx = c.getContext('2d');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, width, height);
  ctx.fillStyle = '#000';
  ctx.font = font;
  lines.forEach((line, i) => ctx.fillText(line, Math.round(gap * 0.75), gap * (i + 1)));
  return c;
}

import { createCanvas, loadImage } from '@napi-rs/canvas';
import type { Word } from './extract-types.js';

// Sheet feeders put pages in upside down and sideways. Tesseract's layout analysis reads a page turned a
// quarter either way as its lines (0° and 90° came out right here); a page upside down (180°), or a quarter
// the other way (270°), reads as confident-looking garbage. Turning such a page half round brings 180° to
// 0° and 270° to 90°, both of which read. So a page that reads poorly is read once more, turned: upright
// pages that read well pay nothing.

/** Below this mean word confidence (0–100) a page may lie the wrong way up: it is read again, turned. */
export const MISREAD_CONFIDENCE = 60;
/** The turned reading is kept only when it is this many points more confident than the first. */
export const TURN_MARGIN = 10;

/** The page image (PNG or JPEG bytes) turned half round, as PNG. */
export async function halfTurn(image: Uint8Array): Promise<Uint8Array> {
  const img = await loadImage(Buffer.from(image.buffer, image.byteOffset, image.byteLength));
  const canvas = createCanvas(img.width, img.height);
  const ctx = canvas.getContext('2d');
  ctx.translate(img.width, img.height);
  ctx.rotate(Math.PI);
  ctx.drawImage(img, 0, 0);
  return canvas.encode('png');
}

/** Word boxes read on the half-turned image of a `width` × `height` page, placed on the page as it lies. */
export function unturnWords(words: readonly Word[], width: number, height: number): Word[] {
  return words.map((w) => ({ ...w, x0: width - w.x1, y0: height - w.y1, x1: width - w.x0, y1: height - w.y0 }));
}

import { randomBytes } from 'node:crypto';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { defaultPdfAssetsDir, openPdf, renderPage } from '../src/core/extract/pdf-pages.js';

/**
 * A "scan": a Letter page with these lines in Helvetica, rendered to a 300 DPI PNG by pdf.js (with its
 * bundled standard fonts, so no system fonts are needed), optionally degraded like a scanner would:
 * speckle noise (share of pixels flipped), a slight rotation, and binarization back to black and white.
 */
export async function scanImage(
  lines: string[],
  options: { size?: number; noise?: number; rotateDeg?: number; /** 0–1 generator for the noise, to repeat a run exactly. */ random?: () => number } = {},
): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const page = pdf.addPage([612, 792]);
  const size = options.size ?? 13;
  lines.forEach((line, i) => page.drawText(line, { x: 72, y: 720 - i * size * 1.8, size, font }));
  const opened = await openPdf(await pdf.save(), defaultPdfAssetsDir());
  try {
    const p = await opened.doc.getPage(1);
    const rendered = await renderPage(opened.doc, p, 300, 12_000_000);
    if (!options.noise && !options.rotateDeg) return Buffer.from(rendered.image);
    const img = await loadImage(Buffer.from(rendered.image));
    const canvas = createCanvas(img.width, img.height);
    const ctx = canvas.getContext('2d');
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, img.width, img.height);
    ctx.translate(img.width / 2, img.height / 2);
    ctx.rotate(((options.rotateDeg ?? 0) * Math.PI) / 180);
    ctx.drawImage(img, -img.width / 2, -img.height / 2);
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    const data = ctx.getImageData(0, 0, img.width, img.height);
    // Binarize, as a 1-bit scanner does.
    for (let i = 0; i < data.data.length; i += 4) {
      const v = data.data[i]! > 160 ? 255 : 0;
      data.data.set([v, v, v, 255], i);
    }
    if (options.noise) {
      const count = Math.floor(img.width * img.height * options.noise);
      const bytes = options.random ? null : randomBytes(count * 4);
      const random = options.random ?? ((): number => 0);
      for (let i = 0; i < count; i++) {
        const r = bytes ? bytes.readUInt32LE(i * 4) / 2 ** 32 : random();
        const at = Math.floor(r * img.width * img.height) * 4;
        const v = data.data[at]! > 127 ? 0 : 255;
        data.data.set([v, v, v, 255], at);
      }
    }
    ctx.putImageData(data, 0, 0);
    return canvas.encodeSync('png');
  } finally {
    await opened.task.destroy();
  }
}

/**
 * Corrupted inputs derived from test/corpus, reproducibly (seeded): truncations, bit flips, header swaps,
 * absurd dimensions in PNG, TIFF, JPEG and PDF headers, zero-byte files, and files of other kinds named as
 * records. Each input says how it was made, so a failure names its recipe.
 */
import { prng, textCanvas } from '../helpers/synthetic.js';
import { readFileSync, writeFileSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import path from 'node:path';

/** One generated input: its file name and how it was derived. */
export type FuzzInput = { name: string; recipe: string };

const MAGIC: Record<string, Buffer> = {
  png: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  tif: Buffer.from([0x49, 0x49, 0x2a, 0x00]),
  tifbe: Buffer.from([0x4d, 0x4d, 0x00, 0x2a]),
  jpg: Buffer.from([0xff, 0xd8, 0xff, 0xe0]),
  pdf: Buffer.from('%PDF-1.7\n'),
};

/** A PNG with its IHDR width and height replaced (and the chunk's CRC fixed, so decoders reach the sizes). */
function pngWithSize(png: Buffer, width: number, height: number): Buffer {
  const out = Buffer.from(png);
  // Signature (8), IHDR length (4), type (4), then width and height.
  out.writeUInt32BE(width >>> 0, 16);
  out.writeUInt32BE(height >>> 0, 20);
  out.writeUInt32BE(crc32(out.subarray(12, 29)) >>> 0, 29);
  return out;
}

/** A TIFF with ImageWidth (256) and ImageLength (257) of its first IFD replaced. */
function tiffWithSize(tif: Buffer, width: number, height: number): Buffer {
  const out = Buffer.from(tif);
  const le = out[0] === 0x49;
  const u16 = (o: number): number => (le ? out.readUInt16LE(o) : out.readUInt16BE(o));
  const u32 = (o: number): number => (le ? out.readUInt32LE(o) : out.readUInt32BE(o));
  const ifd = u32(4);
  const n = u16(ifd);
  for (let i = 0; i < n; i++) {
    const e = ifd + 2 + i * 12;
    const tag = u16(e);
    if (tag !== 256 && tag !== 257) continue;
    const v = tag === 256 ? width : height;
    // Write as LONG (type 4) so values above 65,535 fit.
    if (le) {
      out.writeUInt16LE(4, e + 2);
      out.writeUInt32LE(1, e + 4);
      out.writeUInt32LE(v >>> 0, e + 8);
    } else {
      out.writeUInt16BE(4, e + 2);
      out.writeUInt32BE(1, e + 4);
      out.writeUInt32BE(v >>> 0, e + 8);
    }
  }
  return out;
}

/** A JPEG with the height and width of its first start-of-frame marker replaced. */
function jpegWithSize(jpg: Buffer, width: number, height: number): Buffer {
  const out = Buffer.from(jpg);
  for (let i = 2; i < out.length - 9;) {
    if (out[i] !== 0xff) break;
    const marker = out[i + 1]!;
    const len = out.readUInt16BE(i + 2);
    if (marker >= 0xc0 && marker <= 0xc3) {
      out.writeUInt16BE(height & 0xffff, i + 5);
      out.writeUInt16BE(width & 0xffff, i + 7);
      return out;
    }
    i += 2 + len;
  }
  return out;
}

/** A small real JPEG with a line of text, made here (the corpus has none). */
function sampleJpeg(): Buffer {
  return textCanvas(600, 200, ['Records request 2026-0142'], '32px sans-serif', 100).encodeSync('jpeg', 90);
}

/**
 * Writes the inputs into `outDir` and returns their recipes. `sources` are corpus files (PNG, TIFF, PDF);
 * about 530 inputs for the default corpus selection.
 */
export function writeFuzzInputs(outDir: string, sources: string[], seed = 1): FuzzInput[] {
  const rand = prng(seed);
  const made: FuzzInput[] = [];
  const put = (name: string, bytes: Buffer | string, recipe: string): void => {
    writeFileSync(path.join(outDir, name), bytes);
    made.push({ name, recipe });
  };
  const files: { base: string; ext: string; bytes: Buffer }[] = sources.map((p) => ({
    base: path.basename(p),
    ext: path.extname(p).slice(1).toLowerCase(),
    bytes: readFileSync(p),
  }));
  files.push({ base: 'sample.jpg', ext: 'jpg', bytes: sampleJpeg() });

  for (const f of files) {
    for (const frac of [0, 0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99]) {
      const at = Math.max(1, Math.floor(f.bytes.length * frac));
      put(`trunc-${frac}-${f.base}`, f.bytes.subarray(0, at), `${f.base} truncated to ${at} bytes`);
    }
    for (const bits of [1, 1, 1, 1, 2, 2, 2, 2, 4, 4, 4, 4, 16, 16, 16, 16, 64, 64, 64, 64, 256, 256, 256, 256]) {
      const b = Buffer.from(f.bytes);
      const where: number[] = [];
      for (let k = 0; k < bits; k++) {
        const pos = Math.floor(rand() * b.length);
        b[pos]! ^= 1 << Math.floor(rand() * 8);
        where.push(pos);
      }
      put(`flip${bits}-${made.length}-${f.base}`, b, `${f.base} with ${bits} bit(s) flipped at ${where.slice(0, 4).join(',')}${bits > 4 ? '…' : ''}`);
    }
    for (const [kind, magic] of Object.entries(MAGIC)) {
      if (kind === f.ext || (kind === 'tifbe' && f.ext === 'tif')) continue;
      const b = Buffer.concat([magic, f.bytes.subarray(magic.length)]);
      put(`swap-${kind}-${f.base}`, b, `${f.base} with a ${kind} header`);
    }
  }

  const huge: [number, number][] = [
    [0, 0],
    [1, 0x7fffffff],
    [0x7fffffff, 1],
    [65_535, 65_535],
    [100_000, 100_000],
    [0xffffffff, 0xffffffff],
  ];
  for (const f of files) {
    for (const [w, h] of huge) {
      const tag = `${w}x${h}`;
      if (f.ext === 'png') put(`dims-${tag}-${f.base}`, pngWithSize(f.bytes, w, h), `${f.base} claiming ${tag} pixels`);
      if (f.ext === 'tif') put(`dims-${tag}-${f.base}`, tiffWithSize(f.bytes, w, h), `${f.base} claiming ${tag} pixels`);
      if (f.ext === 'jpg') put(`dims-${tag}-${f.base}`, jpegWithSize(f.bytes, w, h), `${f.base} claiming ${w & 0xffff}x${h & 0xffff} pixels`);
    }
    if (f.ext === 'pdf') {
      const text = f.bytes.toString('latin1');
      put(
        `dims-mediabox-${f.base}`,
        Buffer.from(text.replace(/\/MediaBox\s*\[[^\]]*\]/gu, '/MediaBox [0 0 14400000 14400000]'), 'latin1'),
        `${f.base} with a 200-km page`,
      );
      put(
        `dims-image-${f.base}`,
        Buffer.from(text.replace(/\/(Width|Height)\s+\d+/gu, '/$1 99999999'), 'latin1'),
        `${f.base} with images claiming 99999999 pixels a side`,
      );
      put(
        `dims-negative-${f.base}`,
        Buffer.from(text.replace(/\/MediaBox\s*\[[^\]]*\]/gu, '/MediaBox [0 0 -612 -792]'), 'latin1'),
        `${f.base} with a negative page`,
      );
    }
  }

  for (const ext of ['pdf', 'tif', 'tiff', 'png', 'jpg']) put(`empty.${ext}`, Buffer.alloc(0), `zero bytes named .${ext}`);
  const impostors: [string, Buffer][] = [
    ['text', Buffer.from('Dear records officer,\nplease find attached.\n')],
    ['random', Buffer.from(Array.from({ length: 4096 }, () => Math.floor(rand() * 256)))],
    ['elf', Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]), Buffer.alloc(500)])],
    ['zip', Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(300)])],
    ['html', Buffer.from('<!doctype html><title>x</title><img src="http://example.org/x.png">')],
    ['pdf-header-only', Buffer.from('%PDF-1.4\n')],
    ['png-signature-only', MAGIC.png!],
  ];
  for (const [kind, bytes] of impostors) for (const ext of ['pdf', 'tif']) put(`not-${kind}.${ext}`, bytes, `${kind} content named .${ext}`);
  return made;
}

import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCanvas } from '@napi-rs/canvas';
import { afterAll, afterEach } from 'vitest';

/** Repository root. */
export const REPO = path.resolve(import.meta.dirname, '..', '..');

/** The shared test corpus beside the repository (real scans and PDFs with ground truth). */
export function corpus(...parts: string[]): string {
  const dir = path.resolve(REPO, '..', 'shared', 'corpus');
  if (!existsSync(dir)) throw new Error(`test corpus not found at ${dir}; it must sit beside the repository as ../shared/corpus`);
  return path.join(dir, ...parts);
}

/** Sample files shipped in the repository. */
export function sample(...parts: string[]): string {
  return path.join(REPO, 'resources', 'samples', ...parts);
}

const made: string[] = [];
afterEach(() => {
  while (made.length) rmSync(made.pop()!, { recursive: true, force: true });
});

const madeForFile: string[] = [];
afterAll(() => {
  while (madeForFile.length) rmSync(madeForFile.pop()!, { recursive: true, force: true });
});

/** A fresh temporary folder (real path), removed after the test. */
export function tempDir(prefix = 'custodian-test-'): string {
  const dir = realpathSync(mkdtempSync(path.join(os.tmpdir(), prefix)));
  made.push(dir);
  return dir;
}

/** A fresh temporary folder for a whole test file (made in `beforeAll`), removed after the file. */
export function suiteTempDir(prefix = 'custodian-suite-'): string {
  const dir = realpathSync(mkdtempSync(path.join(os.tmpdir(), prefix)));
  madeForFile.push(dir);
  return dir;
}

/** Writes a file, creating parent folders. */
export function write(file: string, content: string | Uint8Array): string {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, content);
  return file;
}

/** Bytes that intake recognises as a PNG (the signature) followed by unique content. */
export function pngLike(size = 2048): Buffer {
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(Math.max(0, size - 8))]);
}

/** Hex digest of bytes. */
export function digest(bytes: Uint8Array | string, algorithm = 'sha256'): string {
  return createHash(algorithm).update(bytes).digest('hex');
}

/**
 * Writes a BagIt bag (RFC 8493) holding `files` under data/, with a SHA-256 payload manifest, and
 * returns the digests written.
 */
export function writeBag(root: string, files: Record<string, Uint8Array | string>, algorithms: string[] = ['sha256']): void {
  write(path.join(root, 'bagit.txt'), 'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n');
  for (const [rel, content] of Object.entries(files)) write(path.join(root, 'data', rel), content);
  for (const alg of algorithms) {
    const lines = Object.entries(files).map(([rel, content]) => `${digest(content, alg)}  data/${rel}`);
    write(path.join(root, `manifest-${alg}.txt`), `${lines.join('\n')}\n`);
  }
}

/** Module URL of the scripted test OCR adapter (see test/fixtures/ocr/scripted-ocr.mjs). */
export function scriptedOcr(script = 'ok', counter?: string, delayMs = 0): string {
  const url = new URL(`file://${path.join(REPO, 'test', 'fixtures', 'ocr', 'scripted-ocr.mjs')}`);
  url.searchParams.set('script', script);
  if (counter) url.searchParams.set('counter', counter);
  if (delayMs) url.searchParams.set('delay', String(delayMs));
  return url.href;
}

/** A real, decodable PNG with unique content (random pixels), `side` pixels square. */
export function realPng(side = 48): Buffer {
  const canvas = createCanvas(side, side);
  const ctx = canvas.getContext('2d');
  const img = ctx.createImageData(side, side);
  const noise = randomBytes(side * side);
  for (let i = 0; i < side * side; i++) {
    const v = noise[i]! > 127 ? 255 : 0;
    img.data.set([v, v, v, 255], i * 4);
  }
  ctx.putImageData(img, 0, 0);
  return canvas.encodeSync('png');
}

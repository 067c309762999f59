/**
 * Files whose headers, checksums or structure lie, through the real pool (found by `npm run test:fuzz`): bad
 * bytes are quarantined with the file's reason (undecodable-image, invalid-pdf), never counted as OCR engine
 * failures, which are retried and open the circuit breaker.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { testEngine, rows } from './helpers/engine.js';
import { corpus, realPng, tempDir } from './helpers/fixtures.js';

/** A PNG whose zlib stream's Adler-32 is wrong (chunk CRC fixed): Skia decodes it, libpng (tesseract's) refuses it. */
function pngWithBadAdler(png: Buffer): Buffer {
  const out = Buffer.from(png);
  for (let at = 8; at < out.length;) {
    const len = out.readUInt32BE(at);
    if (out.toString('latin1', at + 4, at + 8) === 'IDAT') {
      out[at + 8 + len - 1]! ^= 0xff;
      out.writeUInt32BE(crc32(out.subarray(at + 4, at + 8 + len)) >>> 0, at + 8 + len);
      return out;
    }
    at += 12 + len;
  }
  throw new Error('no IDAT');
}

/** A PNG claiming 0 x 0 pixels (CRC fixed). */
function pngZeroSized(png: Buffer): Buffer {
  const out = Buffer.from(png);
  out.writeUInt32BE(0, 16);
  out.writeUInt32BE(0, 20);
  out.writeUInt32BE(crc32(out.subarray(12, 29)) >>> 0, 29);
  return out;
}

describe('images that lie', () => {
  it('OCRs what our decoder reads when the OCR engine refuses the bytes, and quarantines sizes no page has', async () => {
    const dir = path.join(tempDir('custodian-lie-'), 'in');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'bad-adler.png'), pngWithBadAdler(realPng(200)));
    writeFileSync(path.join(dir, 'zero.png'), pngZeroSized(realPng(64)));
    writeFileSync(path.join(dir, 'fine.png'), realPng(120));
    const engine = testEngine({ realOcr: true, workers: 1 });
    await engine.ingest([dir]);
    const jobs = rows<{ name: string; state: string; error: string | null }>(
      engine,
      `SELECT d.first_path AS name, j.state, j.last_error AS error FROM jobs j JOIN documents d ON d.id = j.document_id ORDER BY d.first_path`,
    ).map((r) => ({ ...r, name: path.basename(r.name) }));
    expect(jobs).toEqual([
      { name: 'bad-adler.png', state: 'done', error: null },
      { name: 'fine.png', state: 'done', error: null },
      { name: 'zero.png', state: 'quarantined', error: 'undecodable-image' },
    ]);
    // Bad input is not an engine failure: no retry, no breaker.
    expect(rows(engine, `SELECT type FROM ledger WHERE type IN ('page.retry', 'breaker.opened')`)).toEqual([]);
  });

  it('quarantines a PDF that pdf.js cannot parse at its page as invalid-pdf, without retries', async () => {
    const dir = path.join(tempDir('custodian-lie-'), 'in');
    mkdirSync(dir);
    // trivial.pdf with its one stream left unterminated: it opens, but page 1 throws "Missing endstream command".
    const trivial = readFileSync(corpus('pdfs', 'trivial.pdf'), 'latin1');
    writeFileSync(path.join(dir, 'no-endstream.pdf'), Buffer.from(trivial.replace('endstream', 'endstrean'), 'latin1'));
    const engine = testEngine();
    const summary = await engine.ingest([dir]);
    expect(summary.jobs).toMatchObject({ total: 1, quarantined: 1 });
    expect(engine.quarantine.list()).toEqual([expect.objectContaining({ reasonCode: 'invalid-pdf' })]);
    expect(rows(engine, `SELECT type FROM ledger WHERE type IN ('page.retry', 'breaker.opened')`)).toEqual([]);
  });
});

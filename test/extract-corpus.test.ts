import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corpus, suiteTempDir } from './helpers/fixtures.js';
import { events, rows } from './helpers/engine.js';
import { cer } from '../bench/cer.js';
import { Engine } from '../src/core/index.js';
import type { IngestSummary } from '../src/shared/types.js';

/**
 * The whole test corpus, with real tesseract.js and pdf.js in a real pool: every file processed or
 * quarantined as corpus/README.md says, and hostile/ never crashes or stalls the batch.
 */
describe('text extraction over test/corpus (real OCR)', () => {
  let engine: Engine;
  let summary: IngestSummary;
  const docByName = (name: string) => engine.documents.list().find((d) => path.basename(d.path) === name)!;
  const textOf = (name: string) =>
    engine.documents
      .text(String(docByName(name).id))
      .map((p) => p.text ?? '')
      .join('\n');

  beforeAll(async () => {
    engine = Engine.open({ dataDir: suiteTempDir('custodian-corpus-') });
    summary = await engine.ingest([corpus('scans'), corpus('pdfs'), corpus('hostile')]);
  }, 600_000);
  afterAll(() => engine.close());

  it('finishes the batch: every record done or quarantined, none pending', () => {
    expect(summary.registered).toBe(20);
    expect(summary.jobs).toMatchObject({ total: 20, pending: 0, failed: 0 });
    expect(summary.jobs.done + summary.jobs.quarantined).toBe(20);
    expect(engine.audit.verifyLedger().ok).toBe(true);
  });

  it('quarantines exactly what the corpus README says cannot be processed, with reason codes', () => {
    const held = engine.quarantine.list().map((q) => [path.basename(q.path), q.reasonCode]);
    const why = engine.quarantine.list().map((q) => `${path.basename(q.path)}: ${q.reasonCode} ${JSON.stringify(q.detail)}`);
    expect(held.sort(), why.join('\n')).toEqual([
      ['hugemono.pdf', 'too-large'],
      ['invalid.pdf', 'invalid-pdf'],
      ['skew-encrypted.pdf', 'encrypted'],
    ]);
  });

  it('processes the odd but valid hostile files; blank pages give empty text, not errors', () => {
    for (const name of ['enormous.pdf', 'blank.pdf', 'no_contents.pdf', 'kcs.pdf']) expect(docByName(name).state, name).toBe('done');
    expect(textOf('blank.pdf').trim()).toBe('');
    expect(textOf('no_contents.pdf').trim()).toBe('');
    expect(textOf('trivial.pdf').trim()).toBe('');
  });

  it('reads scans within a few points of ground truth; the two-column page column by column', () => {
    const linn = cer(textOf('linn.png'), readFileSync(corpus('scans/linn.txt'), 'utf8'));
    const phototest = cer(textOf('phototest.tif'), readFileSync(corpus('scans/phototest.gold.txt'), 'utf8'));
    // Reference (native tesseract 5.3, same model, PSM 3): linn 1.0%, phototest 0%. PSM 6 would give ~38% on linn.
    expect(linn).toBeLessThan(0.03);
    expect(phototest).toBeLessThan(0.02);
    // The skewed scan of the same page is still readable.
    expect(cer(textOf('skew.pdf'), readFileSync(corpus('scans/linn.txt'), 'utf8'))).toBeLessThan(0.15);
  });

  it('renders CCITT and JBIG2 pages (offline wasm decoders) and OCRs them', () => {
    for (const name of ['ccitt.pdf', 'jbig2.pdf']) {
      const [page] = engine.documents.text(String(docByName(name).id));
      expect(page!.method).toBe('ocr');
      expect(page!.text!.length, name).toBeGreaterThan(1000);
      expect(page!.confidence!).toBeGreaterThan(80);
    }
  });

  it('stores per page: method, confidence, word boxes and size', () => {
    const pages = engine.documents.text(String(docByName('multipage.pdf').id));
    expect(pages).toHaveLength(6);
    for (const p of pages) {
      expect(p.state).toBe('done');
      expect(p.method).toMatch(/^(ocr|text-layer)$/);
      expect(p.words.length).toBeGreaterThan(0);
      const [text, x0, y0, x1, y1, conf] = p.words[0]!;
      expect(text.length).toBeGreaterThan(0);
      expect(x1).toBeGreaterThan(x0);
      expect(y1).toBeGreaterThan(y0);
      expect(conf).toBeGreaterThanOrEqual(0);
    }
    const stored = rows<{ width: number; height: number; dpi: number; duration_ms: number }>(
      engine,
      'SELECT width, height, dpi, duration_ms FROM pages WHERE document_id = ?',
      docByName('multipage.pdf').id,
    );
    expect(stored.every((r) => r.width > 0 && r.height > 0 && r.dpi > 0 && r.duration_ms >= 0)).toBe(true);
  });

  it('spreads a multi-page PDF over the pool page by page', () => {
    const id = docByName('multipage.pdf').id;
    const threads = new Set(
      events(engine, 'page.extracted')
        .filter((e) => e.documentId === id)
        .map((e) => e.threadId),
    );
    expect(threads.size).toBe(Math.min(2, engine.workers!.threads));
  });

  it('records the pool size and why, and resource figures on page events', () => {
    const [started] = events(engine, 'pool.started');
    expect(started).toMatchObject({ threads: expect.any(Number), cores: expect.any(Number), reason: expect.any(String), perWorkerMb: expect.any(Number) });
    const page = events(engine, 'page.extracted')[0]!;
    expect(page).toMatchObject({ threadId: expect.any(Number), rssMb: expect.any(Number), cpuMs: expect.any(Number), wallMs: expect.any(Number) });
    const quarantined = events(engine, 'job.quarantined');
    expect(quarantined.every((q) => typeof q.code === 'string')).toBe(true);
  });

  it('keeps document text out of the ledger', () => {
    const payloads = rows<{ payload: string }>(engine, 'SELECT payload FROM ledger')
      .map((r) => r.payload)
      .join('\n');
    expect(payloads).not.toContain('LinnSequencer');
    expect(payloads).not.toContain('quick brown');
  });

  it('summarises pages by method', () => {
    // 25 pages in the corpus; hugemono.pdf's one page is quarantined, so not counted.
    expect(summary.pages.total).toBe(24);
    expect(summary.pages.ocr + summary.pages.textLayer + summary.pages.fallback).toBe(summary.pages.total);
  });
});

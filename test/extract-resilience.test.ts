import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { multiPageTiff, realPng, scannedPdfWithLayer, scriptedOcr, tempDir, textPdf, write } from './helpers/fixtures.js';
import { events, rows, testEngine } from './helpers/engine.js';

/**
 * Fault injection through the scripted OCR adapter, loaded by the real piscina threads in place of
 * tesseract.js: failures, hangs and thread crashes happen inside a real pool, and retry, timeout, the
 * circuit breaker and fallback are cockatiel's and the dispatcher's real code.
 */

/** A folder with the given files written into it. */
function folder(files: Record<string, Uint8Array>): string {
  const dir = tempDir('custodian-drop-');
  for (const [name, bytes] of Object.entries(files)) write(path.join(dir, name), bytes);
  return dir;
}

/** An engine whose OCR follows `script` (see test/fixtures/ocr/scripted-ocr.mjs), one step per OCR call. */
function scripted(script: string, options: Parameters<typeof testEngine>[0] = {}) {
  const counter = path.join(tempDir('custodian-counter-'), 'calls');
  return testEngine({ workers: 1, ocrAdapterModule: scriptedOcr(script, counter), ...options });
}

const fast = { initialDelayMs: 10, maxDelayMs: 50 };

function pagesOf(engine: ReturnType<typeof testEngine>) {
  return rows<{ page_no: number; state: string; method: string; text: string; attempts: number }>(
    engine,
    'SELECT page_no, state, method, text, attempts FROM pages ORDER BY document_id, page_no',
  );
}

describe('fault injection in the real pool', () => {
  it('retries a transient OCR failure with backoff and keeps the page (fail, fail, ok)', async () => {
    const engine = scripted('fail,fail,ok', { resilience: { ...fast, breakerFailures: 10 } });
    const summary = await engine.ingest([folder({ 'scan.png': realPng() })]);
    expect(summary.jobs).toMatchObject({ done: 1, quarantined: 0 });
    expect(pagesOf(engine)).toMatchObject([{ state: 'done', method: 'ocr', attempts: 3 }]);
    const retries = events(engine, 'page.retry');
    expect(retries.map((r) => r.attempt)).toEqual([1, 2]);
    for (const r of retries) {
      expect(r).toMatchObject({ code: 'ocr-failed', pageNo: 1 });
      // Resource figures of the thread that failed.
      expect(r).toEqual(
        expect.objectContaining({ threadId: expect.any(Number), rssMb: expect.any(Number), cpuMs: expect.any(Number), wallMs: expect.any(Number) }),
      );
    }
    expect(events(engine, 'breaker.opened')).toHaveLength(0);
    expect(engine.audit.verifyLedger().ok).toBe(true);
  });

  it('quarantines a page as ocr-failed once the retry policy gives up; the batch goes on', async () => {
    const engine = scripted('fail', { resilience: { ...fast, maxAttempts: 3, breakerFailures: 100 } });
    const summary = await engine.ingest([folder({ 'bad.png': realPng(), 'notes.pdf': await textPdf(['Minutes of the records committee']) })]);
    expect(summary.jobs).toMatchObject({ total: 2, done: 1, quarantined: 1, pending: 0 });
    const [held] = engine.quarantine.list();
    expect(held).toMatchObject({ reasonCode: 'ocr-failed' });
    expect(path.basename(held!.path)).toBe('bad.png');
    expect(held!.detail).toMatchObject({ pageNo: 1, lastCode: 'ocr-failed' });
    expect(events(engine, 'page.retry')).toHaveLength(2);
    // The text-layer PDF never needed OCR.
    expect(pagesOf(engine).find((p) => p.method === 'text-layer')?.text).toContain('records committee');
  });

  it('replaces a crashed worker thread and retries the page on a fresh one (crash, ok)', async () => {
    const engine = scripted('crash,ok', { resilience: fast });
    const summary = await engine.ingest([folder({ 'scan.png': realPng() })]);
    expect(summary.jobs).toMatchObject({ done: 1, quarantined: 0 });
    const [retry] = events(engine, 'page.retry');
    expect(retry).toMatchObject({ attempt: 1, code: 'worker-crashed', threadLost: true, threadId: null });
    expect(retry!.rssMb).toEqual(expect.any(Number));
    expect(pagesOf(engine)).toMatchObject([{ state: 'done', method: 'ocr' }]);
  });

  it('aborts a hung page at the per-page timeout and retries it on a fresh thread (hang, ok)', async () => {
    const engine = scripted('hang,ok', { resilience: { ...fast, pageTimeoutMs: 1500 } });
    const summary = await engine.ingest([folder({ 'scan.png': realPng() })]);
    expect(summary.jobs).toMatchObject({ done: 1, quarantined: 0 });
    expect(events(engine, 'page.retry')).toMatchObject([{ attempt: 1, code: 'timeout' }]);
  });

  it('opens the breaker, falls back to the text layer, probes half-open, closes, and re-queues the fallback pages for OCR', async () => {
    // Two failures open the breaker (2 consecutive); the third attempt is refused by the open breaker.
    const engine = scripted('fail,fail,ok', { resilience: { ...fast, maxAttempts: 3, breakerFailures: 2, halfOpenAfterMs: 300 } });
    const summary = await engine.ingest([folder({ 'scanned.pdf': await scannedPdfWithLayer(['Scanner layer one', 'Scanner layer two']) })]);
    expect(summary.jobs).toMatchObject({ done: 1, quarantined: 0 });

    const types = rows<{ type: string }>(engine, `SELECT type FROM ledger WHERE type LIKE 'breaker.%' OR type LIKE 'page.%' ORDER BY seq`).map((r) => r.type);
    const order = (t: string) => types.indexOf(t);
    expect(order('breaker.opened')).toBeGreaterThan(-1);
    expect(order('page.fallback')).toBeGreaterThan(order('breaker.opened'));
    expect(order('breaker.half-open')).toBeGreaterThan(order('page.fallback'));
    expect(order('breaker.closed')).toBeGreaterThan(order('breaker.half-open'));
    expect(order('page.requeued-for-ocr')).toBeGreaterThan(order('breaker.closed'));
    // Both pages degraded to the layer while open; both were OCRed once the breaker closed.
    expect(events(engine, 'page.fallback')).toHaveLength(2);
    expect(events(engine, 'page.requeued-for-ocr')).toHaveLength(1); // the other page was the probe
    expect(pagesOf(engine)).toMatchObject([
      { state: 'done', method: 'ocr', text: expect.stringContaining('scripted text') },
      { state: 'done', method: 'ocr', text: expect.stringContaining('scripted text') },
    ]);
    // The breaker event says what tripped it, with resource figures.
    expect(events(engine, 'breaker.opened')[0]).toMatchObject({ lastFailure: { code: 'ocr-failed', threadId: expect.any(Number) } });
    expect(summary.pages).toEqual({ total: 2, ocr: 2, textLayer: 0, fallback: 0, blank: 0 });
  });

  it('keeps the fallback text when OCR never comes back', async () => {
    const engine = scripted('fail', { resilience: { ...fast, maxAttempts: 2, breakerFailures: 1, halfOpenAfterMs: 100, maxParkRounds: 2 } });
    const summary = await engine.ingest([folder({ 'scanned.pdf': await scannedPdfWithLayer(['Only the scanner layer']) })]);
    expect(summary.jobs).toMatchObject({ done: 1, quarantined: 0 });
    expect(pagesOf(engine)).toMatchObject([{ state: 'done', method: 'fallback', text: expect.stringContaining('Only the scanner layer') }]);
    expect(events(engine, 'page.ocr-gave-up')).toHaveLength(1);
    expect(summary.pages).toMatchObject({ total: 1, fallback: 1 });
  });

  it('parks a page without any text while the breaker is open and quarantines it when every probe fails', async () => {
    const engine = scripted('fail', { resilience: { ...fast, maxAttempts: 2, breakerFailures: 1, halfOpenAfterMs: 100, maxParkRounds: 2 } });
    const summary = await engine.ingest([folder({ 'scan.png': realPng() })]);
    expect(summary.jobs).toMatchObject({ done: 0, quarantined: 1, pending: 0 });
    expect(engine.quarantine.list()[0]).toMatchObject({ reasonCode: 'ocr-failed' });
    // Opened, then re-opened after each failed probe: timers, not a busy loop.
    expect(events(engine, 'breaker.half-open').length).toBeGreaterThanOrEqual(2);
    expect(events(engine, 'breaker.opened').length).toBe(events(engine, 'breaker.half-open').length + 1);
  });
});

describe('page-sized work and backpressure', () => {
  it('extracts every page of a multi-page TIFF', async () => {
    const engine = testEngine();
    const summary = await engine.ingest([folder({ 'three.tif': multiPageTiff(3) })]);
    expect(summary.pages).toEqual({ total: 3, ocr: 3, textLayer: 0, fallback: 0, blank: 0 });
    expect(pagesOf(engine).map((p) => p.page_no)).toEqual([1, 2, 3]);
  });

  it('uses a real PDF text layer without OCR (method text-layer) and keeps its word boxes', async () => {
    const engine = testEngine({ ocrAdapterModule: scriptedOcr('fail') });
    const summary = await engine.ingest([folder({ 'memo.pdf': await textPdf(['Request 2026-114 received', 'Second page of the memo']) })]);
    expect(summary.pages).toEqual({ total: 2, ocr: 0, textLayer: 2, fallback: 0, blank: 0 });
    const [first] = engine.documents.text(String(engine.documents.list()[0]!.id));
    expect(first!.text).toContain('Request 2026-114 received');
    expect(first!.words.length).toBeGreaterThan(0);
  });

  it('pauses intake above the high watermark and resumes at the low one', async () => {
    const files = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`scan-${i}.png`, realPng(32)]));
    const engine = testEngine({ workers: 1, queueWatermarks: { high: 2, low: 1 }, ocrAdapterModule: scriptedOcr('ok', undefined, 50) });
    const summary = await engine.ingest([folder(files)]);
    expect(summary.jobs).toMatchObject({ total: 12, done: 12 });
    const paused = events(engine, 'intake.paused');
    const resumed = events(engine, 'intake.resumed');
    expect(paused.length).toBeGreaterThan(0);
    expect(resumed.length).toBe(paused.length);
    for (const p of paused) expect(p.queueDepth as number).toBeGreaterThan(2);
    for (const r of resumed) expect(r.queueDepth as number).toBeLessThanOrEqual(1);
  });
});

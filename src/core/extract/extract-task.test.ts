import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { digest, scriptedOcr, tempDir, textPdf, write } from '../../../test/helpers/fixtures.js';
import { createWorkerState, runExtractTask, type WorkerConfig } from './extract-task.js';
import { defaultPdfAssetsDir } from './pdf-pages.js';

const config = (lane: WorkerConfig['lane']): WorkerConfig => ({
  ocrAdapterModule: scriptedOcr(),
  langPath: '',
  pdfAssetsDir: defaultPdfAssetsDir(),
  maxPixels: 12_000_000,
  recyclePages: 200,
  recycleRssMb: 100_000,
  renderDpi: 300,
  lane,
  findingKey: 'k'.repeat(64),
});

describe('runExtractTask lane separation', () => {
  it('finds identifiers in the thread and marks a lower-lane thread that met them as tainted', async () => {
    const bytes = await textPdf(['Employee SSN 536-22-1234']);
    const file = write(path.join(tempDir(), 'memo.pdf'), bytes);
    const state = createWorkerState(config('public'));
    const r = await runExtractTask({ kind: 'page', path: file, sha256: digest(bytes), mediaType: 'application/pdf', pageNo: 1, mode: 'auto' }, state);
    expect(r).toMatchObject({ ok: true, findings: [{ type: 'ssn', page: 1 }] });
    expect(state.tainted).toBe(true);
    const pii = createWorkerState(config('pii'));
    await runExtractTask({ kind: 'page', path: file, sha256: digest(bytes), mediaType: 'application/pdf', pageNo: 1, mode: 'auto' }, pii);
    expect(pii.tainted).toBe(false); // its own lane
  });

  it('refuses work, once, when it has held a document now restricted above its lane', async () => {
    const a = await textPdf(['Cover letter']);
    const b = await textPdf(['Annual report']);
    const dir = tempDir();
    const fa = write(path.join(dir, 'a.pdf'), a);
    const fb = write(path.join(dir, 'b.pdf'), b);
    const state = createWorkerState(config('public'));
    await runExtractTask({ kind: 'page', path: fa, sha256: digest(a), mediaType: 'application/pdf', pageNo: 1, mode: 'auto' }, state);
    const next = await runExtractTask(
      { kind: 'page', path: fb, sha256: digest(b), mediaType: 'application/pdf', pageNo: 1, mode: 'auto', restricted: [digest(a)] },
      state,
    );
    expect(next).toMatchObject({ ok: false, code: 'thread-retired', hard: false });
    expect(state.tainted).toBe(true);
    // A fresh thread that never held it takes the same task.
    const fresh = createWorkerState(config('public'));
    expect(
      await runExtractTask(
        { kind: 'page', path: fb, sha256: digest(b), mediaType: 'application/pdf', pageNo: 1, mode: 'auto', restricted: [digest(a)] },
        fresh,
      ),
    ).toMatchObject({ ok: true, method: 'text-layer' });
  });
});

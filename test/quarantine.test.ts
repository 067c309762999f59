import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { corpus, digest, realPng, tempDir, write, writeBag } from './helpers/fixtures.js';
import { events, rows, testEngine } from './helpers/engine.js';

describe('quarantine actions', () => {
  it('retry registers a file once the problem is fixed, and keeps it held while it is not', async () => {
    const bag = tempDir();
    const good = realPng();
    writeBag(bag, { 'p.png': good });
    const file = path.join(bag, 'data', 'p.png');
    writeFileSync(file, realPng()); // damaged in transit
    const engine = testEngine();
    const { batchId } = await engine.ingest([bag]);
    const [item] = engine.quarantine.list();
    expect(item!.reasonCode).toBe('digest-mismatch');

    expect(await engine.quarantine.retry(item!.id)).toMatchObject({ outcome: 'still-held' });
    writeFileSync(file, good); // the custodian re-sends the right file
    const retried = await engine.quarantine.retry(item!.id);
    expect(retried).toMatchObject({ outcome: 'passed', documentId: expect.any(Number), item: { state: 'resolved' } });
    expect(engine.quarantine.list()).toEqual([]);
    expect(rows(engine, `SELECT state FROM jobs WHERE document_id = ?`, retried.documentId)).toEqual([{ state: 'done' }]);
    expect(events(engine, 'quarantine.retried').map((e) => e.result)).toEqual(['still-held', 'passed']);
    // The batch was reopened for the new record and completed again.
    expect(events(engine, 'batch.reopened')).toEqual([{ batchId, quarantineId: item!.id }]);
    expect(rows(engine, 'SELECT state FROM batches')).toEqual([{ state: 'done' }]);
    expect(engine.audit.verifyLedger().ok).toBe(true);
  });

  it('release requires a reason, registers the file as it is, and records who decided why', async () => {
    const dir = tempDir();
    const bytes = readFileSync(corpus('scans/phototest.tif'));
    write(path.join(dir, 'scan.tif'), bytes);
    write(path.join(dir, 'custody-manifest.csv'), `path,sha256,retention\nscan.tif,${digest(bytes)},expired\n`);
    const engine = testEngine();
    await engine.ingest([dir]);
    const [item] = engine.quarantine.list();
    expect(item!.reasonCode).toBe('retention');
    await expect(engine.quarantine.release(item!.id, '   ')).rejects.toMatchObject({ code: 'invalid-argument' });
    const released = await engine.quarantine.release(item!.id, 'Retention schedule extended by records officer, memo 2026-114');
    expect(released).toMatchObject({ outcome: 'released', documentId: expect.any(Number), item: { state: 'released' } });
    expect(engine.quarantine.list({ all: true })[0]).toMatchObject({ resolution: 'Retention schedule extended by records officer, memo 2026-114' });
    expect(events(engine, 'quarantine.released')).toEqual([
      {
        quarantineId: item!.id,
        code: 'retention',
        reason: 'Retention schedule extended by records officer, memo 2026-114',
        outcome: 'registered',
        documentId: released.documentId,
      },
    ]);
    await expect(engine.quarantine.release(item!.id, 'again')).rejects.toMatchObject({ code: 'invalid-state' });
  });

  it('release of an item with no file acknowledges it', async () => {
    const bag = tempDir();
    writeBag(bag, { 'gone.png': realPng() });
    rmSync(path.join(bag, 'data', 'gone.png'));
    const engine = testEngine();
    await engine.ingest([bag]);
    const [item] = engine.quarantine.list();
    expect(item!.reasonCode).toBe('missing-from-payload');
    expect(await engine.quarantine.release(item!.id, 'Sender confirms the page was never scanned')).toMatchObject({ documentId: null });
    expect(rows(engine, 'SELECT COUNT(*) AS n FROM documents')).toEqual([{ n: 0 }]);
  });

  it('retry of a quarantined job re-queues and processes it', async () => {
    const root = tempDir();
    const file = write(path.join(root, 'scan.png'), realPng());
    const original = readFileSync(file);
    const engine = testEngine({
      onProgress: (p) => {
        if (p.phase === 'hashing' && p.filesDone === p.filesTotal && p.filesTotal > 0) writeFileSync(file, realPng());
      },
    });
    await engine.ingest([root]);
    const [item] = engine.quarantine.list();
    expect(item!.reasonCode).toBe('changed-since-intake');
    writeFileSync(file, original); // the original is restored from the scanner's archive
    expect(await engine.quarantine.retry(item!.id)).toMatchObject({ outcome: 'requeued' });
    expect(rows(engine, 'SELECT state, attempts FROM jobs')).toEqual([{ state: 'done', attempts: 2 }]);
    expect(rows(engine, 'SELECT method, state FROM pages')).toEqual([{ method: 'ocr', state: 'done' }]);
  });

  it('refuses to act on an unknown item', async () => {
    const engine = testEngine();
    await expect(engine.quarantine.retry(42)).rejects.toMatchObject({ code: 'not-found' });
  });
});

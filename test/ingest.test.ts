import { copyFileSync, mkdirSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { corpus, digest, realPng, tempDir, write } from './helpers/fixtures.js';
import { events, rows, testEngine } from './helpers/engine.js';
import { EngineError } from '../src/core/index.js';

const basenames = (list: { path: unknown }[]): string[] => list.map((r) => path.basename(String(r.path))).sort();

describe('ingest', () => {
  it('registers real scans and PDFs by content, and records what it cannot process', async () => {
    const engine = testEngine({ extract: false });
    const summary = await engine.ingest([corpus('scans'), corpus('pdfs')]);
    expect(summary).toMatchObject({ files: 16, registered: 13, duplicates: 0, quarantined: 0, unsupported: 3, custodyFiles: 0 });
    // Taken in and queued; extraction is left to a later run.
    expect(summary.jobs).toEqual({ total: 13, done: 0, failed: 0, quarantined: 0, pending: 13 });
    expect(basenames(rows(engine, `SELECT path FROM intake_entries WHERE outcome = 'unsupported'`))).toEqual([
      'eurotext.txt',
      'linn.txt',
      'phototest.gold.txt',
    ]);
    expect(rows(engine, `SELECT media_type AS t, COUNT(*) AS n FROM documents GROUP BY t ORDER BY t`)).toEqual([
      { t: 'application/pdf', n: 9 },
      { t: 'image/png', n: 2 },
      { t: 'image/tiff', n: 2 },
    ]);
    expect(engine.audit.verifyLedger()).toMatchObject({ ok: true });
  });

  it('carries the batch trace id on every job and ledger event of the batch', async () => {
    const engine = testEngine();
    const { traceId, batchId } = await engine.ingest([corpus('scans')]);
    expect(rows(engine, 'SELECT DISTINCT trace_id AS t FROM jobs')).toEqual([{ t: traceId }]);
    // Pool starts and signed checkpoints belong to no one batch.
    expect(rows(engine, `SELECT DISTINCT trace_id AS t FROM ledger WHERE type NOT LIKE 'pool.%' AND type != 'ledger.checkpoint'`)).toEqual([{ t: traceId }]);
    expect(events(engine, 'batch.started')).toEqual([{ batchId, roots: 1, requestId: null }]);
    expect(events(engine, 'batch.completed')).toHaveLength(1);
  });

  it('records the same bytes under another name, folder or batch as a duplicate of the first, queued once', async () => {
    const root = tempDir();
    const scan = corpus('scans/phototest.tif');
    copyFileSync(scan, write(path.join(root, 'a', 'page-1.tif'), ''));
    copyFileSync(scan, write(path.join(root, 'b', 'renamed copy.TIFF'), ''));
    const engine = testEngine();
    const first = await engine.ingest([root]);
    expect(first).toMatchObject({ files: 2, registered: 1, duplicates: 1, jobs: { total: 1, done: 1 } });
    const later = tempDir();
    copyFileSync(scan, write(path.join(later, 'rescanned.tif'), ''));
    const second = await engine.ingest([later]);
    expect(second).toMatchObject({ files: 1, registered: 0, duplicates: 1, jobs: { total: 0 } });
    // Every path is kept for custody, all pointing at the one record.
    const paths = rows<{ path: string; document_id: number }>(engine, `SELECT path, document_id FROM intake_entries ORDER BY id`);
    expect(basenames(paths)).toEqual(['page-1.tif', 'renamed copy.TIFF', 'rescanned.tif']);
    expect(new Set(paths.map((p) => p.document_id)).size).toBe(1);
    expect(rows(engine, 'SELECT COUNT(*) AS n FROM jobs')).toEqual([{ n: 1 }]);
    expect(events(engine, 'file.duplicate')).toHaveLength(2);
  });

  it('records every bad entry with a reason code and finishes the batch', async () => {
    const root = tempDir();
    const outside = tempDir();
    write(path.join(root, 'good.png'), realPng());
    write(path.join(root, 'empty.pdf'), '');
    write(path.join(root, 'not-really.pdf'), 'Meeting notes, typed into a file named .pdf');
    write(path.join(outside, 'elsewhere.png'), realPng());
    symlinkSync(path.join(outside, 'elsewhere.png'), path.join(root, 'escape.png'));
    symlinkSync(path.join(root, 'gone.png'), path.join(root, 'dangling.png'));
    symlinkSync(root, path.join(root, 'loop'));
    execFileSync('mkfifo', [path.join(root, 'pipe.tif')]);
    const engine = testEngine();
    const summary = await engine.ingest([root]);
    expect(summary).toMatchObject({ files: 7, registered: 1, quarantined: 5, unsupported: 1, jobs: { done: 1 } });
    const reasons = rows<{ path: string; reason_code: string }>(engine, 'SELECT path, reason_code FROM quarantine ORDER BY path');
    expect(reasons.map((r) => [path.basename(r.path), r.reason_code])).toEqual([
      ['dangling.png', 'dangling-symlink'],
      ['empty.pdf', 'empty-file'],
      ['escape.png', 'symlink-escape'],
      ['loop', 'symlink-loop'],
      ['pipe.tif', 'special-file'],
    ]);
    expect(rows(engine, `SELECT reason_code FROM intake_entries WHERE outcome = 'unsupported'`)).toEqual([{ reason_code: 'unsupported-format' }]);
    expect(engine.quarantine.list().every((q) => q.message.length > 10)).toBe(true);
  });

  it('records a file that vanishes between the walk and its hashing', async () => {
    const root = tempDir();
    const doomed = write(path.join(root, 'a-doomed.png'), realPng());
    write(path.join(root, 'b-kept.png'), realPng());
    let removed = false;
    const engine = testEngine({
      onProgress: (p) => {
        // The walk is done once totals are known: remove a file before it is hashed.
        if (p.phase === 'hashing' && p.filesDone === 0 && !removed) {
          unlinkSync(doomed);
          removed = true;
        }
      },
    });
    const summary = await engine.ingest([root]);
    expect(summary).toMatchObject({ files: 2, registered: 1, quarantined: 1 });
    expect(engine.quarantine.list().map((q) => [path.basename(q.path), q.reasonCode])).toEqual([['a-doomed.png', 'vanished']]);
  });

  it('quarantines a record whose bytes change after intake instead of processing the wrong content', async () => {
    const root = tempDir();
    const file = write(path.join(root, 'scan.png'), realPng());
    const registered = digest(readFileSync(file));
    const engine = testEngine({
      onProgress: (p) => {
        // Hashing is complete and committed; the pool has not read the file yet. A scanner overwrites it.
        if (p.phase === 'hashing' && p.filesDone === p.filesTotal && p.filesTotal > 0) writeFileSync(file, realPng());
      },
    });
    const summary = await engine.ingest([root]);
    expect(summary.jobs).toMatchObject({ total: 1, done: 0, quarantined: 1 });
    const [item] = engine.quarantine.list();
    expect(item).toMatchObject({ reasonCode: 'changed-since-intake', sha256: registered });
  });

  it('records a file whose name is not valid UTF-8 instead of losing it', async () => {
    const root = tempDir();
    write(path.join(root, 'ok.png'), realPng());
    // A name written by another system in Latin-1: byte 0xE9 alone is not UTF-8.
    execFileSync('python3', ['-c', 'import os,sys; open(os.path.join(sys.argv[1].encode(), b"caf\\xe9.png"), "wb").write(b"\\x89PNG\\r\\n\\x1a\\n")', root]);
    const engine = testEngine();
    expect(await engine.ingest([root])).toMatchObject({ files: 2, registered: 1, quarantined: 1 });
    expect(engine.quarantine.list().map((q) => q.reasonCode)).toEqual(['unreadable-name']);
  });

  it('refuses a path that does not exist, before recording anything', async () => {
    const engine = testEngine();
    await expect(engine.ingest([path.join(tempDir(), 'no-such-folder')])).rejects.toThrow(EngineError);
    expect(rows(engine, 'SELECT COUNT(*) AS n FROM batches')).toEqual([{ n: 0 }]);
    expect(engine.audit.verifyLedger()).toMatchObject({ ok: true, entries: 0 });
  });

  it('takes overlapping roots once per path', async () => {
    const root = tempDir();
    const file = write(path.join(root, 'sub', 'x.png'), realPng());
    const engine = testEngine();
    expect(await engine.ingest([root, path.join(root, 'sub'), file])).toMatchObject({ files: 1, registered: 1 });
  });

  it('records a folder root that vanished before its walk', async () => {
    const root = tempDir();
    mkdirSync(path.join(root, 'box'));
    const engine = testEngine();
    rmSync(path.join(root, 'box'), { recursive: true });
    await expect(engine.ingest([path.join(root, 'box')])).rejects.toMatchObject({ code: 'path-not-found' });
  });
});

import { appendFileSync, copyFileSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { corpus, digest, realPng, tempDir, write, writeBag } from './helpers/fixtures.js';
import { events, rows, testEngine } from './helpers/engine.js';

const quarantined = (engine: ReturnType<typeof testEngine>, root: string): [string, string][] =>
  engine.quarantine.list().map((q) => [path.relative(root, q.path), q.reasonCode]);

describe('BagIt custody verification', () => {
  it('quarantines a corrupted, a missing and an unlisted payload file; the good files proceed', async () => {
    const bag = tempDir();
    const scan = readFileSync(corpus('scans/phototest.tif'));
    const pdf = readFileSync(corpus('pdfs/trivial.pdf'));
    writeBag(bag, { 'box1/page001.tif': scan, 'box1/page002.pdf': pdf, 'box2/corrupt.png': realPng(), 'box2/missing.png': realPng() }, ['sha256', 'md5']);
    appendFileSync(path.join(bag, 'data', 'box2', 'corrupt.png'), 'x'); // one byte more than was bagged
    rmSync(path.join(bag, 'data', 'box2', 'missing.png'));
    write(path.join(bag, 'data', 'box2', 'stowaway.png'), realPng());

    const engine = testEngine();
    const summary = await engine.ingest([bag]);
    expect(quarantined(engine, bag)).toEqual([
      ['data/box2/corrupt.png', 'digest-mismatch'],
      ['data/box2/stowaway.png', 'not-in-manifest'],
      ['data/box2/missing.png', 'missing-from-payload'],
    ]);
    // On disk: bagit.txt and two manifests (custody files), two good payload files (records), two bad ones.
    expect(summary).toMatchObject({ files: 7, registered: 2, quarantined: 3, custodyFiles: 3, jobs: { done: 2 } });
    const mismatch = engine.quarantine.list()[0]!;
    expect(mismatch.detail).toMatchObject({ algorithm: expect.stringMatching(/sha256|md5/), expected: expect.any(String), actual: expect.any(String) });
    // The originals stay where they were.
    expect(readFileSync(path.join(bag, 'data', 'box2', 'corrupt.png')).length).toBeGreaterThan(0);
    expect(engine.audit.verifyLedger().ok).toBe(true);
  });

  it('verifies tag files against the tag manifest and quarantines a bad manifest line', async () => {
    const bag = tempDir();
    const a = realPng();
    writeBag(bag, { 'a.png': a });
    write(path.join(bag, 'bag-info.txt'), 'Source-Organization: Test\n');
    write(
      path.join(bag, 'tagmanifest-sha256.txt'),
      `${digest('something else')}  bag-info.txt\n${digest(readFileSync(path.join(bag, 'bagit.txt')))}  bagit.txt\n`,
    );
    appendFileSync(path.join(bag, 'manifest-sha256.txt'), 'garbage line\n');
    const engine = testEngine();
    await engine.ingest([bag]);
    expect(quarantined(engine, bag)).toEqual([
      ['bag-info.txt', 'digest-mismatch'],
      ['manifest-sha256.txt', 'manifest-invalid'],
    ]);
    expect(engine.quarantine.list()[1]!.detail).toEqual({ problems: ['RFC 8493 §2.1.3: line 2: not "<sha256 digest> <relative path>"'] });
    // The good payload line still counts.
    expect(rows(engine, `SELECT outcome FROM intake_entries WHERE path LIKE '%/data/a.png'`)).toEqual([{ outcome: 'registered' }]);
  });
});

describe('custody-manifest.csv', () => {
  it('applies digests and retention: expired and destroyed are quarantined, hold is recorded on the record', async () => {
    const dir = tempDir();
    const files = { 'held.png': realPng(), 'expired.png': realPng(), 'destroyed.png': realPng(), 'fine.png': realPng(), 'tampered.png': realPng() };
    for (const [name, bytes] of Object.entries(files)) write(path.join(dir, name), bytes);
    const retention: Record<string, string> = {
      'held.png': 'hold',
      'expired.png': 'expired',
      'destroyed.png': 'DESTROYED',
      'fine.png': 'active',
      'tampered.png': '',
    };
    write(
      path.join(dir, 'custody-manifest.csv'),
      `path,sha256,retention\n${Object.entries(files)
        .map(([name, bytes]) => `${name},${name === 'tampered.png' ? digest('other') : digest(bytes)},${retention[name]}`)
        .join('\n')}\nlost.png,${digest('lost')},\n`,
    );
    write(path.join(dir, 'unlisted.png'), realPng());
    const engine = testEngine();
    const summary = await engine.ingest([dir]);
    expect(quarantined(engine, dir)).toEqual([
      ['destroyed.png', 'retention'],
      ['expired.png', 'retention'],
      ['tampered.png', 'digest-mismatch'],
      ['unlisted.png', 'not-in-manifest'],
      ['lost.png', 'missing-from-payload'],
    ]);
    expect(summary).toMatchObject({ registered: 2, holds: 1, custodyFiles: 1, quarantined: 5 });
    expect(rows(engine, `SELECT legal_hold FROM documents WHERE first_path LIKE '%held.png'`)).toEqual([{ legal_hold: 1 }]);
    expect(events(engine, 'file.registered').filter((e) => e.retention === 'hold')).toHaveLength(1);
  });

  it('a hold from a later manifest is recorded on an already registered record', async () => {
    const engine = testEngine();
    const first = tempDir();
    const bytes = realPng();
    write(path.join(first, 'a.png'), bytes);
    await engine.ingest([first]);
    const second = tempDir();
    copyFileSync(path.join(first, 'a.png'), path.join(second, 'copy.png'));
    write(path.join(second, 'custody-manifest.csv'), `path,sha256,retention\ncopy.png,${digest(bytes)},hold\n`);
    expect(await engine.ingest([second])).toMatchObject({ duplicates: 1, holds: 1 });
    expect(rows(engine, 'SELECT legal_hold FROM documents')).toEqual([{ legal_hold: 1 }]);
  });
});

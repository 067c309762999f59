import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { digest, pngLike, tempDir, write, writeBag } from '../../../test/helpers/fixtures.js';
import { checkPayload, checkTagFile, loadBag, loadCsvManifest, normalizeManifestPath } from './index.js';

describe('BagIt manifests', () => {
  it('reads every payload manifest and checks each algorithm', async () => {
    const bag = tempDir();
    const a = pngLike();
    writeBag(bag, { 'a.png': a }, ['sha256', 'md5']);
    const scope = await loadBag(bag);
    expect(scope.algorithms.sort()).toEqual(['md5', 'sha256']);
    expect([...scope.metadata.values()].flat()).toEqual([]);
    const good = { sha256: digest(a), md5: digest(a, 'md5') };
    expect(checkPayload(scope, 'data/a.png', good)).toEqual({ ok: true, retention: null });
    expect(checkPayload(scope, 'data/a.png', { ...good, md5: '0'.repeat(32) })).toMatchObject({
      ok: false,
      code: 'digest-mismatch',
      detail: { algorithm: 'md5' },
    });
    expect(checkPayload(scope, 'data/other.png', good)).toMatchObject({ ok: false, code: 'not-in-manifest' });
  });

  it('decodes percent-encoded paths and refuses paths that leave the bag', async () => {
    const bag = tempDir();
    write(path.join(bag, 'bagit.txt'), 'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n');
    write(
      path.join(bag, 'manifest-sha256.txt'),
      `${'a'.repeat(64)}  data/100%25 sure.png\n${'b'.repeat(64)}  ../../etc/passwd\nnot a line\n${'c'.repeat(10)} data/short.png\n`,
    );
    const scope = await loadBag(bag);
    expect([...scope.payload.keys()]).toEqual(['data/100% sure.png']);
    expect(scope.metadata.get('manifest-sha256.txt')).toEqual([
      'RFC 8493 §2.1.3: line 2: not "<sha256 digest> <relative path>"',
      'RFC 8493 §2.1.3: line 3: not "<sha256 digest> <relative path>"',
      'RFC 8493 §2.1.3: line 4: not "<sha256 digest> <relative path>"',
    ]);
    expect(checkTagFile(scope, 'manifest-sha256.txt', {})).toMatchObject({ ok: false, code: 'manifest-invalid' });
  });

  it('flags a bag without a declaration version or any payload manifest', async () => {
    const bag = tempDir();
    write(path.join(bag, 'bagit.txt'), 'hello\n');
    const scope = await loadBag(bag);
    expect(scope.metadata.get('bagit.txt')).toEqual([
      'RFC 8493 §2.1.1: the first line must be "BagIt-Version: M.N"',
      'RFC 8493 §2.1.1: the second line must be "Tag-File-Character-Encoding: ENCODING"',
      'RFC 8493 §2.1.3: the bag has no payload manifest (manifest-<algorithm>.txt)',
    ]);
  });
});

describe('custody-manifest.csv', () => {
  it('reads path, sha256 and retention; bad rows are problems of the manifest', async () => {
    const dir = tempDir();
    const [a, b, c, d] = [pngLike(), pngLike(), pngLike(), pngLike()];
    write(
      path.join(dir, 'custody-manifest.csv'),
      `\uFEFFPath,SHA256,Retention\n"box 1/a.png",${digest(a)},hold\nb.png,${digest(b).toUpperCase()},destroyed\nc.png,${digest(c)},\nd.png,${digest(d)},shred-later\nbroken.png,xyz,\n`,
    );
    const scope = await loadCsvManifest(dir);
    expect(scope.metadata.get('custody-manifest.csv')).toEqual(['line 6: sha256 is not 64 hex digits']);
    expect(checkPayload(scope, 'box 1/a.png', { sha256: digest(a) })).toEqual({ ok: true, retention: 'hold' });
    expect(checkPayload(scope, 'b.png', { sha256: digest(b) })).toMatchObject({ ok: false, code: 'retention', detail: { retention: 'destroyed' } });
    expect(checkPayload(scope, 'c.png', { sha256: digest(c) })).toEqual({ ok: true, retention: null });
    expect(checkPayload(scope, 'd.png', { sha256: digest(d) })).toMatchObject({ ok: false, code: 'retention', detail: { retention: 'shred-later' } });
  });
});

describe('normalizeManifestPath', () => {
  it('keeps relative paths inside the folder', () => {
    expect(normalizeManifestPath('./data/a.tif')).toBe('data/a.tif');
    expect(normalizeManifestPath('data\\box\\a.tif')).toBe('data/box/a.tif');
    expect(normalizeManifestPath('data/../data/a.tif')).toBe('data/a.tif');
    expect(normalizeManifestPath('../a.tif')).toBeNull();
    expect(normalizeManifestPath('/etc/passwd')).toBeNull();
    expect(normalizeManifestPath('C:/x.tif')).toBeNull();
  });
});

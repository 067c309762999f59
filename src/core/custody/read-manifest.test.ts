import { execFileSync } from 'node:child_process';
import { symlinkSync, truncateSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { digest, pngLike, tempDir, write } from '../../../test/helpers/fixtures.js';
import { checkPayload, loadBag, loadCsvManifest, MAX_MANIFEST_BYTES, readManifestBytes } from './index.js';

describe('readManifestBytes', () => {
  it('reads a regular file in the folder', async () => {
    const dir = tempDir();
    write(path.join(dir, 'm.csv'), 'path,sha256\n');
    expect((await readManifestBytes(dir, 'm.csv')).toString()).toBe('path,sha256\n');
  });

  it('refuses a FIFO, a link and a device without opening them', async () => {
    const dir = tempDir();
    execFileSync('mkfifo', [path.join(dir, 'fifo.csv')]);
    write(path.join(tempDir(), 'x.csv'), 'path,sha256\n');
    symlinkSync(path.join(dir, '..'), path.join(dir, 'dir-link.csv'));
    symlinkSync('/dev/zero', path.join(dir, 'zero.csv'));
    for (const name of ['fifo.csv', 'dir-link.csv', 'zero.csv'])
      await expect(readManifestBytes(dir, name)).rejects.toMatchObject({ name: 'ManifestRefused', code: 'manifest-not-regular' });
  });

  it('refuses a file over the cap before reading it', async () => {
    const dir = tempDir();
    const file = write(path.join(dir, 'big.csv'), '');
    truncateSync(file, MAX_MANIFEST_BYTES + 1); // sparse: costs no disk, and reading it would be all zeros
    await expect(readManifestBytes(dir, 'big.csv')).rejects.toMatchObject({ code: 'manifest-too-large' });
  });
});

describe('refused manifests are scope problems, not read', () => {
  it('a symlinked custody-manifest.csv lists nothing and is reported once', async () => {
    const outside = tempDir();
    const a = pngLike();
    write(path.join(outside, 'x.csv'), `path,sha256\nfrom-outside.png,${digest(a)}\n`);
    const dir = tempDir();
    symlinkSync(path.join(outside, 'x.csv'), path.join(dir, 'custody-manifest.csv'));
    const scope = await loadCsvManifest(dir);
    expect(scope.payload.size).toBe(0);
    expect(scope.problems).toEqual([
      { relPath: 'custody-manifest.csv', code: 'manifest-not-regular', detail: { problems: [expect.stringContaining('link')] } },
    ]);
  });

  it('a FIFO payload manifest in a bag still counts: its files are not-in-manifest', async () => {
    const bag = tempDir();
    write(path.join(bag, 'bagit.txt'), 'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n');
    write(path.join(bag, 'data', 'a.png'), pngLike());
    execFileSync('mkfifo', [path.join(bag, 'manifest-sha256.txt')]);
    const scope = await loadBag(bag);
    expect(scope.problems.map((p) => [p.relPath, p.code])).toEqual([['manifest-sha256.txt', 'manifest-not-regular']]);
    expect(checkPayload(scope, 'data/a.png', { sha256: digest(pngLike()) })).toMatchObject({ ok: false, code: 'not-in-manifest' });
  });
});

describe('custody-manifest.csv bad lines', () => {
  it('an unbalanced quote or a wrong column count spoils only its own line', async () => {
    const dir = tempDir();
    const [a, b, c] = [pngLike(), pngLike(), pngLike()];
    write(
      path.join(dir, 'custody-manifest.csv'),
      `path,sha256,retention\na.png,${digest(a)},\n"broken.png,${digest(a)},\nb.png,${digest(b)},hold\nwide.png,${digest(c)},,extra\nmid"quote.png,${digest(c)},\n\nc.png,${digest(c)},\n`,
    );
    const scope = await loadCsvManifest(dir);
    expect(scope.metadata.get('custody-manifest.csv')).toEqual([
      expect.stringMatching(/^line 3: Quote Not Closed/),
      'line 5: 4 columns, the header has 3',
      expect.stringMatching(/^line 6: Invalid Opening Quote/),
    ]);
    expect([...scope.payload.keys()]).toEqual(['a.png', 'b.png', 'c.png']);
    expect(checkPayload(scope, 'b.png', { sha256: digest(b) })).toEqual({ ok: true, retention: 'hold' });
  });
});

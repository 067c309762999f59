import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { pngLike, tempDir, write, writeBag } from '../../../test/helpers/fixtures.js';
import { missingFromPayload, walkRoot, type WalkItem } from './walk.js';

const byPath = (items: WalkItem[], root: string): Record<string, string> =>
  Object.fromEntries(items.map((i) => [path.relative(root, i.path), i.kind === 'file' ? 'file' : i.code]));

describe('walkRoot', () => {
  it('walks folders recursively in a stable order, odd and long names included', async () => {
    const root = tempDir();
    const long = `${'n'.repeat(240)}.png`;
    write(path.join(root, 'b', 'deep', 'er', 'scan 1.png'), pngLike());
    write(path.join(root, 'a', long), pngLike());
    write(path.join(root, 'a', 'naïve — 東京\nline.png'), pngLike());
    write(path.join(root, '-rf'), pngLike());
    const { items } = await walkRoot(root);
    expect(items.map((i) => path.relative(root, i.path))).toEqual([
      '-rf',
      path.join('a', 'naïve — 東京\nline.png'),
      path.join('a', long),
      path.join('b', 'deep', 'er', 'scan 1.png'),
    ]);
    expect(items.every((i) => i.kind === 'file' && i.size === 2048)).toBe(true);
  });

  it('follows links only inside the dropped root and never in a cycle', async () => {
    const outside = tempDir();
    write(path.join(outside, 'secret.png'), pngLike());
    const root = tempDir();
    write(path.join(root, 'docs', 'a.png'), pngLike());
    symlinkSync(path.join(root, 'docs', 'a.png'), path.join(root, 'link-to-a.png'));
    symlinkSync(path.join(root, 'docs'), path.join(root, 'docs-alias'));
    symlinkSync(path.join(outside, 'secret.png'), path.join(root, 'escape.png'));
    symlinkSync(outside, path.join(root, 'escape-dir'));
    symlinkSync(path.join(root, 'nothing-here'), path.join(root, 'dangling.png'));
    symlinkSync('..', path.join(root, 'docs', 'up'));
    symlinkSync(path.join(root, 'loop-b'), path.join(root, 'loop-a'));
    symlinkSync(path.join(root, 'loop-a'), path.join(root, 'loop-b'));
    const { items } = await walkRoot(root);
    expect(byPath(items, root)).toEqual({
      'dangling.png': 'dangling-symlink',
      'docs/a.png': 'file',
      'docs/up': 'symlink-loop',
      'docs-alias/a.png': 'file',
      'docs-alias/up': 'symlink-loop',
      'escape-dir': 'symlink-escape',
      'escape.png': 'symlink-escape',
      'link-to-a.png': 'file',
      'loop-a': 'symlink-loop',
      'loop-b': 'symlink-loop',
    });
    // A followed link is opened as its resolved file, never through the link.
    expect(items.find((i) => i.path.endsWith('link-to-a.png'))).toMatchObject({ kind: 'file', target: path.join(root, 'docs', 'a.png') });
  });

  it('records special files instead of opening them', async () => {
    const root = tempDir();
    execFileSync('mkfifo', [path.join(root, 'pipe.tif')]);
    const { items } = await walkRoot(root);
    expect(byPath(items, root)).toEqual({ 'pipe.tif': 'special-file' });
  });

  it('walks a single dropped file', async () => {
    const file = write(path.join(tempDir(), 'one.png'), pngLike());
    expect((await walkRoot(file)).items).toEqual([{ kind: 'file', path: file, size: 2048, scopes: [] }]);
  });

  it('attaches custody scopes and finds what a manifest lists but the folder lacks', async () => {
    const root = tempDir();
    const bag = path.join(root, 'transfer');
    writeBag(bag, { 'p1.png': pngLike(), 'box/p2.png': pngLike() });
    mkdirSync(path.join(root, 'loose'));
    write(path.join(root, 'loose', 'x.png'), pngLike());
    execFileSync('rm', [path.join(bag, 'data', 'box', 'p2.png')]);
    const result = await walkRoot(root);
    const p1 = result.items.find((i) => i.path.endsWith('p1.png'))!;
    expect(p1.scopes.map((s) => [s.scope.kind, s.relPath])).toEqual([['bagit', 'data/p1.png']]);
    expect(result.items.find((i) => i.path.endsWith('x.png'))!.scopes).toEqual([]);
    expect(missingFromPayload(result).map((m) => [path.relative(root, m.path), m.kind === 'problem' && m.code])).toEqual([
      ['transfer/data/box/p2.png', 'missing-from-payload'],
    ]);
  });
});

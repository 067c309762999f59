import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from './helpers/fixtures.js';

/**
 * A fresh clone has nothing beside it, so no test, fixture helper, benchmark or test config may read a path
 * outside the repository (the corpus once lived in a sibling folder; this keeps it from creeping back).
 * Reads what each file spells out: relative literals, `path.join/resolve(import.meta.dirname | REPO, …)`
 * with literal segments, and names of the team's own folders. A line that is a deliberate probe (an attack
 * input such as '../../etc', source text fed to a linter) says so with `repo-paths: probe`.
 */
function outsidePaths(file: string, text: string, root: string): string[] {
  const source = text
    .split('\n')
    .filter((line) => !line.includes('repo-paths: probe'))
    .join('\n');
  const found: string[] = [];
  const dir = path.dirname(file);
  const outside = (p: string): boolean => {
    const rel = path.relative(root, p);
    return rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel);
  };
  // './x' and '../x' string literals and import specifiers, resolved from the file's own folder.
  for (const m of source.matchAll(/(['"`])(\.\.?\/[^'"`$\s]*)\1/gu)) {
    if (outside(path.resolve(dir, m[2]!))) found.push(m[2]!);
  }
  // path.join(import.meta.dirname, '..', …) and path.resolve(REPO, '..', …) with literal segments only.
  for (const m of source.matchAll(/path\.(?:join|resolve)\(\s*(import\.meta\.dirname|REPO)\s*((?:,\s*'[^']*'\s*)*)[,)]/gu)) {
    const base = m[1] === 'REPO' ? root : dir;
    const parts = [...m[2]!.matchAll(/'([^']*)'/gu)].map((s) => s[1]!);
    if (outside(path.resolve(base, ...parts))) found.push(m[0]);
  }
  for (const m of source.matchAll(/shared\/corpus|'shared'\s*,\s*'corpus'|['"`]\/work\//gu)) found.push(m[0]);
  return found;
}

function filesUnder(dir: string, keep: (name: string) => boolean): string[] {
  return (
    readdirSync(path.join(REPO, dir), { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && keep(e.name))
      .map((e) => path.join(e.parentPath, e.name))
      .filter((f) => !f.includes(`${path.sep}corpus${path.sep}`))
      // This file's own probes point outside on purpose.
      .filter((f) => f !== import.meta.filename)
  );
}

describe('tests read only what is inside the repository', () => {
  it('finds a path that leaves the repository, and lets one that stays inside pass', () => {
    const probe = path.join(REPO, 'test', 'probe.test.ts');
    expect(outsidePaths(probe, `const c = path.join(import.meta.dirname, '..', '..', 'sibling', 'corpus');`, REPO)).not.toEqual([]);
    expect(outsidePaths(probe, `const c = path.resolve(REPO, '..', 'elsewhere');`, REPO)).not.toEqual([]);
    expect(outsidePaths(probe, `import x from '../../x.js';`, REPO)).toEqual(['../../x.js']);
    expect(outsidePaths(probe, `const f = '/work/shared/corpus/scans/a.png';`, REPO)).not.toEqual([]);
    expect(outsidePaths(probe, `import { REPO } from './helpers/fixtures.js';\nconst c = path.join(REPO, 'test', 'corpus');`, REPO)).toEqual([]);
    expect(outsidePaths(path.join(REPO, 'src', 'core', 'a.test.ts'), `import { x } from '../../test/helpers/fixtures.js';`, REPO)).toEqual([]);
  });

  const files = [
    ...filesUnder('test', (n) => /\.(?:ts|mjs|js)$/u.test(n)),
    ...filesUnder('src', (n) => n.endsWith('.test.ts')),
    ...filesUnder('bench', (n) => n.endsWith('.ts')),
    ...readdirSync(REPO)
      .filter((n) => /^vitest.*\.config\.ts$/u.test(n))
      .map((n) => path.join(REPO, n)),
  ];

  it('covers the test, benchmark and config files', () => {
    expect(files.length).toBeGreaterThan(30);
  });

  it.each(files.map((f) => [path.relative(REPO, f), f]))('%s', (_name, file) => {
    expect(outsidePaths(file, readFileSync(file, 'utf8'), REPO)).toEqual([]);
  });

  it('no npm script reads outside the repository', () => {
    const { scripts } = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    const offenders = Object.entries(scripts).filter(([, cmd]) => /(?:^|[\s'"=])\.\.\/|shared\/corpus/u.test(cmd));
    expect(offenders).toEqual([]);
  });
});

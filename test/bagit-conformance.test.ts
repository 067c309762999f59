import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { digest, pngLike, tempDir, write } from './helpers/fixtures.js';
import { testEngine } from './helpers/engine.js';

/**
 * RFC 8493 conformance, one rule per bag, made in the test. Both directions matter: a false quarantine tells
 * a clerk that a good transfer was tampered with; a miss lets a broken one into the record.
 */

const CUSTODY_CODES = ['manifest-invalid', 'missing-from-payload', 'digest-mismatch', 'not-in-manifest'];

type Bag = {
  /** Payload files by path under data/. */
  files?: Record<string, Buffer>;
  /** bagit.txt bytes (default: the canonical UTF-8 declaration); null: no bagit.txt. */
  declaration?: Buffer | string | null;
  /** Turns the manifest text into its bytes (default UTF-8). */
  encode?: (text: string) => Buffer;
  /** Writes the manifest's path column (default `data/<path>`). */
  manifestPath?: (rel: string) => string;
  /** Extra manifest lines, after the files. */
  extraManifest?: string[];
  /** Line end of the manifest (default LF). */
  eol?: string;
  /** Other tag files, by name. */
  tags?: Record<string, Buffer | string>;
};

const DECLARATION = 'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n';

function makeBag(root: string, bag: Bag): Record<string, Buffer> {
  const files = bag.files ?? { 'p1.png': pngLike(), 'box/p2.png': pngLike() };
  mkdirSync(path.join(root, 'data'), { recursive: true });
  if (bag.declaration !== null) writeFileSync(path.join(root, 'bagit.txt'), bag.declaration ?? DECLARATION);
  for (const [rel, content] of Object.entries(files)) write(path.join(root, 'data', rel), content);
  const lines = Object.entries(files).map(([rel, content]) => `${digest(content)}  ${(bag.manifestPath ?? ((r) => `data/${r}`))(rel)}`);
  const text = [...lines, ...(bag.extraManifest ?? [])].join(bag.eol ?? '\n') + (bag.eol ?? '\n');
  writeFileSync(path.join(root, 'manifest-sha256.txt'), (bag.encode ?? ((t) => Buffer.from(t)))(text));
  for (const [name, content] of Object.entries(bag.tags ?? {})) writeFileSync(path.join(root, name), content);
  return files;
}

async function ingestBag(bag: Bag) {
  const root = path.join(tempDir(), 'bag');
  const files = makeBag(root, bag);
  const engine = testEngine({ extract: false });
  const summary = await engine.ingest([root]);
  const custody = engine.quarantine.list({ batchId: summary.batchId }).filter((q) => CUSTODY_CODES.includes(q.reasonCode));
  return { root, files, summary, custody };
}

const utf16le = (text: string): Buffer => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
const utf16be = (text: string): Buffer => {
  const le = Buffer.from(text, 'utf16le');
  for (let i = 0; i < le.length; i += 2) [le[i], le[i + 1]] = [le[i + 1]!, le[i]!];
  return Buffer.concat([Buffer.from([0xfe, 0xff]), le]);
};

describe('RFC 8493: valid bags proceed with nothing quarantined', () => {
  it.each<[string, Bag]>([
    [
      'tag files in UTF-16 (little-endian, with a BOM)',
      { declaration: 'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-16\n', encode: utf16le, files: { 'café.png': pngLike() } },
    ],
    [
      'tag files in UTF-16 (big-endian, with a BOM)',
      { declaration: 'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-16\n', encode: utf16be, files: { 'résumé.png': pngLike() } },
    ],
    [
      'tag files in ISO-8859-1',
      {
        declaration: 'BagIt-Version: 0.97\nTag-File-Character-Encoding: ISO-8859-1\n',
        encode: (t) => Buffer.from(t, 'latin1'),
        files: { 'café.png': pngLike() },
      },
    ],
    ['CRLF line ends everywhere (§2)', { declaration: DECLARATION.replace(/\n/gu, '\r\n'), eol: '\r\n' }],
    ['CR line ends (§2)', { declaration: DECLARATION.replace(/\n/gu, '\r'), eol: '\r' }],
    ['manifest paths with ./ and tabs before them (§2.1.3)', { manifestPath: (r) => `./data/${r}`.replace(/^/u, '\t') }],
    [
      'percent-encoded %25, %0A and %0D in names (§2.1.3)',
      {
        files: { '100%.png': pngLike(), 'line\nbreak.png': pngLike(), 'cr\rname.png': pngLike() },
        manifestPath: (r) => `data/${r.replace(/%/gu, '%25').replace(/\n/gu, '%0A').replace(/\r/gu, '%0d')}`,
      },
    ],
    [
      'bag-info.txt with odd whitespace around the colon, continuation lines and repeated keys (§2.2.2)',
      {
        tags: {
          'bag-info.txt':
            'Source-Organization : County Clerk\nContact-Name:\tA. Person\nExternal-Description: A long value\n  continued here\n\tand here\nContact-Name: B. Person\n',
        },
      },
    ],
  ])('%s', async (_rule, bag) => {
    const { custody, summary, files } = await ingestBag(bag);
    expect(custody).toEqual([]);
    expect(summary.registered).toBe(Object.keys(files).length);
  });

  it('a payload that holds a bag: its bagit.txt and manifest are payload, never a bag of their own (§2.1.2)', async () => {
    const inner = pngLike();
    const files = {
      'inner/bagit.txt': Buffer.from(DECLARATION),
      // Wrong on purpose: if it were read as a manifest, inner/data/x.png would be quarantined.
      'inner/manifest-sha256.txt': Buffer.from(`${'0'.repeat(64)}  data/x.png\n`),
      'inner/data/x.png': inner,
      'manifest-sha256.txt': Buffer.from('also payload\n'),
    };
    const { custody, summary } = await ingestBag({ files });
    expect(custody).toEqual([]);
    expect(summary.registered).toBe(1);
  });

  it('a holey bag whose fetch.txt items are all present (§2.2.3)', async () => {
    const files = { 'p1.png': pngLike(), 'remote/p2.png': pngLike() };
    const { custody, summary } = await ingestBag({
      files,
      tags: { 'fetch.txt': `https://archive.example/p2.png ${files['remote/p2.png'].length} data/remote/p2.png\n` },
    });
    expect(custody).toEqual([]);
    expect(summary.registered).toBe(2);
  });
});

describe('RFC 8493: invalid bags are caught, naming the rule', () => {
  it.each<[string, Bag, string, RegExp]>([
    [
      'a byte order mark in bagit.txt',
      { declaration: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(DECLARATION)]) },
      'bagit.txt',
      /§2\.1\.1: bagit\.txt must not begin with a byte order mark/u,
    ],
    ['manifests and data/ but no bagit.txt', { declaration: null }, 'bagit.txt', /§2\.1\.1: .*no bagit\.txt/u],
    [
      'a version that is not M.N',
      { declaration: 'BagIt-Version: 1\nTag-File-Character-Encoding: UTF-8\n' },
      'bagit.txt',
      /§2\.1\.1: the version must be M\.N/u,
    ],
    [
      'a version with three parts',
      { declaration: 'BagIt-Version: 1.0.1\nTag-File-Character-Encoding: UTF-8\n' },
      'bagit.txt',
      /§2\.1\.1: the version must be M\.N/u,
    ],
    [
      'two spaces after the colon in bagit.txt',
      { declaration: 'BagIt-Version:  1.0\nTag-File-Character-Encoding: UTF-8\n' },
      'bagit.txt',
      /§2\.1\.1: invalid whitespace/u,
    ],
    [
      'leading whitespace in bagit.txt',
      { declaration: ' BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n' },
      'bagit.txt',
      /§2\.1\.1: invalid whitespace/u,
    ],
    ['a tab in bagit.txt', { declaration: 'BagIt-Version: 1.0\nTag-File-Character-Encoding:\tUTF-8\n' }, 'bagit.txt', /§2\.1\.1: invalid whitespace/u],
    ['a third line in bagit.txt', { declaration: `${DECLARATION}Extra: line\n` }, 'bagit.txt', /§2\.1\.1: bagit\.txt must hold exactly two lines/u],
    [
      'the same path twice with different digests',
      { files: { 'p1.png': pngLike() }, extraManifest: [`${'f'.repeat(64)}  data/p1.png`] },
      'manifest-sha256.txt',
      /§2\.1\.3: .*listed twice with different digests/u,
    ],
    [
      'a fetch.txt path with ..',
      { tags: { 'fetch.txt': 'https://x.example/a 10 data/../../outside.png\n' } },
      'fetch.txt',
      /§2\.2\.3: .*leaves the bag's payload/u,
    ],
    ['an absolute fetch.txt path', { tags: { 'fetch.txt': 'https://x.example/a - /etc/passwd\n' } }, 'fetch.txt', /§2\.2\.3: .*leaves the bag's payload/u],
    ['a fetch.txt path with ~', { tags: { 'fetch.txt': 'https://x.example/a 5 ~/x.png\n' } }, 'fetch.txt', /§2\.2\.3: .*leaves the bag's payload/u],
  ])('%s', async (_rule, bag, file, problem) => {
    const { custody, root } = await ingestBag(bag);
    const item = custody.find((q) => q.path === path.join(root, file));
    expect(item, JSON.stringify(custody.map((q) => [q.path, q.reasonCode, q.detail]))).toBeDefined();
    expect(item!.reasonCode).toBe('manifest-invalid');
    expect(JSON.stringify(item!.detail)).toMatch(problem);
  });

  it('a holey bag with a fetch.txt item absent: the payload proceeds, the absent file is missing with its URL, never fetched', async () => {
    const present = pngLike();
    const absent = pngLike();
    const root = path.join(tempDir(), 'bag');
    makeBag(root, {
      files: { 'p1.png': present },
      extraManifest: [`${digest(absent)}  data/remote/p2.png`],
      tags: { 'fetch.txt': `https://archive.example/p2.png ${absent.length} data/remote/p2.png\n` },
    });
    const engine = testEngine({ extract: false });
    const summary = await engine.ingest([root]);
    expect(summary.registered).toBe(1);
    const missing = engine.quarantine.list({ batchId: summary.batchId }).filter((q) => q.reasonCode === 'missing-from-payload');
    expect(missing.map((q) => [q.path, q.detail.fetchUrl])).toEqual([[path.join(root, 'data', 'remote', 'p2.png'), 'https://archive.example/p2.png']]);
  });
});

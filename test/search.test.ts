/**
 * Full-text search and responsive sets through the built CLI, on real OCR of the corpus (tesseract.js):
 * words from scanned pages found on the right page, diacritics folded, phrases and prefixes, query errors
 * as sentences, restricted snippets withheld without a reason, the index kept in step with the page store
 * by any write, and every change to a responsive set on the ledger without text.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SearchResult } from '../src/shared/types.js';
import { onlyJson, runCli } from './helpers/cli.js';
import { corpus, suiteTempDir } from './helpers/fixtures.js';
import { openRawDatabase } from './helpers/raw-db.js';

let dataDir: string;
const cli = (...args: string[]) => runCli(['--data-dir', dataDir, ...args], { CUSTODIAN_OCR_ADAPTER: '' });
const search = (...args: string[]): SearchResult => {
  const r = cli('--json', 'search', ...args);
  expect(r.code, r.stderr).toBe(0);
  return onlyJson<SearchResult>(r.stdout);
};
const idOf = (name: string): number => {
  const docs = onlyJson<{ documents: { id: number; path: string }[] }>(cli('--json', 'docs').stdout).documents;
  return docs.find((d) => path.basename(d.path) === name)!.id;
};
const where = (r: SearchResult): string[] => r.hits.map((h) => `${h.name} p${h.pageNo}`);
const ledger = (): { type: string; payload: string }[] => {
  const db = openRawDatabase(dataDir, { readonly: true });
  try {
    return db.prepare('SELECT type, payload FROM ledger ORDER BY seq').all() as { type: string; payload: string }[];
  } finally {
    db.close();
  }
};

describe('search (issue 15)', () => {
  beforeAll(() => {
    dataDir = suiteTempDir('custodian-search-data-');
    const inbox = path.join(suiteTempDir('custodian-search-in-'), 'box');
    mkdirSync(inbox);
    for (const f of ['pdfs/francais.pdf', 'pdfs/multipage.pdf', 'scans/phototest.tif'])
      copyFileSync(corpus(...f.split('/')), path.join(inbox, path.basename(f)));
    const r = cli('-q', 'ingest', inbox);
    expect(r.code, r.stderr).toBe(0);
  }, 240_000);

  it('finds a word of a scanned page on its page, best first, with the match marked', () => {
    const r = search('megapixels');
    expect(where(r)).toEqual(['multipage.pdf p2']);
    expect(r.hits[0]!.snippet!.some((p) => p.match && /megapixels/iu.test(p.text))).toBe(true);
    const human = cli('search', 'jumped');
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/phototest\.tif/);
    expect(human.stdout).toMatch(/«jumped»/);
  });

  it('folds case and diacritics, and reads phrases, prefixes and operators', () => {
    expect(where(search('INTERIEURE'))).toEqual(['francais.pdf p1']);
    expect(where(search('"vieux whisky"'))).toEqual(['francais.pdf p1']);
    expect(where(search('"whisky vieux"'))).toEqual([]);
    expect(where(search('caeno*'))).toEqual(['francais.pdf p1']);
    expect(where(search('whisky OR megapixels')).sort()).toEqual(['francais.pdf p1', 'multipage.pdf p2']);
    expect(where(search('whisky NOT juge'))).toEqual([]);
    expect(where(search('(whisky OR quick) brown'))).toEqual(['phototest.tif p1']);
    // Narrowed to a lane, or to a request's responsive set.
    expect(where(search('whisky', '--lane', 'pii'))).toEqual([]);
  });

  it('a bad query is a sentence and exit 1, never an SQLite message', () => {
    for (const [query, message] of [
      ['"vieux whisky', /The quote at character 1 is not closed/],
      ['whisky AND', /AND at character 8 needs a word after it/],
      ['NOT whisky', /NOT at character 1 needs a word before it/],
      ['(whisky', /"\(" is not closed/],
    ] as const) {
      const r = cli('search', query);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).toMatch(/Search syntax/);
      expect(r.stderr).not.toMatch(/fts5|sqlite|SqliteError/iu);
    }
  });

  it('withholds snippets of restricted documents without a reason; with one, shows them and records each document viewed', () => {
    const id = idOf('francais.pdf');
    expect(cli('lane', 'set', String(id), 'classified', '--reason', 'marked SECRET on the cover').code).toBe(0);
    const before = ledger().filter((e) => e.type === 'document.restricted-viewed').length;
    const withheld = search('whisky');
    expect(withheld.hits).toMatchObject([{ documentId: id, pageNo: 1, lane: 'classified', snippet: null }]);
    expect(withheld.snippetsWithheld).toBe(1);
    expect(cli('search', 'whisky').stdout).toMatch(/snippet withheld: restricted document/);
    expect(ledger().filter((e) => e.type === 'document.restricted-viewed')).toHaveLength(before);
    const shown = search('whisky', '--reason', 'request 2026-14 review');
    expect(shown.hits[0]!.snippet).not.toBeNull();
    const viewed = ledger().filter((e) => e.type === 'document.restricted-viewed');
    expect(viewed).toHaveLength(before + 1);
    expect(JSON.parse(viewed.at(-1)!.payload)).toMatchObject({ documentId: id, lane: 'classified' });
    expect(viewed.at(-1)!.payload).not.toMatch(/whisky|2026-14/);
    expect(cli('lane', 'set', String(id), 'public', '--reason', 'cover marking was a training stamp').code).toBe(0);
  });

  it('keeps the index in step with the page store, whatever writes the page', () => {
    const id = idOf('phototest.tif');
    const db = openRawDatabase(dataDir);
    db.prepare('UPDATE pages SET text = ? WHERE document_id = ? AND page_no = 1').run('an entirely different zebracorn page', id);
    db.close();
    expect(where(search('zebracorn'))).toEqual(['phototest.tif p1']);
    expect(where(search('jumped'))).toEqual([]);
    // The edit itself is still caught: page text is bound to the ledger.
    expect(cli('ledger', 'verify').code).toBe(2);
  });
});

describe('responsive sets (issue 15)', () => {
  it('search --attach, request docs add/remove: each change on the ledger, with no text; remove needs a reason', () => {
    expect(cli('request', 'add', 'R-15', '--jurisdiction', 'us-federal', '--received', '2026-11-30').code).toBe(0);
    const attached = onlyJson<SearchResult & { attached: { added: number } }>(cli('--json', 'search', 'whisky OR megapixels', '--attach', 'R-15').stdout);
    expect(attached.attached).toEqual({ added: 2, already: 0 });
    const france = idOf('francais.pdf');
    const multi = idOf('multipage.pdf');
    const photo = idOf('phototest.tif');
    expect(onlyJson<{ documents: number[] }>(cli('--json', 'request', 'docs', 'R-15').stdout).documents).toEqual([france, multi].sort((a, b) => a - b));
    expect(where(search('megapixels OR whisky OR jumped', '--request', 'R-15')).sort()).toEqual(['francais.pdf p1', 'multipage.pdf p2']);
    expect(onlyJson(cli('--json', 'request', 'docs', 'R-15', 'add', String(photo), String(france)).stdout)).toEqual({ added: 1, already: 1 });
    const noReason = cli('request', 'docs', 'R-15', 'remove', String(multi));
    expect(noReason.code).toBe(1);
    expect(noReason.stderr).toMatch(/reason is required/);
    expect(onlyJson(cli('--json', 'request', 'docs', 'R-15', 'remove', String(multi), '--reason', 'outside the date range').stdout)).toEqual({
      removed: 1,
      notInSet: 0,
    });
    expect(cli('request', 'docs', 'R-15', 'add', '999999').code).toBe(1);
    const events = ledger()
      .filter((e) => e.type.startsWith('request.documents-'))
      .map((e) => ({ type: e.type, ...(JSON.parse(e.payload) as Record<string, unknown>) }));
    expect(events).toEqual([
      expect.objectContaining({ type: 'request.documents-added', requestId: 'R-15', documentIds: [france, multi].sort((a, b) => a - b), via: 'search' }),
      expect.objectContaining({ type: 'request.documents-added', requestId: 'R-15', documentIds: [photo], via: 'operator' }),
      expect.objectContaining({ type: 'request.documents-removed', requestId: 'R-15', documentIds: [multi], reason: 'outside the date range' }),
    ]);
    expect(JSON.stringify(events)).not.toMatch(/whisky|megapixels/);
    expect(onlyJson<{ requests: { id: string; documents: number }[] }>(cli('--json', 'request', 'list').stdout).requests).toEqual([
      expect.objectContaining({ id: 'R-15', documents: 2 }),
    ]);
  });
});

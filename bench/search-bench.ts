/**
 * `npm run bench:search [-- --pages N] [--words W] [--seed S]`: search figures, not tests.
 *
 * Builds N pages (default 100,000) of W words each (default 300) in a real, encrypted data folder through
 * the engine's page store, so the FTS5 triggers index them as extraction would. The text is realistic in
 * shape: English words from the test corpus's ground-truth texts plus a 40,000-word synthetic vocabulary
 * drawn with Zipf frequencies (as in prose), with names, dates and numbers mixed in. Prints the index build
 * time against the same inserts into an unindexed table (the reference, same run), the size on disk, and
 * query latency (median, p95) for single words, phrases and prefixes through `engine.search.pages`, against
 * a `LIKE '%…%'` scan of the same text for the single words.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { Engine } from '../src/core/index.js';
import { packageRoot } from '../src/core/package-paths.js';

const { values } = parseArgs({
  options: { pages: { type: 'string', default: '100000' }, words: { type: 'string', default: '300' }, seed: { type: 'string', default: '7' } },
});
const PAGES = Number(values.pages);
const WORDS = Number(values.words);
const PAGES_PER_DOC = 50;

let seed = Number(values.seed);
const rand = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;

// Vocabulary: real words first (the most frequent ranks), then synthetic ones of realistic length.
const corpusDir = path.join(packageRoot(), 'test', 'corpus', 'scans');
const real = [
  ...new Set(
    readdirSync(corpusDir)
      .filter((f) => f.endsWith('.txt'))
      .flatMap(
        (f) =>
          readFileSync(path.join(corpusDir, f), 'utf8')
            .toLowerCase()
            .match(/\p{L}+/gu) ?? [],
      ),
  ),
];
const SYLLABLES = ['ka', 'ro', 'mi', 'ten', 'sa', 'lo', 'ver', 'dan', 'el', 'is', 'or', 'qui', 'ma', 'nu', 'pe', 'tra', 'gon', 'ville', 'ber', 'chi'];
const synthetic = Array.from({ length: 40_000 }, () =>
  Array.from({ length: 2 + Math.floor(rand() * 3) }, () => SYLLABLES[Math.floor(rand() * SYLLABLES.length)]).join(''),
);
const vocabulary = [...real, ...synthetic];
// Zipf (s = 1): rank r drawn with probability ∝ 1/r, by inverting the harmonic CDF approximately.
const zipf = (): string => vocabulary[Math.min(vocabulary.length - 1, Math.floor(Math.exp(rand() * Math.log(vocabulary.length + 1))) - 1)]!;
const extras = (): string =>
  [
    `${1 + Math.floor(rand() * 12)}/${1 + Math.floor(rand() * 28)}/20${10 + Math.floor(rand() * 16)}`,
    `No. ${Math.floor(rand() * 100000)}`,
    'Ms. Okonkwo',
    'Mr. Brennan',
  ][Math.floor(rand() * 4)]!;

function pageText(): string {
  const words: string[] = [];
  for (let i = 0; i < WORDS; i++) {
    words.push(rand() < 0.02 ? extras() : zipf());
    if (rand() < 0.07) words[words.length - 1] += '.';
  }
  return words.join(' ');
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const p95 = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.95))]!;
const fmt = (ms: number): string => `${ms.toFixed(ms < 10 ? 2 : 0)} ms`;
const dirSize = (dir: string): number => readdirSync(dir).reduce((n, f) => n + statSync(path.join(dir, f)).size, 0);

const root = mkdtempSync(path.join(os.tmpdir(), 'custodian-bench-search-'));
process.env.XDG_CONFIG_HOME = path.join(root, 'config');
const engine = Engine.open({ dataDir: path.join(root, 'data'), workers: 1, extract: false });
try {
  const db = engine.db;
  const now = new Date().toISOString();
  db.prepare(`INSERT INTO batches (id, trace_id, roots, state, created_at) VALUES ('bench', 'bench', '[]', 'done', ?)`).run(now);
  db.exec('CREATE TABLE ref_pages (document_id INTEGER, page_no INTEGER, text TEXT)');
  const doc = db.prepare(
    `INSERT INTO documents (id, sha256, pipeline_version, size, media_type, first_batch_id, first_path, created_at, page_count) VALUES (?, ?, 1, 1, 'application/pdf', 'bench', ?, ?, ?)`,
  );
  const page = db.prepare(`INSERT INTO pages (document_id, page_no, state, method, text) VALUES (?, ?, 'done', 'ocr', ?)`);
  const refPage = db.prepare('INSERT INTO ref_pages (document_id, page_no, text) VALUES (?, ?, ?)');
  const texts: string[] = Array.from({ length: PAGES }, pageText);
  let indexed = 0;
  let reference = 0;
  for (let start = 0; start < PAGES; start += PAGES_PER_DOC * 20) {
    const end = Math.min(PAGES, start + PAGES_PER_DOC * 20);
    let t = performance.now();
    db.transaction(() => {
      for (let i = start; i < end; i++) {
        const id = Math.floor(i / PAGES_PER_DOC) + 1;
        if (i % PAGES_PER_DOC === 0) doc.run(id, String(id).padStart(64, '0'), `/bench/box-${id}.pdf`, now, PAGES_PER_DOC);
        page.run(id, (i % PAGES_PER_DOC) + 1, texts[i]);
      }
    })();
    indexed += performance.now() - t;
    t = performance.now();
    db.transaction(() => {
      for (let i = start; i < end; i++) refPage.run(Math.floor(i / PAGES_PER_DOC) + 1, (i % PAGES_PER_DOC) + 1, texts[i]);
    })();
    reference += performance.now() - t;
  }
  db.exec('DROP TABLE ref_pages');
  db.pragma('wal_checkpoint(TRUNCATE)');
  const textBytes = texts.reduce((n, s) => n + Buffer.byteLength(s), 0);
  const ftsPages = db.prepare(`SELECT SUM(pgsize) FROM dbstat WHERE name LIKE 'pages_fts%'`).pluck().get() as number | null;

  // Queries: words across the frequency range (a rare synthetic word, a common real one), phrases, prefixes.
  const wordsOf = (i: number): string[] => texts[i]!.toLowerCase().match(/\p{L}+/gu) ?? [];
  const sampleWords = Array.from({ length: 40 }, (_, k) => {
    const ws = wordsOf(Math.floor((k * PAGES) / 40));
    return ws[Math.floor(ws.length / 2)]!;
  });
  const phrases = Array.from({ length: 40 }, (_, k) => {
    const ws = wordsOf(Math.floor((k * PAGES) / 40) + 1).filter((w) => w.length > 2);
    return `"${ws[10]} ${ws[11]}"`;
  });
  const prefixes = sampleWords.map((w) => `${w.slice(0, Math.max(3, Math.ceil(w.length / 2)))}*`);
  const time = (queries: string[]): { ms: number[]; hits: number } => {
    const ms: number[] = [];
    let hits = 0;
    for (const q of queries) {
      const t = performance.now();
      hits += engine.search.pages({ query: q, limit: 50 }).hits.length;
      ms.push(performance.now() - t);
    }
    return { ms, hits };
  };
  time(sampleWords.slice(0, 5)); // warm the page cache, as an officer's second search would be
  const single = time(sampleWords);
  const phrase = time(phrases);
  const prefix = time(prefixes);
  // Every matching page, as a ranked search must consider them all.
  const like = db.prepare('SELECT COUNT(*) FROM pages WHERE text LIKE ?');
  const likeMs = sampleWords.slice(0, 8).map((w) => {
    const t = performance.now();
    like.all(`%${w}%`);
    return performance.now() - t;
  });

  console.log(
    `search bench: ${PAGES.toLocaleString('en-US')} pages of ${WORDS} words (${(textBytes / 2 ** 20).toFixed(0)} MiB of text), encrypted database, ${os.cpus().length} cores`,
  );
  console.log(
    `  build:    ${(indexed / 1000).toFixed(1)} s through the page store with FTS5 triggers | reference (same inserts, no index) ${(reference / 1000).toFixed(1)} s | ratio ${(indexed / reference).toFixed(1)}x`,
  );
  console.log(
    `  on disk:  database ${(dirSize(path.join(root, 'data')) / 2 ** 20).toFixed(0)} MiB, of which the FTS5 index ${((ftsPages ?? 0) / 2 ** 20).toFixed(0)} MiB`,
  );
  for (const [name, r] of [
    ['single words', single],
    ['phrases', phrase],
    ['prefixes', prefix],
  ] as const)
    console.log(`  ${name.padEnd(13)} median ${fmt(median(r.ms))}, p95 ${fmt(p95(r.ms))} (${r.ms.length} queries, ${r.hits} hits, at most 50 each)`);
  console.log(
    `  reference: LIKE '%word%' scan of every page, median ${fmt(median(likeMs))} (${likeMs.length} queries) | FTS5 single words ${(median(likeMs) / median(single.ms)).toFixed(0)}x faster`,
  );
} finally {
  await engine.close();
  if (!process.env.KEEP_BENCH) rmSync(root, { recursive: true, force: true });
  else console.log(root);
}

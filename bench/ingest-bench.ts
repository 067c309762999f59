/**
 * `npm run bench:ingest [-- --files N --kb K | -- <folder>]`: figures, not tests.
 *
 * In one run, on the same files (read once first so both sides start from the page cache):
 *  1. Custodian's intake (walk, streaming SHA-256, register, ledger) against coreutils `sha256sum`;
 *  2. ledger append rate, one event per durable commit and 100 events per commit;
 *  3. time to verify a 1,000,000-entry chain.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { Engine } from '../src/core/index.js';
import { openDatabase } from '../src/core/store/index.js';
import { appendEvent, verifyChain } from '../src/core/ledger/index.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { files: { type: 'string', default: '40' }, kb: { type: 'string', default: '25600' }, entries: { type: 'string', default: '1000000' } },
});

const work = mkdtempSync(path.join(os.tmpdir(), 'custodian-bench-'));
const fmt = (n: number, digits = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => path.join(d.parentPath, d.name))
    .sort();
}

function makeFiles(dir: string, count: number, kb: number): void {
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  for (let i = 0; i < count; i++) {
    const file = path.join(dir, `box${i % 4}`, `scan-${String(i).padStart(4, '0')}.png`);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, Buffer.concat([png, randomBytes(kb * 1024 - png.length)]));
  }
}

async function hashingFigures(folder: string): Promise<void> {
  const files = listFiles(folder);
  const bytes = files.reduce((s, f) => s + statSync(f).size, 0);
  for (const f of files) readFileSync(f); // warm the page cache for both sides alike
  console.log(`\nIntake hashing: ${files.length} files, ${fmt(bytes / 1e6)} MB in ${folder}`);

  const t0 = performance.now();
  execFileSync('sha256sum', files, { stdio: ['ignore', 'ignore', 'inherit'], maxBuffer: 1 << 30 });
  const nativeS = (performance.now() - t0) / 1000;

  const dataDir = path.join(work, 'data');
  let hashedAt = 0;
  const started = performance.now();
  const engine = Engine.open({
    dataDir,
    extract: false, // measure intake only: OCR would compete for the same cores
    onProgress: (p) => {
      if (p.phase === 'hashing' && p.filesDone === p.filesTotal && p.filesTotal > 0) hashedAt = performance.now();
    },
  });
  const summary = await engine.ingest([folder]);
  await engine.close();
  const oursS = (hashedAt - started) / 1000;
  if (summary.registered + summary.duplicates + summary.quarantined + summary.unsupported + summary.custodyFiles !== files.length) {
    throw new Error(`bench: intake did not account for every file: ${JSON.stringify(summary)}`);
  }
  const nativeRate = bytes / 1e6 / nativeS;
  const oursRate = bytes / 1e6 / oursS;
  console.log(`  sha256sum (coreutils)           ${fmt(nativeRate)} MB/s   (${fmt(nativeS, 2)} s)`);
  console.log(`  custodian intake (walk+hash+db) ${fmt(oursRate)} MB/s   (${fmt(oursS, 2)} s)`);
  console.log(`  ratio custodian / sha256sum     ${fmt(oursRate / nativeRate, 2)}   (target >= 0.80)`);
}

function ledgerFigures(entries: number): void {
  const db = openDatabase(path.join(work, 'ledger'));
  const clock = { now: () => new Date() };
  const event = (i: number) => ({
    traceId: '7d4f1d1e-5c0b-4d8e-9a1f-2b3c4d5e6f70',
    type: 'file.registered' as const,
    payload: {
      batchId: '0f9e8d7c-6b5a-4c3d-8e2f-1a0b9c8d7e6f',
      entryId: i,
      documentId: i,
      sha256: randomBytes(32).toString('hex'),
      size: 1000 + i,
      mediaType: 'image/tiff',
    },
  });
  console.log(`\nLedger (better-sqlite3, WAL, synchronous=FULL)`);
  const single = 2000;
  let t = performance.now();
  for (let i = 0; i < single; i++) appendEvent(db, clock, event(i));
  console.log(`  append, 1 event per commit      ${fmt(single / ((performance.now() - t) / 1000))} events/s (each commit fsynced)`);
  const perTx = 100;
  const batch = db.transaction((from: number) => {
    for (let i = from; i < from + perTx; i++) appendEvent(db, clock, event(i));
  });
  const batched = 100_000;
  t = performance.now();
  for (let i = 0; i < batched; i += perTx) batch.immediate(i);
  console.log(`  append, ${perTx} events per commit    ${fmt(batched / ((performance.now() - t) / 1000))} events/s (target >= 10,000)`);
  const fill = db.transaction((from: number, n: number) => {
    for (let i = from; i < from + n; i++) appendEvent(db, clock, event(i));
  });
  const have = single + batched;
  for (let i = have; i < entries; i += 10_000) fill.immediate(i, Math.min(10_000, entries - i));
  t = performance.now();
  const result = verifyChain(db);
  const verifyS = (performance.now() - t) / 1000;
  if (!result.ok) throw new Error('bench: chain did not verify');
  console.log(`  verify ${fmt(result.entries)} entries       ${fmt(verifyS, 2)} s (target <= 10 s; ${fmt(result.entries / verifyS)} entries/s)`);
  db.close();
}

try {
  console.log(`custodian bench:ingest — ${os.cpus().length} cores, ${fmt(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${new Date().toISOString()}`);
  let folder = positionals[0];
  if (!folder) {
    folder = path.join(work, 'files');
    makeFiles(folder, Number(values.files), Number(values.kb));
  }
  await hashingFigures(path.resolve(folder));
  ledgerFigures(Number(values.entries));
} finally {
  rmSync(work, { recursive: true, force: true });
}

/**
 * `npm run test:fuzz`: 500+ corrupted inputs derived from test/corpus go through one real intake with
 * real OCR. Each must end processed or quarantined with a stable reason code, the batch must finish, no page
 * may run past its timeout, and the process tree's peak RSS must stay under the pool's memory budget.
 */
import { openRawDatabase } from '../helpers/raw-db.js';
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REASON_CODES } from '../../src/shared/reason-codes.js';
import { DEFAULT_RESILIENCE } from '../../src/core/dispatch/index.js';
import { sampleTreeRss } from '../../bench/proc-tree.js';
import { BIN } from '../helpers/cli.js';
import { corpus, tempDir } from '../helpers/fixtures.js';
import { writeFuzzInputs } from './fuzz-inputs.js';

const CORPUS = corpus();
// multipage.pdf (a 9000×9000 image) is left out: its cost is measured by `npm run bench`, and its mutants would
// only make this suite slower, not wider.
const SOURCES = [
  ...readdirSync(path.join(CORPUS, 'scans'))
    .filter((f) => /\.(png|tif)$/u.test(f))
    .map((f) => path.join(CORPUS, 'scans', f)),
  ...readdirSync(path.join(CORPUS, 'pdfs'))
    .filter((f) => f.endsWith('.pdf') && f !== 'multipage.pdf')
    .map((f) => path.join(CORPUS, 'pdfs', f)),
];

describe('corrupted inputs', () => {
  it('processes or quarantines every input with a reason code, and the batch finishes', async () => {
    const dataDir = tempDir('custodian-fuzz-data-');
    const inbox = path.join(tempDir('custodian-fuzz-'), 'inbox');
    mkdirSync(inbox);
    const inputs = writeFuzzInputs(inbox, SOURCES, Number(process.env.FUZZ_SEED ?? 1));
    expect(inputs.length).toBeGreaterThanOrEqual(500);

    const started = Date.now();
    const child = spawn(process.execPath, [BIN, '--data-dir', dataDir, '--json', '--quiet', 'ingest', inbox], {
      env: { ...process.env, CUSTODIAN_FAILPOINTS: '', CUSTODIAN_OCR_ADAPTER: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const rss = sampleTreeRss(child.pid!, { everyMs: 200 });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    const { peakMb } = rss.stop();
    const minutes = (Date.now() - started) / 60_000;
    // tesseract.js's WebAssembly Leptonica (libpng, libjpeg) prints its decoders' complaints straight to stderr; nothing else may.
    const noise =
      /^(Error in \w+: .*|libpng (error|warning): .*|Error attempting to read image\.?.*|Corrupt JPEG data: .*|Premature end of JPEG file|Warning, .*|)$/u;
    const other = stderr.split('\n').filter((l) => !noise.test(l));
    expect(other).toEqual([]);
    expect(code).toBe(0);
    const summary = JSON.parse(stdout) as { files: number; registered: number; quarantined: number; unsupported: number; jobs: { pending: number } };
    expect(summary.files).toBe(inputs.length);
    expect(summary.jobs.pending).toBe(0);

    const db = openRawDatabase(dataDir, { readonly: true });
    // Every file found has an outcome; every record's job ended; every quarantine has a known reason code.
    const entries = db.prepare('SELECT path, outcome, reason_code AS reason, document_id AS doc FROM intake_entries').all() as {
      path: string;
      outcome: string;
      reason: string | null;
      doc: number | null;
    }[];
    expect(entries.map((e) => path.basename(e.path)).sort()).toEqual(inputs.map((i) => i.name).sort());
    const unfinished = db.prepare(`SELECT COUNT(*) FROM jobs WHERE state IN ('queued', 'leased')`).pluck().get();
    expect(unfinished).toBe(0);
    const reasons = db.prepare('SELECT reason_code AS code, COUNT(*) AS n FROM quarantine GROUP BY reason_code ORDER BY n DESC').all() as {
      code: string;
      n: number;
    }[];
    for (const r of reasons) expect(Object.keys(REASON_CODES)).toContain(r.code);
    for (const e of entries.filter((x) => x.outcome === 'unsupported' || x.outcome === 'quarantined')) expect(e.reason, e.path).not.toBeNull();
    const jobs = db.prepare('SELECT state, COUNT(*) AS n FROM jobs GROUP BY state').all() as { state: string; n: number }[];
    // A corrupt input must not pass for an OCR engine failure (retried, counted by the breaker): name any that did.
    const engineFailures = (
      db.prepare(`SELECT path FROM quarantine WHERE reason_code IN ('ocr-failed', 'worker-crashed', 'timeout')`).pluck().all() as string[]
    ).map((p) => path.basename(p));
    const breakerOpened = db.prepare(`SELECT COUNT(*) FROM ledger WHERE type = 'breaker.opened'`).pluck().get() as number;
    expect(engineFailures).toEqual([]);
    expect(breakerOpened).toBe(0);
    // No page ran past its timeout: the slowest stored page, and no timeout recorded as a failure cause.
    const slowestMs = (db.prepare('SELECT MAX(duration_ms) FROM pages').pluck().get() as number | null) ?? 0;
    expect(slowestMs).toBeLessThan(DEFAULT_RESILIENCE.pageTimeoutMs);
    const pool = JSON.parse(db.prepare(`SELECT payload FROM ledger WHERE type = 'pool.started' LIMIT 1`).pluck().get() as string) as {
      budgetMb: number;
      threads: number;
    };
    expect(peakMb).toBeLessThan(pool.budgetMb);
    db.close();
    const verify = spawn(process.execPath, [BIN, '--data-dir', dataDir, 'ledger', 'verify']);
    expect(await new Promise((resolve) => verify.once('exit', resolve))).toBe(0);

    const byJob = Object.fromEntries(jobs.map((j) => [j.state, j.n]));
    console.log(
      `fuzz: ${inputs.length} inputs (seed ${process.env.FUZZ_SEED ?? 1}) in ${minutes.toFixed(1)} min; ` +
        `${summary.registered} registered (${byJob.done ?? 0} processed, ${byJob.quarantined ?? 0} quarantined in processing, ${byJob.failed ?? 0} failed), ` +
        `${summary.quarantined} quarantined at intake, ${summary.unsupported} unsupported; reasons ${reasons.map((r) => `${r.code} ${r.n}`).join(', ')}; ` +
        `slowest page ${(slowestMs / 1000).toFixed(1)} s (timeout ${DEFAULT_RESILIENCE.pageTimeoutMs / 1000} s); ` +
        `peak RSS ${peakMb} MB (pool budget ${pool.budgetMb} MB, ${pool.threads} threads × 900 MB = ${pool.threads * 900} MB); ` +
        `breaker opened ${breakerOpened}×; quarantined as engine failures: ${engineFailures.join(', ') || 'none'}`,
    );
  });
});

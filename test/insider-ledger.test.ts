import { cpSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { onlyJson, runCli } from './helpers/cli.js';
import { digest, realPng, scriptedOcr, suiteTempDir, tempDir, textPdf, write } from './helpers/fixtures.js';
import { openRawDatabase } from './helpers/raw-db.js';
import { entryHash, GENESIS_HASH } from '../src/core/ledger/entry-hash.js';

// Issue 14, attacks 3, 4 and 10: an insider with the data folder and sqlite3 edits the tables a report
// states, removes checkpoints, or exports while an ingest runs. Each must be caught, named, exit 2.

const SSN = '536-22-1234';
let pristine: string;

/** A data folder with a pii record on legal hold, its findings, a quarantined file and a tolled request. */
beforeAll(async () => {
  pristine = path.join(suiteTempDir(), 'data');
  const folder = path.join(suiteTempDir(), 'drop');
  const payroll = await textPdf([`Payroll record for the quarter, employee SSN ${SSN}, grade 11`]);
  write(path.join(folder, 'payroll.pdf'), payroll);
  write(path.join(folder, 'notes.pdf'), await textPdf(['Minutes of the records committee, nothing restricted here']));
  write(path.join(folder, 'broken.pdf'), '%PDF-1.4\nnot really');
  write(path.join(folder, 'custody-manifest.csv'), `path,sha256,retention\npayroll.pdf,${digest(payroll)},hold\n`);
  expect(runCli(['--data-dir', pristine, 'request', 'add', 'R-1', '--jurisdiction', 'us-federal', '--received', '2026-11-02']).code).toBe(0);
  expect(runCli(['--data-dir', pristine, 'request', 'toll', 'R-1', '--from', '2026-11-05', '--reason', 'asked the requester']).code).toBe(0);
  const ingest = runCli(['--data-dir', pristine, 'ingest', folder, '--request', 'R-1']);
  expect(ingest.code, ingest.stderr).toBe(0);
});

/** A copy of the pristine data folder, tampered with by `sql` (triggers dropped first when asked). */
function tampered(sql: string): string {
  const dir = path.join(tempDir(), 'data');
  cpSync(pristine, dir, { recursive: true });
  const db = openRawDatabase(dir);
  try {
    db.exec(sql);
  } finally {
    db.close();
  }
  return dir;
}

function verify(dataDir: string): {
  code: number | null;
  json: { ok: boolean; reason?: string; mismatches?: { table: string; id: string; message: string }[] };
} {
  const run = runCli(['--data-dir', dataDir, '--json', 'ledger', 'verify']);
  return { code: run.code, json: onlyJson(run.stdout) };
}

function docId(dataDir: string, name: string): number {
  const db = openRawDatabase(dataDir, { readonly: true });
  try {
    return db.prepare(`SELECT id FROM documents WHERE first_path LIKE ?`).pluck().get(`%${name}`) as number;
  } finally {
    db.close();
  }
}

describe('attack 3: signed reports sign edited state', () => {
  it('the untouched folder verifies, binding its facts, and exports', () => {
    const run = runCli(['--data-dir', pristine, 'ledger', 'verify']);
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).toMatch(/stored fact\(s\) match it/);
    const db = openRawDatabase(pristine, { readonly: true });
    const extracted = db.prepare(`SELECT payload FROM ledger WHERE type = 'page.extracted'`).pluck().all() as string[];
    db.close();
    expect(extracted.length).toBeGreaterThan(0);
    for (const p of extracted) expect(JSON.parse(p)).toMatchObject({ textSha256: expect.stringMatching(/^[0-9a-f]{64}$/), wordsSha256: expect.any(String) });
    for (const p of extracted) expect(p).not.toContain('Payroll');
  });

  it.each([
    [
      'lane and legal hold lowered',
      `UPDATE documents SET legal_hold = 0, lane = 'public' WHERE first_path LIKE '%payroll.pdf'`,
      'documents',
      /lane is public, the ledger says pii/,
    ],
    ['findings deleted', 'DELETE FROM findings', 'findings', /do not match the set/],
    ['page text rewritten', `UPDATE pages SET text = 'Payroll record for the quarter, nothing to see'`, 'pages', /text does not match/],
    ['quarantine item released by hand', `UPDATE quarantine SET state = 'released'`, 'quarantine', /state is released, the ledger says held/],
    ['request clock event removed', 'DELETE FROM request_events', 'request_events', /0 toll row\(s\), the ledger recorded 1/],
    ['request received date moved', `UPDATE requests SET received = '2026-11-20'`, 'requests', /2026-11-20, the ledger says us-federal 2026-11-02/],
  ])('%s: ledger verify names the row, exit 2; report export refuses to sign', (_what, sql, table, message) => {
    const dir = tampered(sql);
    const { code, json } = verify(dir);
    expect(code).toBe(2);
    expect(json.ok).toBe(false);
    expect(json.reason).toMatch(/^state-mismatch: /);
    expect(json.mismatches).toContainEqual(expect.objectContaining({ table, message: expect.stringMatching(message) }));
    const human = runCli(['--data-dir', dir, 'ledger', 'verify']);
    expect(human.stdout).toMatch(new RegExp(`state-mismatch  ${table} `));

    const out = tempDir();
    const exported = runCli(['--data-dir', dir, 'report', 'export', '--out', out]);
    expect(exported.code).toBe(2);
    expect(exported.stderr).toMatch(/Nothing was signed: state-mismatch/);
    expect(readdirSync(out)).toEqual([]);
  });

  it('a legal hold lifted alone is named too', () => {
    const dir = tampered(`UPDATE documents SET legal_hold = 0`);
    const { code, json } = verify(dir);
    expect(code).toBe(2);
    expect(json.mismatches).toEqual([
      expect.objectContaining({ table: 'documents', id: String(docId(dir, 'payroll.pdf')), message: 'legal hold is off, the ledger says on' }),
    ]);
  });
});

/** Rewrites every ledger entry from `fromSeq` on with `edit`, recomputing the chain as an attacker would. */
function rewriteChain(dataDir: string, edit: (row: LedgerRow) => LedgerRow | null): void {
  const db = openRawDatabase(dataDir);
  try {
    db.exec('DROP TRIGGER ledger_refuse_update; DROP TRIGGER ledger_refuse_delete; DROP TRIGGER checkpoints_refuse_delete;');
    const rows = db.prepare('SELECT seq, ts, trace_id, type, prev_hash, hash, payload FROM ledger ORDER BY seq').all() as LedgerRow[];
    db.exec('DELETE FROM ledger; DELETE FROM checkpoints;');
    const insert = db.prepare('INSERT INTO ledger (seq, ts, trace_id, type, prev_hash, hash, payload) VALUES (?, ?, ?, ?, ?, ?, ?)');
    let prev = GENESIS_HASH;
    let seq = 0;
    for (const row of rows) {
      const kept = edit(row);
      if (!kept) continue;
      seq++;
      const payload = JSON.parse(kept.payload) as unknown;
      const hash = entryHash({ seq, ts: kept.ts, trace_id: kept.trace_id, type: kept.type, prev_hash: prev, payload });
      insert.run(seq, kept.ts, kept.trace_id, kept.type, prev, hash, kept.payload);
      prev = hash;
    }
    // A careful attacker puts the triggers back.
    db.exec(`CREATE TRIGGER ledger_refuse_update BEFORE UPDATE ON ledger BEGIN SELECT RAISE(ABORT, 'x'); END;
             CREATE TRIGGER ledger_refuse_delete BEFORE DELETE ON ledger BEGIN SELECT RAISE(ABORT, 'x'); END;
             CREATE TRIGGER checkpoints_refuse_delete BEFORE DELETE ON checkpoints BEGIN SELECT RAISE(ABORT, 'x'); END;`);
  } finally {
    db.close();
  }
}
type LedgerRow = { seq: number; ts: string; trace_id: string; type: string; prev_hash: string; hash: string; payload: string };

describe('attack 4: checkpoints can be removed', () => {
  it('checkpoints are ledger events; deleting their rows (triggers dropped and restored) is caught', () => {
    const db = openRawDatabase(pristine, { readonly: true });
    const events = db.prepare(`SELECT COUNT(*) FROM ledger WHERE type = 'ledger.checkpoint'`).pluck().get() as number;
    db.close();
    expect(events).toBeGreaterThan(0);
    const dir = tampered(`DROP TRIGGER checkpoints_refuse_delete; DELETE FROM checkpoints;
      CREATE TRIGGER checkpoints_refuse_delete BEFORE DELETE ON checkpoints BEGIN SELECT RAISE(ABORT, 'x'); END;`);
    const { code, json } = verify(dir);
    expect(code).toBe(2);
    expect(json.reason).toMatch(/^checkpoint-row-missing/);
  });

  it('a dropped trigger is reported as triggers-missing', () => {
    const dir = tampered('DROP TRIGGER ledger_refuse_delete');
    const { code, json } = verify(dir);
    expect(code).toBe(2);
    expect(json.reason).toMatch(/^triggers-missing: ledger_refuse_delete/);
  });

  it('an entry rewritten with the chain recomputed and the checkpoint rows deleted: the recorded checkpoints no longer match', () => {
    const dir = path.join(tempDir(), 'data');
    cpSync(pristine, dir, { recursive: true });
    rewriteChain(dir, (row) => (row.type === 'file.registered' ? { ...row, payload: row.payload.replace('"retention":"hold",', '') } : row));
    const { code, json } = verify(dir);
    expect(code).toBe(2);
    expect(json.reason).toMatch(/^checkpoint-(mismatch|row-missing)/);
  });

  it('the checkpoint events removed too, chain recomputed: batch.completed without its checkpoint is an error', () => {
    const dir = path.join(tempDir(), 'data');
    cpSync(pristine, dir, { recursive: true });
    rewriteChain(dir, (row) => (row.type === 'ledger.checkpoint' ? null : row));
    const { code, json } = verify(dir);
    expect(code).toBe(2);
    expect(json.reason).toMatch(/^checkpoint-missing: a batch.completed has no signed checkpoint/);
  });
});

describe('attack 10: an export during an ingest is one snapshot', () => {
  it('every report taken while another process ingests is consistent with its own ledger.jsonl', async () => {
    const dataDir = path.join(tempDir(), 'data');
    const folder = tempDir();
    for (let i = 0; i < 10; i++) write(path.join(folder, `scan-${i}.png`), realPng(48 + i));
    const { spawn } = await import('node:child_process');
    const { BIN } = await import('./helpers/cli.js');
    const child = spawn(process.execPath, [BIN, '--data-dir', dataDir, '-q', 'ingest', folder], {
      env: { ...process.env, CUSTODIAN_FAILPOINTS: '', CUSTODIAN_OCR_ADAPTER: scriptedOcr('ok', undefined, 250) },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let childErr = '';
    child.stderr.on('data', (d: Buffer) => (childErr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    let running = true;
    void exited.then(() => (running = false));
    const out = tempDir();
    const reports: string[] = [];
    // Wait for the database, then export until the ingest is over (at least twice).
    while (running && reports.length < 12) {
      const r = runCli(['--data-dir', dataDir, '--json', 'report', 'export', '--out', out]);
      if (r.code === 0) reports.push((onlyJson(r.stdout) as { dir: string }).dir);
      else await new Promise((res) => setTimeout(res, 100));
    }
    expect(await exited, childErr).toBe(0);
    const final = runCli(['--data-dir', dataDir, '--json', 'report', 'export', '--out', out]);
    expect(final.code, final.stderr).toBe(0);
    reports.push((onlyJson(final.stdout) as { dir: string }).dir);
    expect(reports.length).toBeGreaterThanOrEqual(2);
    for (const dir of reports) {
      const facts = JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8')) as {
        ledger: { head: { seq: number } };
        documents: { id: number; status: string }[];
      };
      const lines = readFileSync(path.join(dir, 'ledger.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { seq: number; type: string; payload: { documentId?: number } });
      expect(lines.at(-1)!.seq).toBe(facts.ledger.head.seq);
      const done = new Set(lines.filter((l) => l.type === 'job.done').map((l) => l.payload.documentId));
      for (const d of facts.documents) expect(done.has(d.id), `document ${d.id} is ${d.status} in ${dir}`).toBe(d.status === 'done');
    }
  });
});

import Database from 'better-sqlite3';
import { chmodSync, cpSync, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { onlyJson, runCli } from './helpers/cli.js';
import { tempDir, textPdf, write } from './helpers/fixtures.js';
import { openRawDatabase } from './helpers/raw-db.js';
import { defaultKeyFolder, MIGRATIONS, migrate } from '../src/core/store/index.js';

// Issue 14, attack 6: what a copy of the data folder gives away. The database is encrypted with a key kept
// outside the folder; the findings key is in neither; the folder and files are owner-only.

const SSN = '536-22-1234';
const CARD = '4111 1111 1111 1111';
const PHRASE = 'Quarterly payroll adjustments for the harbour division';

async function ingestPayroll(dataDir: string): Promise<void> {
  const folder = tempDir();
  write(path.join(folder, 'payroll.pdf'), await textPdf([`${PHRASE}, employee SSN ${SSN}, card ${CARD}`]));
  const run = runCli(['--data-dir', dataDir, 'ingest', folder]);
  expect(run.code, run.stderr).toBe(0);
}

/** Every file under `dir`, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name));
}

describe('attack 6: identifiers in the clear', () => {
  it('a copy of the data folder holds no planted value and no page text, and does not open without the key', async () => {
    const dataDir = path.join(tempDir(), 'data');
    await ingestPayroll(dataDir);
    const copy = path.join(tempDir(), 'copy');
    cpSync(dataDir, copy, { recursive: true });
    for (const file of filesUnder(copy)) {
      const bytes = readFileSync(file);
      for (const secret of [SSN, SSN.replaceAll('-', ''), CARD, 'harbour division', 'Quarterly payroll']) {
        expect(bytes.includes(Buffer.from(secret)), `${secret} in ${path.relative(copy, file)}`).toBe(false);
      }
    }
    const plain = new Database(path.join(copy, 'custodian.db'), { readonly: true });
    expect(() => plain.prepare('SELECT COUNT(*) FROM pages').get()).toThrow(/not a database/);
    plain.close();
    // The key is not in the folder: it is in the user's config folder, named by the folder's id.
    const shown = onlyJson<{ databaseKey: { store: string; location: string } }>(runCli(['--data-dir', dataDir, '--json', 'key', 'show']).stdout);
    expect(shown.databaseKey.store).toBe('key-file');
    expect(path.dirname(shown.databaseKey.location)).toBe(defaultKeyFolder());
    expect(path.relative(dataDir, shown.databaseKey.location).startsWith('..')).toBe(true);
    expect(statSync(shown.databaseKey.location).mode & 0o777).toBe(0o600);
    // With the key the engine still reads it, and the findings key is nowhere in the database.
    const db = openRawDatabase(dataDir, { readonly: true });
    expect(db.prepare(`SELECT COUNT(*) FROM settings WHERE name LIKE '%key%'`).pluck().get()).toBe(0);
    expect(db.prepare(`SELECT COUNT(*) FROM findings WHERE type = 'ssn'`).pluck().get()).toBe(1);
    db.close();
  });

  it('the data folder is 0700 and the database 0600; a looser folder is fixed on open and the CLI says so', async () => {
    const dataDir = path.join(tempDir(), 'data');
    await ingestPayroll(dataDir);
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    for (const f of readdirSync(dataDir).filter((n) => n.startsWith('custodian.db'))) expect(statSync(path.join(dataDir, f)).mode & 0o777, f).toBe(0o600);
    chmodSync(dataDir, 0o755);
    chmodSync(path.join(dataDir, 'custodian.db'), 0o644);
    const run = runCli(['--data-dir', dataDir, 'docs']);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/data folder .* was readable by others; it is now owner-only \(0700\)/);
    expect(run.stderr).toMatch(/custodian\.db was readable by others; it is now owner-only \(0600\)/);
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    expect(statSync(path.join(dataDir, 'custodian.db')).mode & 0o777).toBe(0o600);
  });

  it('a plain database from before is encrypted in place; the plain file and its WAL are gone; the ledger says so', () => {
    const dataDir = tempDir();
    const plain = new Database(path.join(dataDir, 'custodian.db'));
    plain.pragma('journal_mode = WAL');
    migrate(plain, MIGRATIONS.slice(0, 7));
    plain.prepare(`INSERT INTO settings (name, value) VALUES ('finding-hmac-key', 'aa')`).run();
    plain.prepare(`INSERT INTO agency_terms (term, created_at) VALUES ('Operation Harbour', 'now')`).run();
    plain.close();
    const run = runCli(['--data-dir', dataDir, 'ledger', 'verify']);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stderr).toMatch(/stored unencrypted; it is now encrypted/);
    expect(readFileSync(path.join(dataDir, 'custodian.db')).includes(Buffer.from('Operation Harbour'))).toBe(false);
    expect(existsSync(path.join(dataDir, 'custodian.db.encrypting'))).toBe(false);
    const db = openRawDatabase(dataDir, { readonly: true });
    expect(db.prepare('SELECT term FROM agency_terms').pluck().all()).toEqual(['Operation Harbour']);
    expect(db.prepare(`SELECT COUNT(*) FROM settings WHERE name = 'finding-hmac-key'`).pluck().get()).toBe(0);
    expect(db.prepare(`SELECT type FROM ledger`).pluck().all()).toContain('db.encrypted');
    db.close();
  });

  it('db key and db sql need a reason and write their ledger event before they act', async () => {
    const dataDir = path.join(tempDir(), 'data');
    await ingestPayroll(dataDir);
    expect(runCli(['--data-dir', dataDir, 'db', 'key']).code).toBe(1);
    const key = runCli(['--data-dir', dataDir, 'db', 'key', '--reason', 'open in sqlcipher for the auditor']);
    expect(key.code, key.stderr).toBe(0);
    const hex = key.stdout.split('\n')[0]!;
    expect(hex).toMatch(/^[0-9a-f]{64}$/);
    expect(key.stdout).toContain(`PRAGMA cipher = 'sqlcipher'; PRAGMA legacy = 4; PRAGMA key = "x'<key>'";`);
    // The printed key opens the file with the printed settings, as another SQLCipher tool would.
    const other = new Database(path.join(dataDir, 'custodian.db'), { readonly: true });
    other.pragma(`cipher = 'sqlcipher'`);
    other.pragma('legacy = 4');
    other.pragma(`key = "x'${hex}'"`);
    expect(other.prepare('SELECT COUNT(*) FROM documents').pluck().get()).toBe(1);
    other.close();

    const sql = `UPDATE documents SET lane = 'public'`;
    const ran = runCli(['--data-dir', dataDir, 'db', 'sql', '--reason', 'repair after the audit', sql]);
    expect(ran.code, ran.stderr).toBe(0);
    expect(ran.stdout).toContain('1 row(s) changed.');
    const db = openRawDatabase(dataDir, { readonly: true });
    const events = db.prepare(`SELECT type, payload FROM ledger WHERE type LIKE 'db.%' ORDER BY seq`).all() as { type: string; payload: string }[];
    db.close();
    expect(events.map((e) => e.type)).toEqual(['db.key-shown', 'db.sql-run']);
    expect(JSON.parse(events[1]!.payload)).toMatchObject({ reason: 'repair after the audit', length: sql.length });
    // What it changed is itself caught by the state check.
    const verify = runCli(['--data-dir', dataDir, 'ledger', 'verify']);
    expect(verify.code).toBe(2);
    expect(verify.stdout).toMatch(/state-mismatch {2}documents \d+: lane is public, the ledger says pii/);
  });
});

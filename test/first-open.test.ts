import { spawn } from 'node:child_process';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { BIN } from './helpers/cli.js';
import { tempDir } from './helpers/fixtures.js';
import { SCHEMA_VERSION } from '../src/core/store/migrations.js';
import { applyKey } from '../src/core/store/db.js';
import { keyFileStore } from '../src/core/store/db-key.js';

/** Starts `custodian <args>` without waiting; resolves with its exit code and stderr. */
function start(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, CUSTODIAN_FAILPOINTS: '' } });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('first open of a new data folder by several processes at once', () => {
  // A clerk's app and a CLI (or two CLIs) started together on a new folder: each creates the database,
  // switches it to WAL and migrates it. One of them used to fail with `duplicate column name`.
  it('every process opens it, the schema is applied once, and all share one key', async () => {
    for (let round = 0; round < 4; round++) {
      const dataDir = path.join(tempDir(), 'data');
      const runs = await Promise.all(Array.from({ length: 4 }, () => start(['--data-dir', dataDir, '--json', 'ledger', 'verify'])));
      for (const r of runs) expect(r.code, r.stderr).toBe(0);
      const db = new Database(path.join(dataDir, 'custodian.db'));
      applyKey(db, keyFileStore(dataDir).read()!);
      expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      db.close();
    }
  });
});

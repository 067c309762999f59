import Database from 'better-sqlite3';
import path from 'node:path';
import { applyKey, keyFileStore } from '../../src/core/store/index.js';

/**
 * Opens a data folder's `custodian.db` directly, as an insider or an inspecting test would, bypassing the
 * engine, with the folder's database key from its key file (as `custodian db key` would print it). Every
 * test that reads or tampers with a data folder's database goes through here, so how the file is opened
 * lives in one place.
 */
export function openRawDatabase(dataDir: string, options: Database.Options = {}): Database.Database {
  const db = new Database(path.join(dataDir, 'custodian.db'), options);
  const key = keyFileStore(dataDir).read();
  if (key) applyKey(db, key);
  return db;
}

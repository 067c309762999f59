import Database from 'better-sqlite3';
import path from 'node:path';

/**
 * Opens a data folder's `custodian.db` directly, as an insider or an inspecting test would, bypassing the
 * engine. Every test that reads or tampers with a data folder's database goes through here, so how the
 * file is opened (and any key it needs) lives in one place.
 */
export function openRawDatabase(dataDir: string, options: Database.Options = {}): Database.Database {
  return new Database(path.join(dataDir, 'custodian.db'), options);
}

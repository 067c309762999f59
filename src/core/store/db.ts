import Database from 'better-sqlite3';
import path from 'node:path';
import { EngineError } from '../errors.js';
import { ensureDataDir } from './data-dir.js';
import { migrate } from './migrations.js';

/** An open better-sqlite3 connection. */
export type Db = Database.Database;

/** File name of the database inside the data dir. */
export const DATABASE_FILE = 'custodian.db';

/**
 * Opens `<dataDir>/custodian.db` (creating the dir and the schema as needed) with WAL, foreign keys,
 * a busy timeout for a second process, and `synchronous=FULL`: the ledger promises that a committed
 * event survives power loss, which WAL's default NORMAL does not.
 * @throws EngineError `data-dir-unusable` or `database-unusable`.
 */
export function openDatabase(dataDir: string): Db {
  ensureDataDir(dataDir);
  const file = path.join(dataDir, DATABASE_FILE);
  let db: Db | undefined;
  try {
    db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 10000');
    migrate(db);
    return db;
  } catch (err) {
    db?.close();
    if (err instanceof EngineError) throw err;
    const reason = err instanceof Error ? err.message : String(err);
    throw new EngineError('database-unusable', `Cannot open database ${file}: ${reason}`, { cause: err });
  }
}

import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, linkSync, openSync, renameSync, rmSync, copyFileSync } from 'node:fs';
import path from 'node:path';
import { EngineError } from '../errors.js';
import { ensureDataDir } from './data-dir.js';
import { DATABASE_FILE, isPlainSqlite, keyFileStore, tightenMode, type DbKeyStore } from './db-key.js';
import { migrate } from './migrations.js';

// better-sqlite3-multiple-ciphers tells glibc from musl with process.report, whose report lists the network
// interfaces (a netlink socket to the kernel). Custodian opens no socket of any kind: leave them out. Set
// here because every connection is opened after this module loads (the binding is found at the first open).
(process.report as NodeJS.ProcessReport & { excludeNetwork: boolean }).excludeNetwork = true; // Node 22.13+; not yet in @types/node 22.20

/** An open better-sqlite3 connection. */
export type Db = Database.Database;

export { DATABASE_FILE } from './db-key.js';

/**
 * The cipher settings of every Custodian database (SQLCipher 4 defaults, as better-sqlite3-multiple-ciphers
 * names them): another SQLCipher tool opens the file with `PRAGMA key = "x'<64 hex digits>'";`.
 */
export const CIPHER_PRAGMAS = [`cipher = 'sqlcipher'`, 'legacy = 4'] as const;

/** How to open a data folder's database. */
export type OpenOptions = {
  /** Where the key is kept (default: the CLI's key file, see `keyFileStore`). */
  keys?: DbKeyStore;
  /** The key the database file is encrypted with, when it is not (yet) the store's: a restored snapshot's. */
  fileKey?: Buffer;
  /** Told what was fixed on the way (modes made owner-only, a plain database encrypted). */
  onNote?: (note: string, what: 'mode' | 'encrypted') => void;
};

// The database's key, for secrets derived from it (the findings HMAC key): never stored, never in `settings`.
const keys = new WeakMap<Db, Buffer>();

/** The key `db` was opened with. @throws Error for a connection `openDatabase` did not open. */
export function databaseKey(db: Db): Buffer {
  const key = keys.get(db);
  if (!key) throw new Error('not a Custodian database connection');
  return key;
}

/** Applies `key` to a fresh connection, before anything reads the file. */
export function applyKey(db: Db, key: Buffer): void {
  for (const p of CIPHER_PRAGMAS) db.pragma(p);
  db.pragma(`key = "x'${key.toString('hex')}'"`);
}

/**
 * Opens `<dataDir>/custodian.db` (creating the dir and the schema as needed), encrypted with the data
 * folder's key (made on first use, kept outside the folder), with WAL, foreign keys, a busy timeout for a
 * second process, and `synchronous=FULL`: the ledger promises that a committed event survives power loss,
 * which WAL's default NORMAL does not. A plain database from before encryption is encrypted in place first;
 * the folder is made 0700 and the database files 0600 when they were looser.
 * @throws EngineError `data-dir-unusable` or `database-unusable`.
 */
export function openDatabase(dataDir: string, options: OpenOptions = {}): Db {
  const note = options.onNote ?? (() => {});
  if (ensureDataDir(dataDir)) note(`The data folder ${dataDir} was readable by others; it is now owner-only (0700).`, 'mode');
  const file = path.join(dataDir, DATABASE_FILE);
  let db: Db | undefined;
  try {
    const store = options.keys ?? keyFileStore(dataDir);
    let key = store.read();
    if (existsSync(file) && isPlainSqlite(file)) {
      key ??= store.create();
      encryptInPlace(file, key);
      note(`The database was stored unencrypted; it is now encrypted (key: ${store.kind} ${store.location}) and the plain file is gone.`, 'encrypted');
    } else if (existsSync(file) && options.fileKey) {
      key ??= store.create(options.fileKey);
      if (!key.equals(options.fileKey)) rekey(file, options.fileKey, key);
    } else if (existsSync(file) && !key) {
      throw new EngineError(
        'database-unusable',
        `Cannot open database ${file}: it is not a plain SQLite file and no key for it is at ${store.location} (${store.kind}): its key is kept elsewhere, or it is not a Custodian database.`,
      );
    }
    key ??= store.create();
    if (!existsSync(file)) createDatabaseFile(file, key);
    db = new Database(file);
    applyKey(db, key);
    // The wait comes first: switching a new file to WAL takes a lock another opening process may hold.
    db.pragma('busy_timeout = 10000');
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    migrate(db);
    keys.set(db, key);
    for (const f of [file, `${file}-wal`, `${file}-shm`]) {
      if (tightenMode(f, 0o600)) note(`${path.basename(f)} was readable by others; it is now owner-only (0600).`, 'mode');
    }
    return db;
  } catch (err) {
    db?.close();
    if (err instanceof EngineError) throw err;
    const reason = err instanceof Error ? err.message : String(err);
    const hint = /not a database/u.test(reason) ? ' (wrong key, or not a Custodian database)' : '';
    throw new EngineError('database-unusable', `Cannot open database ${file}: ${reason}${hint}`, { cause: err });
  }
}

/**
 * A read-only connection to an existing data folder's database with its key: for a check that runs in
 * another thread beside the engine's own connection (WAL lets it read a snapshot while the engine writes).
 * @throws EngineError `database-unusable` when the file is missing or the key does not open it.
 */
export function openReadOnly(dataDir: string, key: Buffer): Db {
  const file = path.join(dataDir, DATABASE_FILE);
  let db: Db | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    applyKey(db, key);
    db.pragma('busy_timeout = 10000');
    db.prepare('SELECT count(*) FROM sqlite_master').get();
    keys.set(db, key);
    return db;
  } catch (err) {
    db?.close();
    throw new EngineError('database-unusable', `Cannot open database ${file} to read: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}

/**
 * Encrypts a plain database: a copy is made whole (WAL folded in), encrypted, opened with the key and
 * compared with the original (schema version, rows of the ledger and its head), then renamed over the
 * original; its -wal and -shm go. A crash before the rename leaves the plain database as it was.
 */
function encryptInPlace(file: string, key: Buffer): void {
  const work = `${file}.encrypting`;
  rmSync(work, { force: true });
  const plain = new Database(file);
  let expected: string;
  try {
    plain.pragma('wal_checkpoint(TRUNCATE)');
    expected = fingerprintOf(plain);
  } finally {
    plain.close();
  }
  copyFileSync(file, work);
  const copy = new Database(work);
  try {
    copy.pragma('journal_mode = DELETE');
    for (const p of CIPHER_PRAGMAS) copy.pragma(p);
    copy.pragma(`rekey = "x'${key.toString('hex')}'"`);
  } finally {
    copy.close();
  }
  const check = new Database(work);
  try {
    applyKey(check, key);
    if (fingerprintOf(check) !== expected) throw new Error('the encrypted copy does not hold the same ledger; the plain database is kept');
  } finally {
    check.close();
  }
  const fd = openSync(work, 'r+');
  fsyncSync(fd);
  closeSync(fd);
  renameSync(work, file);
  rmSync(`${file}-wal`, { force: true });
  rmSync(`${file}-shm`, { force: true });
  const dir = openSync(path.dirname(file), 'r');
  fsyncSync(dir);
  closeSync(dir);
}

/** Re-encrypts a database file from one key to another (a restored snapshot, into this folder's key). */
function rekey(file: string, from: Buffer, to: Buffer): void {
  const db = new Database(file);
  try {
    applyKey(db, from);
    db.pragma('journal_mode = DELETE');
    db.pragma(`rekey = "x'${to.toString('hex')}'"`);
  } finally {
    db.close();
  }
}

function fingerprintOf(db: Db): string {
  const version = db.pragma('user_version', { simple: true }) as number;
  const hasLedger = db.prepare(`SELECT 1 FROM sqlite_master WHERE name = 'ledger'`).get();
  const ledger = hasLedger
    ? (db.prepare('SELECT COUNT(*) AS n, MAX(seq) AS head, (SELECT hash FROM ledger ORDER BY seq DESC LIMIT 1) AS hash FROM ledger').get() as object)
    : {};
  return JSON.stringify({ version, ledger });
}

/**
 * Makes a new encrypted database at `file` all at once: written beside it (owner-only before SQLite creates
 * it, so its -wal and -shm take the same mode), then hard-linked into place. A cipher fixes its salt when it
 * first meets an empty file, so a second process opening the same new folder while the first was writing page
 * one read it under another salt ("file is not a database"). Now the file appears with its first page, and
 * if another process made one first, that one is kept.
 */
function createDatabaseFile(file: string, key: Buffer): void {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.new`;
  closeSync(openSync(tmp, 'wx', 0o600));
  try {
    const db = new Database(tmp);
    try {
      applyKey(db, key);
      db.pragma('journal_mode = WAL');
    } finally {
      db.close();
    }
    linkSync(tmp, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  } finally {
    for (const f of [tmp, `${tmp}-wal`, `${tmp}-shm`]) rmSync(f, { force: true });
  }
}

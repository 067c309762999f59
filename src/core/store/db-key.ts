import { randomBytes, randomUUID } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  existsSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EngineError } from '../errors.js';

// The database key never lives in the clear beside the data. The app keeps it sealed by the OS (Electron's
// safeStorage, in src/main); the CLI keeps it in a key file outside the data folder, in the user's config
// folder, one per data folder (named by the folder's id, so a moved folder keeps its key).

/** Where a data folder's database key is kept, and how to read or make it. */
export type DbKeyStore = {
  /** `key-file`: a 0600 file outside the data folder; `safe-storage`: sealed by the OS for this account. */
  kind: 'key-file' | 'safe-storage';
  /** The file that holds the key (sealed, for `safe-storage`). */
  location: string;
  /** The key, or null when none was made yet. @throws EngineError when the store is there but unreadable. */
  read(): Buffer | null;
  /** Stores (durably) and returns `key`, or a new random 32-byte key. */
  create(key?: Buffer): Buffer;
};

/** The database file inside a data folder. */
export const DATABASE_FILE = 'custodian.db';

/** File in the data folder naming it (not secret): the key file is found by it. */
export const DATA_FOLDER_ID_FILE = 'data-folder-id';

/** The data folder's id, made on first use (by whichever of two processes opening a new folder comes first). */
export function dataFolderId(dataDir: string): string {
  const file = path.join(dataDir, DATA_FOLDER_ID_FILE);
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    writeSecretFile(file, `${randomUUID()}\n`, { exclusive: true });
  }
  return readFileSync(file, 'utf8').trim();
}

/** The per-user folder key files go in by default: never inside the default data folder. */
export function defaultKeyFolder(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env, home = os.homedir()): string {
  if (platform === 'win32') return path.win32.join(env.LOCALAPPDATA ?? path.win32.join(home, 'AppData', 'Local'), 'Custodian', 'keys');
  if (platform === 'darwin') return path.posix.join(home, 'Library', 'Preferences', 'Custodian', 'keys');
  const xdg = env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : path.join(home, '.config');
  return path.join(xdg, 'custodian', 'keys');
}

/**
 * The CLI's key store: `CUSTODIAN_DB_KEY_FILE` if set, else `<config>/custodian/keys/<data folder id>.key`
 * (0600, its folder 0700). @throws EngineError `database-unusable` when the key file would sit inside the data folder.
 */
export function keyFileStore(dataDir: string, env: NodeJS.ProcessEnv = process.env): DbKeyStore {
  let resolved: string | undefined;
  // Found when first needed: the data folder (which names the file) may not exist yet.
  const where = (): string => {
    if (resolved) return resolved;
    const explicit = env.CUSTODIAN_DB_KEY_FILE?.trim();
    const location = path.resolve(explicit || path.join(defaultKeyFolder(process.platform, env), `${dataFolderId(dataDir)}.key`));
    const inside = path.relative(path.resolve(dataDir), location);
    if (!inside.startsWith('..') && !path.isAbsolute(inside)) {
      throw new EngineError(
        'database-unusable',
        `The database key file ${location} would be inside the data folder; keep it elsewhere (CUSTODIAN_DB_KEY_FILE).`,
      );
    }
    return (resolved = location);
  };
  const read = (): Buffer | null => {
    const location = where();
    if (!existsSync(location)) return null;
    tightenMode(location, 0o600);
    const hex = readFileSync(location, 'utf8').trim();
    if (!/^[0-9a-f]{64}$/u.test(hex)) throw new EngineError('database-unusable', `The database key file ${location} does not hold a key.`);
    return Buffer.from(hex, 'hex');
  };
  return {
    kind: 'key-file',
    get location() {
      return where();
    },
    read,
    create: (given?: Buffer) => {
      const location = where();
      mkdirSync(path.dirname(location), { recursive: true, mode: 0o700 });
      // Exclusive: a second process opening the same new folder at once takes the first one's key.
      writeSecretFile(location, `${(given ?? randomBytes(32)).toString('hex')}\n`, { exclusive: true });
      return read()!;
    },
  };
}

/**
 * Writes a file 0600 whatever the umask, durably (temp file, fsync, then rename; with `exclusive`, a hard
 * link that fails when the file exists, so a file another process made first is kept).
 * @returns whether this call wrote it.
 */
export function writeSecretFile(file: string, content: string | Uint8Array, options: { exclusive?: boolean } = {}): boolean {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    writeSync(fd, typeof content === 'string' ? Buffer.from(content) : content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  chmodSync(tmp, 0o600);
  if (!options.exclusive) {
    renameSync(tmp, file);
    return true;
  }
  try {
    linkSync(tmp, file);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  } finally {
    unlinkSync(tmp);
  }
}

/** Narrows a file's or folder's mode to `mode` if it allows more. @returns whether it was looser. */
export function tightenMode(file: string, mode: number): boolean {
  if (process.platform === 'win32' || !existsSync(file)) return false;
  const current = statMode(file);
  if ((current & ~mode & 0o777) === 0) return false;
  chmodSync(file, mode);
  return true;
}

function statMode(file: string): number {
  return statSync(file).mode & 0o777;
}

/** Whether a file starts with SQLite's plain header (an encrypted file's first bytes are random). */
export function isPlainSqlite(file: string): boolean {
  const fd = openSync(file, 'r');
  try {
    const head = Buffer.alloc(16);
    return readSync(fd, head, 0, 16, 0) === 16 && head.toString('latin1') === 'SQLite format 3\0';
  } finally {
    closeSync(fd);
  }
}

/**
 * The key a face must hand the engine for `dataDir`, found before the engine opens (the app unseals it in
 * the main process and passes it to the engine host): the store's key; a new one (stored) where the engine
 * would make one, for a new folder or a plain database it will encrypt; null for an encrypted database whose
 * key this store does not hold (opening then says so).
 */
export function provisionKey(dataDir: string, store: DbKeyStore): Buffer | null {
  const existing = store.read();
  if (existing) return existing;
  const file = path.join(dataDir, DATABASE_FILE);
  return existsSync(file) && !isPlainSqlite(file) ? null : store.create();
}

/**
 * A key store over a key already found (see {@link provisionKey}): reads it, and refuses to make another,
 * which only the face holding the real store could keep.
 */
export function givenKeyStore(key: Buffer | null, kind: DbKeyStore['kind'], location: string): DbKeyStore {
  return {
    kind,
    location,
    read: () => key,
    create: (given?: Buffer) => {
      if (key && (!given || given.equals(key))) return key;
      throw new EngineError('database-unusable', `No key for this database is at ${location} (${kind}), and the engine host cannot store one.`);
    },
  };
}

import { accessSync, constants, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EngineError } from '../errors.js';
import { tightenMode } from './db-key.js';

/**
 * Where Custodian keeps its database when no `--data-dir` is given and `CUSTODIAN_DATA_DIR` is unset:
 * the platform's per-user application-data folder.
 */
export function defaultDataDir(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env, home: string = os.homedir()): string {
  if (platform === 'win32') return path.win32.join(env.APPDATA ?? path.win32.join(home, 'AppData', 'Roaming'), 'Custodian');
  if (platform === 'darwin') return path.posix.join(home, 'Library', 'Application Support', 'Custodian');
  const xdg = env.XDG_DATA_HOME && path.isAbsolute(env.XDG_DATA_HOME) ? env.XDG_DATA_HOME : path.join(home, '.local', 'share');
  return path.join(xdg, 'custodian');
}

/** The data dir in force: the explicit one, else `CUSTODIAN_DATA_DIR`, else the platform default. */
export function resolveDataDir(explicit: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const chosen = explicit ?? (env.CUSTODIAN_DATA_DIR || undefined) ?? defaultDataDir(process.platform, env);
  return path.resolve(chosen);
}

/**
 * Creates the data dir if needed (0700) and proves it writable, before anything is written into it; an
 * existing one that others could read is made owner-only. @returns whether its mode was looser.
 * @throws EngineError `data-dir-unusable` with the reason in operator words.
 */
export function ensureDataDir(dir: string): boolean {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    accessSync(dir, constants.W_OK | constants.X_OK);
    return tightenMode(dir, 0o700);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new EngineError('data-dir-unusable', `Cannot use data directory ${dir}: ${reason}`, { cause: err });
  }
}

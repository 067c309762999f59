import os from 'node:os';
import path from 'node:path';
import { defaultDataDir } from '../core/store/data-dir.js';

/**
 * The app's data folder, the same in development and packaged (never Electron's `userData`, which is
 * `custodian` from the source tree and `Custodian` installed). On Windows the database and signing key stay
 * on this machine, in Local AppData: Roaming AppData is copied to servers with a roaming profile.
 */
export function appDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home: string = os.homedir()): string {
  if (env.CUSTODIAN_DATA_DIR) return path.resolve(env.CUSTODIAN_DATA_DIR);
  if (platform === 'win32') return path.win32.join(env.LOCALAPPDATA ?? path.win32.join(home, 'AppData', 'Local'), 'Custodian');
  return defaultDataDir(platform, env, home);
}

import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { safeStorage } from 'electron';
import { keyFileStore, writeSecretFile, type DbKeyStore } from '../core/store/db-key.js';

/** File in the data folder holding the database key sealed by the OS (useless without this account's login). */
export const SEALED_KEY_FILE = 'database-key.sealed';

/**
 * The app's database key store, as Signal Desktop keeps its key: sealed with Electron's `safeStorage`
 * (DPAPI on Windows, the Keychain on macOS, the Secret Service or kwallet on Linux), so the blob beside the
 * data opens only for this account on this machine. Refuses to store a key where the OS offers no
 * encryption (Linux `basic_text`): the CLI's key file outside the data folder is then the way.
 */
export function safeStorageKeyStore(dataDir: string): DbKeyStore {
  const location = path.join(dataDir, SEALED_KEY_FILE);
  return {
    kind: 'safe-storage',
    location,
    // A folder the CLI made has its key in the CLI's key file: the app reads it there.
    read: () => (existsSync(location) ? Buffer.from(safeStorage.decryptString(readFileSync(location)), 'hex') : keyFileStore(dataDir).read()),
    create: (given?: Buffer) => {
      if (!safeStorage.isEncryptionAvailable() || safeStorage.getSelectedStorageBackend?.() === 'basic_text')
        throw new Error(
          'This system offers no OS key storage for the database key; open the data folder with the custodian CLI, which keeps it in a key file.',
        );
      const key = given ?? randomBytes(32);
      writeSecretFile(location, safeStorage.encryptString(key.toString('hex')));
      return key;
    },
  };
}

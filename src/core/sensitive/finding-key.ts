import { hkdfSync } from 'node:crypto';
import { databaseKey, type Db } from '../store/index.js';

/**
 * The data folder's secret key for hashing matched text in findings. Without it, a hash of a nine-digit SSN
 * could be reversed by trying every number; with it, only this data folder can match values. It is derived
 * from the database key (HKDF-SHA256), so it is stored nowhere: not in `settings` (where it was kept before,
 * and from where opening the engine removes it), not in the data folder.
 */
export function findingKey(db: Db): string {
  return Buffer.from(hkdfSync('sha256', databaseKey(db), 'custodian', 'finding-hmac-key/1', 32)).toString('hex');
}

/**
 * Removes the key older data folders kept in `settings`. Their findings keep the hashes made with it: such
 * a hash no longer matches the same value found again, which only affects grouping, never what is shown.
 * @returns whether a key was removed.
 */
export function forgetStoredFindingKey(db: Db): boolean {
  return db.prepare(`DELETE FROM settings WHERE name = 'finding-hmac-key'`).run().changes > 0;
}

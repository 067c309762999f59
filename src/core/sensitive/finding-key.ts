import { randomBytes } from 'node:crypto';
import type { Db } from '../store/index.js';

/**
 * The data dir's secret key for hashing matched text in findings, made on first use. Without it, a hash of
 * a nine-digit SSN could be reversed by trying every number; with it, only this database can match values.
 */
export function findingKey(db: Db): string {
  const existing = db.prepare(`SELECT value FROM settings WHERE name = 'finding-hmac-key'`).pluck().get() as string | undefined;
  if (existing) return existing;
  db.prepare(`INSERT OR IGNORE INTO settings (name, value) VALUES ('finding-hmac-key', ?)`).run(randomBytes(32).toString('hex'));
  return db.prepare(`SELECT value FROM settings WHERE name = 'finding-hmac-key'`).pluck().get() as string;
}

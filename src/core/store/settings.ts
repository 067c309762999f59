import type { Db } from './db.js';

/** One value of the `settings` table (name → text), or undefined when unset. */
export function readSetting(db: Db, name: string): string | undefined {
  return db.prepare('SELECT value FROM settings WHERE name = ?').pluck().get(name) as string | undefined;
}

/** Sets one value of the `settings` table, replacing what was there. */
export function writeSetting(db: Db, name: string, value: string): void {
  db.prepare('INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value').run(name, value);
}

/** Removes values of the `settings` table. */
export function deleteSettings(db: Db, ...names: string[]): void {
  const remove = db.prepare('DELETE FROM settings WHERE name = ?');
  for (const name of names) remove.run(name);
}

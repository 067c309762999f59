import type { Command } from 'commander';
import type { CliContext } from './context.js';

/** Adds `db key` and `db sql` to the program: an administrator's way into the encrypted database. */
export function addDbCommands(program: Command, { globals, withEngine, print, printJson }: CliContext): void {
  const db = program.command('db').description('examine and repair the encrypted database (each use is on the ledger before it acts)');
  db.command('key')
    .description('print the database key and the cipher settings that open the file in other SQLCipher tools')
    .requiredOption('--reason <text>', 'why, for the ledger')
    .action(async (o: { reason: string }, cmd: Command) => {
      const opts = globals(cmd);
      await withEngine(opts, async (engine) => {
        const r = engine.admin.dbKey(o.reason);
        if (opts.json) return printJson(r);
        print(r.key);
        print(`(kept in ${r.store} ${r.location}; open with ${r.cipher.map((p) => `PRAGMA ${p};`).join(' ')} PRAGMA key = "x'<key>'";)`);
      });
    });
  db.command('sql')
    .description('run one SQL statement on the open database: a query prints its rows as JSON lines')
    .requiredOption('--reason <text>', 'why, for the ledger')
    .argument('<sql>', 'one statement')
    .action(async (sql: string, o: { reason: string }, cmd: Command) => {
      const opts = globals(cmd);
      await withEngine(opts, async (engine) => {
        const r = engine.admin.sql(o.reason, sql);
        if (opts.json) return printJson(r);
        if ('rows' in r) for (const row of r.rows) print(JSON.stringify(row));
        else print(`${r.changes} row(s) changed.`);
      });
    });
}

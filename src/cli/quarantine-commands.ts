import type { Command } from 'commander';
import { Option } from 'commander';
import { terminalSafe } from './terminal-safe.js';
import { REASON_CODES } from '../shared/reason-codes.js';
import type { QuarantineItem } from '../shared/types.js';
import { parseId, type CliContext, type GlobalOptions } from './context.js';

/** One quarantine item as `custodian quarantine` and `ingest` list it. */
export function describeQuarantine(q: QuarantineItem): string {
  return `  #${q.id}  ${q.reasonCode}  ${terminalSafe(q.path)}\n        ${terminalSafe(q.message)}${q.state === 'held' ? '' : ` [${q.state}${q.resolution ? `: ${q.resolution}` : ''}]`}`;
}

/** Adds `quarantine [retry|release]` to the program. */
export function addQuarantineCommands(program: Command, { globals, withEngine, print, printJson }: CliContext): void {
  const quarantine = program
    .command('quarantine')
    .description('list held quarantine items; retry or release them')
    .option('--all', 'include released and resolved items')
    .action(async (_o, cmd: Command) => {
      const opts = globals(cmd) as GlobalOptions & { all?: boolean };
      await withEngine(opts, async (engine) => {
        const items = engine.quarantine.list({ all: opts.all === true }).map(({ jobId: _j, intakeEntryId: _e, ...item }) => item);
        if (opts.json) return printJson({ items });
        if (items.length === 0) return print('Quarantine is empty.');
        for (const q of items) print(describeQuarantine(q));
      });
    });

  quarantine
    .command('retry')
    .description('examine an item again as intake would now; it is registered if it passes')
    .argument('<id>', 'quarantine item id', parseId)
    .action(async (id: number, _o, cmd: Command) => {
      const opts = globals(cmd);
      await withEngine(opts, async (engine) => {
        const { item, outcome, documentId } = await engine.quarantine.retry(id);
        if (opts.json) return printJson({ id, outcome, documentId, reasonCode: item.reasonCode, state: item.state });
        print(outcome === 'still-held' ? `#${id} is still held: ${item.reasonCode} — ${item.message}` : `#${id} ${outcome}.`);
      });
    });

  quarantine
    .command('release')
    .description('release an item on your recorded reason; a file that is a record is registered as it is')
    .argument('<id>', 'quarantine item id', parseId)
    .addOption(new Option('--reason <text>', 'why (recorded in the ledger)').makeOptionMandatory())
    .action(async (id: number, _o, cmd: Command) => {
      const opts = globals(cmd) as GlobalOptions & { reason: string };
      await withEngine(opts, async (engine) => {
        const { item, documentId } = await engine.quarantine.release(id, opts.reason);
        if (opts.json) return printJson({ id, outcome: 'released', documentId, state: item.state });
        print(`#${id} released${documentId ? ` (document ${documentId})` : ''}.`);
      });
    });
}

/** Adds `reasons` (the reason codes with their messages) to the program. */
export function addReasonsCommand(program: Command, { globals, print, printJson }: CliContext): void {
  program
    .command('reasons')
    .description('list the quarantine reason codes')
    .action((_o, cmd: Command) => {
      if (globals(cmd).json) return printJson({ reasons: REASON_CODES });
      for (const [code, message] of Object.entries(REASON_CODES)) print(`${code.padEnd(22)} ${message}`);
    });
}

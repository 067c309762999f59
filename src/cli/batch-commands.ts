import type { Command } from 'commander';
import type { CliContext } from './context.js';
import type { BatchOverview } from '../shared/types.js';

/** One line per batch for `custodian batches`. */
function formatBatchLine(b: BatchOverview): string {
  const state = b.hold ?? b.state;
  return (
    `${b.batchId}  ${state.padEnd(10)} ${b.createdAt}  ${b.intake.files} files, ${b.intake.registered} new, ${b.intake.duplicates} dup, ` +
    `${b.intake.quarantined + b.jobs.quarantined} quarantined; records ${b.jobs.done}/${b.jobs.total}; pages ${b.pages.extracted}/${b.pages.planned}; ` +
    `lanes ${b.lanes.public}/${b.lanes.pii}/${b.lanes.classified}${b.requestId ? `; request ${b.requestId}` : ''}`
  );
}

/** Adds `batches` and `batch pause|cancel|continue` to the program (the app's batch cards, from the command line). */
export function addBatchCommands(program: Command, { globals, withEngine, print, printJson }: CliContext): void {
  program
    .command('batches')
    .description('the newest batches: state, hold, files, records, pages extracted, lanes')
    .option('--limit <n>', 'how many (default 50)', (v) => Number.parseInt(v, 10))
    .action(async (o: { limit?: number }, cmd: Command) => {
      const opts = globals(cmd);
      await withEngine(opts, async (engine) => {
        const batches = engine.batches.list({ limit: o.limit });
        if (opts.json) return printJson({ batches });
        if (batches.length === 0) print('No batches.');
        for (const b of batches) print(formatBatchLine(b));
      });
    });

  const batch = program.command('batch').description('hold or continue one batch');
  batch
    .command('pause')
    .description('stop leasing the batch’s queued records (pages already running finish); `batch continue` takes them up')
    .argument('<batch>', 'batch id')
    .action(async (id: string, _o, cmd: Command) => {
      const opts = globals(cmd);
      await withEngine(opts, async (engine) => {
        const r = engine.batches.hold(id, 'paused');
        if (opts.json) printJson(r);
        else print(`Batch ${id} paused: ${r.queued} record(s) waiting.`);
      });
    });
  batch
    .command('cancel')
    .description('stop the batch: its unprocessed records stay registered and listed; the reason goes into the ledger')
    .argument('<batch>', 'batch id')
    .requiredOption('--reason <text>', 'why, for the record')
    .action(async (id: string, o: { reason: string }, cmd: Command) => {
      const opts = globals(cmd);
      await withEngine(opts, async (engine) => {
        const r = engine.batches.hold(id, 'cancelled', o.reason);
        if (opts.json) printJson(r);
        else print(`Batch ${id} cancelled: ${r.queued} record(s) not processed.`);
      });
    });
  batch
    .command('continue')
    .description('lift a pause or cancel and process the batch’s queued records now')
    .argument('<batch>', 'batch id')
    .action(async (id: string, _o, cmd: Command) => {
      const opts = globals(cmd);
      await withEngine(opts, async (engine) => {
        const r = engine.batches.continue(id);
        const run = await engine.resume();
        if (opts.json) printJson({ ...r, jobs: run.jobs });
        else print(`Batch ${id} continued: ${run.jobs.done} record(s) processed, ${run.jobs.quarantined} quarantined.`);
      });
    });
}

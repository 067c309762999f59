import type { Command } from 'commander';
import type { IngestSummary, Lane, QuarantineItem } from '../shared/types.js';
import type { CliContext, GlobalOptions } from './context.js';
import { formatBytes } from './progress-display.js';
import { describeQuarantine } from './quarantine-commands.js';

/** Adds `ingest` and `resume` to the program. */
export function addIntakeCommands(program: Command, { globals, withEngine, print, printJson }: CliContext): void {
  const printIngest = (summary: IngestSummary, held: QuarantineItem[]): void => {
    print(`Batch ${summary.batchId}  (trace ${summary.traceId})${summary.requestId ? `  request ${summary.requestId}` : ''}`);
    print(
      `  ${summary.files} files: ${summary.registered} registered, ${summary.duplicates} duplicates, ${summary.unsupported} unsupported, ` +
        `${summary.custodyFiles} custody files; ${summary.quarantined} quarantined${summary.holds ? `; ${summary.holds} on legal hold` : ''}`,
    );
    print(
      `  processed: ${summary.jobs.done} of ${summary.jobs.total} documents${summary.jobs.quarantined ? `, ${summary.jobs.quarantined} quarantined` : ''}${summary.jobs.pending ? `, ${summary.jobs.pending} pending` : ''}`,
    );
    const pg = summary.pages;
    print(
      `  pages: ${pg.total} (${pg.ocr} OCR${pg.blank ? `, of them ${pg.blank} blank, not read` : ''}, ${pg.textLayer} text layer${pg.fallback ? `, ${pg.fallback} text-layer fallback awaiting OCR` : ''})`,
    );
    print(`  ${formatBytes(summary.bytes)} hashed; finished in ${(summary.durationMs / 1000).toFixed(1)} s`);
    if (held.length) {
      print('Quarantine (see `custodian quarantine`):');
      for (const q of held) print(describeQuarantine(q));
    }
  };

  program
    .command('ingest')
    .description('take in files and folders as one batch: hash, dedupe, verify custody, quarantine, queue and process')
    .argument('<path...>', 'files or folders')
    .option('--request <id>', 'attach the batch to a records request')
    .option('--lane <lane>', 'process the batch in a restricted lane from the start: pii or classified')
    .option('--no-extract', 'take the files in now, extract text later with `custodian resume`')
    .action(async (paths: string[], _o, cmd: Command) => {
      const opts = globals(cmd) as GlobalOptions & { request?: string; lane?: string };
      await withEngine(
        opts,
        async (engine) => {
          const summary = await engine.ingest(paths, { requestId: opts.request ?? null, lane: (opts.lane as Lane | undefined) ?? null });
          if (opts.json) return printJson(summary);
          printIngest(summary, engine.quarantine.list({ batchId: summary.batchId }));
        },
        true,
      );
    });

  program
    .command('resume')
    .description('finish work an interrupted run left: walks, leased and queued jobs')
    .action(async (_o, cmd: Command) => {
      const opts = globals(cmd);
      await withEngine(
        opts,
        async (engine) => {
          const summary = await engine.resume();
          if (opts.json) return printJson(summary);
          print(`Resumed ${summary.batchesResumed} interrupted batch walk(s), reclaimed ${summary.leasesReclaimed} lease(s).`);
          print(`Processed ${summary.jobs.done} of ${summary.jobs.total} pending documents; ${summary.jobs.pending} still pending.`);
        },
        true,
      );
    });
}

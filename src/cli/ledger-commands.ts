import type { Command } from 'commander';
import { describeMismatch } from '../core/index.js';
import { parseId, type CliContext, type GlobalOptions } from './context.js';

/** Adds `ledger verify` and `ledger tail` to the program. */
export function addLedgerCommands(program: Command, { globals, withEngine, print, printJson, verificationFailed }: CliContext): void {
  const ledger = program.command('ledger').description('the hash-chained audit ledger');
  ledger
    .command('verify')
    .description(
      'check every entry of the hash chain, every signed checkpoint, the append-only triggers, and that the stored documents, pages, findings, quarantine and requests are as the ledger recorded; exit 2 if not',
    )
    .option('--against <report-dir>', 'also prove the ledger still holds, unchanged, the head recorded in that report')
    .action(async (o: { against?: string }, cmd: Command) => {
      const opts = globals(cmd);
      await withEngine(opts, async (engine) => {
        if (o.against) {
          const r = engine.audit.verifyAgainstReport(o.against);
          if (opts.json) printJson(r);
          else print(r.ok ? `Ledger still holds the report's head (entry ${r.seq}).` : `LEDGER DOES NOT MATCH THE REPORT: ${r.problem}`);
          if (!r.ok) throw verificationFailed();
          return;
        }
        const result = engine.audit.verifyLedger();
        if (opts.json) {
          printJson(result.ok ? result : { ok: false, firstBadSeq: result.firstBadSeq, reason: result.reason, mismatches: result.mismatches });
        } else if (result.ok) {
          const state = result.state;
          print(
            `Ledger intact: ${result.entries} entries, head ${result.head}${result.checkpoints ? `; ${result.checkpoints} signed checkpoint(s) verified` : ''}` +
              (state
                ? `; ${state.checked} stored fact(s) match it${state.unbound ? ` (${state.unbound} from before facts were bound, not checked)` : ''}`
                : ''),
          );
        } else if (result.mismatches?.length) {
          print(`STATE DOES NOT MATCH THE LEDGER: ${result.mismatches.length} row(s) disagree with what the ledger recorded`);
          for (const m of result.mismatches) print(`  state-mismatch  ${describeMismatch(m)}`);
        } else {
          print(result.firstBadSeq > 0 ? `LEDGER BROKEN at entry ${result.firstBadSeq}: ${result.reason}` : `LEDGER BROKEN: ${result.reason}`);
        }
        if (!result.ok) throw verificationFailed();
      });
    });
  ledger
    .command('tail')
    .description('show the newest ledger entries')
    .option('-n <count>', 'how many', parseId, 20)
    .action(async (_o, cmd: Command) => {
      const opts = globals(cmd) as GlobalOptions & { n: number };
      await withEngine(opts, async (engine) => {
        const entries = engine.audit.tailLedger(opts.n);
        if (opts.json) return printJson({ entries });
        for (const e of entries) print(`${String(e.seq).padStart(7)}  ${e.ts}  ${e.type.padEnd(22)} ${JSON.stringify(e.payload)}`);
      });
    });
}

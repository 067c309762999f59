import { Command, CommanderError } from 'commander';
import { packageVersion, storageError } from '../core/index.js';
import { terminalSafeText } from './terminal-safe.js';
import { EXIT, VerificationFailed, cliContext, parseId } from './context.js';
import { addIntakeCommands } from './intake-commands.js';
import { addDocumentCommands } from './document-commands.js';
import { addQuarantineCommands, addReasonsCommand } from './quarantine-commands.js';
import { addLedgerCommands } from './ledger-commands.js';
import { addDeadlineCommands } from './deadline-commands.js';
import { addBatchCommands } from './batch-commands.js';
import { addSensitiveCommands } from './sensitive-commands.js';
import { addAuditCommands } from './audit-commands.js';
import { addBackupCommands } from './backup-commands.js';
import { addShipCommands } from './ship-commands.js';
import { addDbCommands } from './db-commands.js';
import { addSearchCommands } from './search-commands.js';
import { addReviewCommands } from './review-commands.js';
import { addReleaseCommands } from './release-commands.js';

export { EXIT };

/** Builds the `custodian` command tree. */
export function buildProgram(): Command {
  const program = new Command('custodian')
    .description('Offline records processing: custody verification, dedupe, quarantine and a tamper-evident ledger.')
    .option('--data-dir <dir>', 'data folder (default: $CUSTODIAN_DATA_DIR, else the platform app-data folder)')
    .option('--json', 'print exactly one JSON object on stdout')
    .option('-q, --quiet', 'no progress output')
    .option('--workers <n>', 'extraction threads (default: from cores and memory, at most one per core)', parseId)
    .option('--memory-budget <MB>', 'memory extraction is held to: above it fewer pages run at once and intake waits (default: 900 MB per thread)', parseId)
    .option('-V, --version', 'print the version (with --json: {"version": …, "node": …})')
    .showHelpAfterError()
    .exitOverride()
    .addHelpText('after', `\nExit codes: 0 done (also when files were quarantined), 1 usage or environment error, 2 a verification failed.`);

  // In the order `custodian --help` lists them.
  addIntakeCommands(program, cliContext);
  addDocumentCommands(program, cliContext);
  addSearchCommands(program, cliContext);
  addReviewCommands(program, cliContext);
  addReleaseCommands(program, cliContext);
  addQuarantineCommands(program, cliContext);
  addBatchCommands(program, cliContext);
  addDeadlineCommands(program, cliContext);
  addSensitiveCommands(program, cliContext);
  addAuditCommands(program, cliContext);
  addBackupCommands(program, cliContext);
  addShipCommands(program, cliContext);
  addLedgerCommands(program, cliContext);
  addDbCommands(program, cliContext);
  addReasonsCommand(program, cliContext);
  return program;
}

/** `--version` anywhere before a `--` asks for the version, whatever else is on the line (as with most CLIs). */
function asksForVersion(argv: string[]): boolean {
  const end = argv.indexOf('--');
  const head = end === -1 ? argv : argv.slice(0, end);
  return head.includes('--version') || head.includes('-V');
}

/** Runs the CLI and returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const json = argv.includes('--json');
  if (asksForVersion(argv)) {
    if (json) cliContext.printJson({ version: packageVersion(), node: process.versions.node });
    else cliContext.print(`custodian ${packageVersion()}`);
    return EXIT.ok;
  }
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return EXIT.ok;
  } catch (err) {
    if (err instanceof VerificationFailed) return EXIT.verificationFailed;
    if (err instanceof CommanderError) {
      return err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    const known = storageError(err);
    const message = known?.message ?? (err instanceof Error ? err.message : String(err));
    const code = known?.code ?? 'internal-error';
    process.stderr.write(`custodian: ${terminalSafeText(message)}\n`);
    if (json) cliContext.printJson({ ok: false, error: { code, message } });
    // A report refused because the ledger or its state failed verification is a verification failure.
    return code === 'ledger-unverified' ? EXIT.verificationFailed : EXIT.usage;
  }
}

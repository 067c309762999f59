import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { EngineError, MIN_PASSPHRASE_LENGTH, resolveDataDir, restoreBackup, systemClock } from '../core/index.js';
import type { CliContext } from './context.js';

type PassphraseOptions = { passphraseFile?: string; passphraseStdin?: boolean };

/**
 * The backup passphrase, from a file or from standard input (never from the command line, where other
 * users of the workstation could read it in the process list). One trailing newline is not part of it.
 */
function readPassphrase(o: PassphraseOptions): string {
  if (Boolean(o.passphraseFile) === Boolean(o.passphraseStdin))
    throw new EngineError('invalid-argument', 'Give the passphrase with exactly one of --passphrase-file <file> or --passphrase-stdin.');
  const text = o.passphraseFile ? readFileSync(o.passphraseFile, 'utf8') : readFileSync(0, 'utf8');
  return text.replace(/\r?\n$/u, '');
}

const passphraseHelp = `at least ${MIN_PASSPHRASE_LENGTH} characters; it seals the signing key and is needed to restore`;

/** Adds `backup` and `restore` to the program. */
export function addBackupCommands(program: Command, { globals, withEngine, print, printJson }: CliContext): void {
  program
    .command('backup')
    .description('write a signed backup folder (database snapshot, sealed signing key, public keys) while work goes on')
    .requiredOption('--out <dir>', 'folder to write the backup folder into (a drive kept apart from this workstation)')
    .option('--passphrase-file <file>', `read the passphrase from a file (${passphraseHelp})`)
    .option('--passphrase-stdin', 'read the passphrase from standard input')
    .action(async (o: PassphraseOptions & { out: string }, cmd: Command) => {
      const opts = globals(cmd);
      const passphrase = readPassphrase(o);
      await withEngine(opts, async (engine) => {
        const { dir, facts } = await engine.audit.backup(passphrase, o.out);
        if (opts.json)
          return printJson({
            dir,
            backupId: facts.backupId,
            head: facts.head,
            documents: facts.documents,
            pendingJobs: facts.pendingJobs,
            fingerprint: facts.fingerprint,
          });
        print(`Backup written to ${dir}`);
        print(`  ${facts.documents} documents (${facts.pendingJobs} still to process); ledger head ${facts.head.seq}; signed by ${facts.fingerprint}`);
        print('  Keep the passphrase apart from the drive: without it the backup cannot be restored.');
      });
    });

  program
    .command('restore')
    .description('verify a backup, then restore it into a new, empty data folder (--data-dir); then run `custodian resume`')
    .argument('<backup-dir>', 'a custodian-backup-… folder')
    .option('--passphrase-file <file>', 'read the passphrase from a file')
    .option('--passphrase-stdin', 'read the passphrase from standard input')
    .action((backupDir: string, o: PassphraseOptions, cmd: Command) => {
      const opts = globals(cmd) as { json?: boolean; dataDir?: string };
      const r = restoreBackup(backupDir, resolveDataDir(opts.dataDir), readPassphrase(o), systemClock);
      if (opts.json) return printJson(r);
      print(`Restored ${r.facts.documents} documents into ${r.dataDir}`);
      print(
        `  from backup ${r.facts.backupId} of ${r.facts.createdAt} (${r.facts.host}), ledger head ${r.facts.head.seq}; restore recorded at entry ${r.restoredAtSeq}`,
      );
      print(
        `  ${r.jobsRequeued} job(s) and ${r.walksResumable} interrupted walk(s) queued again: run \`custodian resume\`, then take the shares in again with \`custodian ingest\`.`,
      );
    });
}

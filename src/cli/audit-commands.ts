import type { Command } from 'commander';
import type { CliContext } from './deadline-commands.js';

/** Adds `key show` and `report export|verify` to the program. */
export function addAuditCommands(
  program: Command,
  { globals, withEngine, print, printJson, verificationFailed }: CliContext & { verificationFailed: () => Error },
): void {
  program
    .command('key')
    .description("the workstation's Ed25519 signing key")
    .command('show')
    .description('print the public key (PEM) and its fingerprint (SHA-256 of the raw public key)')
    .action(async (_o, cmd: Command) => {
      const opts = globals(cmd);
      await withEngine(opts, async (engine) => {
        const key = engine.signingKey();
        if (opts.json) return printJson({ algorithm: 'Ed25519', fingerprint: key.fingerprint, publicKey: key.publicPem });
        print(`Ed25519 fingerprint ${key.fingerprint}`);
        print(key.publicPem.trimEnd());
      });
    });

  const report = program.command('report').description('signed audit reports that anyone can verify offline');
  report
    .command('export')
    .description('write a signed report folder (PDF, JSON, ledger, manifest, signature, public key, README)')
    .requiredOption('--out <dir>', 'folder to write the report folder into (a USB drive)')
    .option('--request <id>', 'only this request')
    .option('--batch <id>', 'only this batch')
    .option('--from <date>', 'documents registered on or after this date')
    .option('--to <date>', 'documents registered on or before this date')
    .action(async (o: { out: string; request?: string; batch?: string; from?: string; to?: string }, cmd: Command) => {
      const opts = globals(cmd);
      await withEngine(opts, async (engine) => {
        const { dir, facts } = await engine.exportReport({ requestId: o.request, batchId: o.batch, from: o.from, to: o.to }, o.out);
        if (opts.json) return printJson({ dir, documents: facts.summary.documents, head: facts.ledger.head, fingerprint: facts.signing.fingerprint });
        print(`Report written to ${dir}`);
        print(`  ${facts.summary.documents} documents; ledger head ${facts.ledger.head.seq} signed by ${facts.signing.fingerprint}`);
      });
    });
  report
    .command('verify')
    .description('check a report folder by itself; exit 2 naming what failed')
    .argument('<report-dir>')
    .action(async (dir: string, _o, cmd: Command) => {
      const opts = globals(cmd);
      await withEngine(opts, async (engine) => {
        const r = engine.verifyReport(dir);
        if (opts.json) printJson(r);
        else print(r.ok ? `Report verified: ${r.files} files, signed by ${r.fingerprint}` : `REPORT DOES NOT VERIFY: ${r.problem}`);
        if (!r.ok) throw verificationFailed();
      });
    });
}

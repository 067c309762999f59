import { EngineError, listDrives, verifyReport } from '../core/index.js';
import type { Command } from 'commander';
import type { CliContext } from './context.js';

/** Adds `key show` and `report export|verify` to the program. */
export function addAuditCommands(program: Command, { globals, withEngine, print, printJson, verificationFailed }: CliContext): void {
  const key = program.command('key').description("the workstation's Ed25519 signing key");
  key
    .command('rotate')
    .description('replace the signing key; the ledger records the new key endorsed by the old one')
    .requiredOption('--reason <text>', 'why, for the ledger')
    .action(async (o: { reason: string }, cmd: Command) => {
      const opts = globals(cmd);
      await withEngine(opts, async (engine) => {
        const r = engine.audit.rotateKey(o.reason);
        if (opts.json) return printJson(r);
        print(`Signing key replaced: ${r.oldFingerprint} -> ${r.newFingerprint}`);
      });
    });
  key
    .command('show')
    .description('print the public key (PEM) and its fingerprint (SHA-256 of the raw public key)')
    .action(async (_o, cmd: Command) => {
      const opts = globals(cmd);
      await withEngine(opts, async (engine) => {
        const key = engine.audit.signingKey();
        const databaseKey = { store: engine.dbKeys.kind, location: engine.dbKeys.location };
        if (opts.json) return printJson({ algorithm: 'Ed25519', fingerprint: key.fingerprint, publicKey: key.publicPem, databaseKey });
        print(`Ed25519 fingerprint ${key.fingerprint}`);
        print(key.publicPem.trimEnd());
        print(`Database key: ${databaseKey.store === 'key-file' ? 'key file' : 'sealed by the OS (safeStorage)'} ${databaseKey.location}`);
      });
    });

  program
    .command('drives')
    .description('mounted removable drives a report can go to')
    .action(async (_o, cmd: Command) => {
      const opts = globals(cmd);
      const drives = listDrives();
      if (opts.json) return printJson({ drives });
      if (drives.length === 0) print('No removable drive is mounted.');
      const gb = (n: number | null): string => (n === null ? '?' : `${(n / 1e9).toFixed(1)} GB`);
      for (const d of drives) print(`${d.mountPoint}  ${d.device}  ${d.fsType}  ${gb(d.freeBytes)} free of ${gb(d.sizeBytes)}`);
    });

  const report = program.command('report').description('signed audit reports that anyone can verify offline');
  report
    .command('export')
    .description('write a signed report folder (PDF, JSON, ledger, manifest, signature, public key, README)')
    .option('--out <dir>', 'folder to write the report folder into (default: the one mounted removable drive)')
    .option('--request <id>', 'only this request')
    .option('--batch <id>', 'only this batch')
    .option('--from <date>', 'documents registered on or after this date')
    .option('--to <date>', 'documents registered on or before this date')
    .action(async (o: { out?: string; request?: string; batch?: string; from?: string; to?: string }, cmd: Command) => {
      const opts = globals(cmd);
      await withEngine(opts, async (engine) => {
        let out = o.out;
        if (!out) {
          const drives = listDrives();
          if (drives.length !== 1) {
            throw new EngineError(
              'invalid-argument',
              `${drives.length === 0 ? 'No removable drive is mounted' : `${drives.length} removable drives are mounted`}: say where with --out.`,
            );
          }
          out = drives[0]!.mountPoint;
        }
        const { dir, facts } = await engine.audit.exportReport({ requestId: o.request, batchId: o.batch, from: o.from, to: o.to }, out);
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
      // The folder alone: no engine, so checking a report never creates or opens a data folder.
      const r = verifyReport(dir);
      if (opts.json) printJson(r);
      else print(r.ok ? `Report verified: ${r.files} files, signed by ${r.fingerprint}` : `REPORT DOES NOT VERIFY: ${r.problem}`);
      if (!r.ok) throw verificationFailed();
    });
}

import { readFileSync } from 'node:fs';
import { EngineError, listDrives, normalizeFingerprint, parseTrustedKeys, verifyReport, type ReportVerdict } from '../core/index.js';
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
  addSignedFolderVerify(report, 'report', verifyReport, { globals, print, printJson, verificationFailed });
}

/**
 * Adds `verify <dir>` under `parent` for a signed folder (a report, a release): checked by itself, no data
 * folder opened, the signer against `--expect-key` / `--trusted-keys`; exit 2 naming what failed.
 */
export function addSignedFolderVerify(
  parent: Command,
  what: 'report' | 'release',
  verify: (dir: string, trusted?: Map<string, string>) => ReportVerdict,
  { globals, print, printJson, verificationFailed }: Pick<CliContext, 'globals' | 'print' | 'printJson' | 'verificationFailed'>,
): void {
  const Title = what[0]!.toUpperCase() + what.slice(1);
  parent
    .command('verify')
    .description(`check a ${what} folder by itself (no data folder is opened); exit 2 naming what failed`)
    .argument(`<${what}-dir>`)
    .option('--expect-key <fingerprint>', 'fingerprint the signer must have, obtained out of band (repeatable)', collect, [])
    .option('--trusted-keys <file>', 'file of trusted signers, one "<fingerprint> <name>" a line')
    .action((dir: string, o: { expectKey: string[]; trustedKeys?: string }, cmd: Command) => {
      const opts = globals(cmd);
      // Only the folder is read: a folder from a stranger must not create or open a data folder here.
      const r = verify(dir, trustedKeys(o));
      if (opts.json) printJson(r);
      else if (!r.ok) print(`${what.toUpperCase()} DOES NOT VERIFY: ${r.problem}`);
      else if (r.keyChecked) print(`${Title} verified: ${r.files} files, signed by ${r.fingerprint} (trusted as ${r.trustedAs ?? ''})`);
      else {
        print(`${Title} verified: ${r.files} files, signed by ${r.fingerprint}`);
        print("  signature valid, but NOT checked against a trusted key: obtain the workstation's fingerprint out of band");
        print(`  (never from the ${what}) and run again with --expect-key <fingerprint> or --trusted-keys <file>.`);
      }
      if (!r.ok) throw verificationFailed();
    });
}

/** Commander's way to repeat an option: each use appends. */
function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** The keys `--expect-key` and `--trusted-keys` name, or undefined when neither is given. @throws EngineError `invalid-argument` (exit 1). */
function trustedKeys(o: { expectKey: string[]; trustedKeys?: string }): Map<string, string> | undefined {
  if (o.expectKey.length === 0 && !o.trustedKeys) return undefined;
  const keys = new Map<string, string>();
  for (const given of o.expectKey) {
    const fp = normalizeFingerprint(given);
    if (!fp) throw new EngineError('invalid-argument', `--expect-key ${given} is not a fingerprint (64 hex digits, as \`custodian key show\` prints it).`);
    keys.set(fp, 'the expected key');
  }
  if (o.trustedKeys) {
    let text: string;
    try {
      text = readFileSync(o.trustedKeys, 'utf8');
    } catch {
      throw new EngineError('invalid-argument', `The trusted-keys file ${o.trustedKeys} cannot be read.`);
    }
    for (const [fp, name] of parseTrustedKeys(text, o.trustedKeys)) keys.set(fp, name);
  }
  return keys;
}

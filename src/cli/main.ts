import { Command, CommanderError, Option } from 'commander';
import { Engine, packageVersion, resolveDataDir, storageError } from '../core/index.js';
import { REASON_CODES } from '../shared/reason-codes.js';
import type { IngestSummary, QuarantineItem } from '../shared/types.js';
import { ProgressDisplay, formatBytes } from './progress-display.js';
import { addDeadlineCommands } from './deadline-commands.js';
import { addBatchCommands } from './batch-commands.js';
import { addSensitiveCommands } from './sensitive-commands.js';
import { addAuditCommands } from './audit-commands.js';
import type { Lane } from '../core/sensitive/index.js';

/** Exit codes of the `custodian` command. */
export const EXIT = { ok: 0, usage: 1, verificationFailed: 2 } as const;

type GlobalOptions = { dataDir?: string; json?: boolean; quiet?: boolean; workers?: number; extract?: boolean };

class VerificationFailed extends Error {}

function print(text: string): void {
  process.stdout.write(`${text}\n`);
}

function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

async function withEngine<T>(opts: GlobalOptions, fn: (engine: Engine) => Promise<T>, progress = false): Promise<T> {
  const display = progress && !opts.quiet ? new ProgressDisplay(process.stderr) : null;
  const engine = Engine.open({
    dataDir: resolveDataDir(opts.dataDir),
    workers: opts.workers ?? null,
    extract: opts.extract !== false,
    // For tests and benchmarks only: a module exporting createOcrAdapter (see README).
    ocrAdapterModule: process.env.CUSTODIAN_OCR_ADAPTER || undefined,
    onProgress: display ? (p) => display.update(p) : undefined,
  });
  try {
    return await fn(engine);
  } finally {
    display?.finishLine();
    await engine.close();
  }
}

function describeQuarantine(q: QuarantineItem): string {
  return `  #${q.id}  ${q.reasonCode}  ${q.path}\n        ${q.message}${q.state === 'held' ? '' : ` [${q.state}${q.resolution ? `: ${q.resolution}` : ''}]`}`;
}

function printIngest(summary: IngestSummary, held: QuarantineItem[]): void {
  print(`Batch ${summary.batchId}  (trace ${summary.traceId})${summary.requestId ? `  request ${summary.requestId}` : ''}`);
  print(
    `  ${summary.files} files: ${summary.registered} registered, ${summary.duplicates} duplicates, ${summary.unsupported} unsupported, ` +
      `${summary.custodyFiles} custody files; ${summary.quarantined} quarantined${summary.holds ? `; ${summary.holds} on legal hold` : ''}`,
  );
  print(
    `  processed: ${summary.jobs.done} of ${summary.jobs.total} documents${summary.jobs.quarantined ? `, ${summary.jobs.quarantined} quarantined` : ''}${summary.jobs.pending ? `, ${summary.jobs.pending} pending` : ''}`,
  );
  const pg = summary.pages;
  print(`  pages: ${pg.total} (${pg.ocr} OCR, ${pg.textLayer} text layer${pg.fallback ? `, ${pg.fallback} text-layer fallback awaiting OCR` : ''})`);
  print(`  ${formatBytes(summary.bytes)} hashed; finished in ${(summary.durationMs / 1000).toFixed(1)} s`);
  if (held.length) {
    print('Quarantine (see `custodian quarantine`):');
    for (const q of held) print(describeQuarantine(q));
  }
}

/** Builds the `custodian` command tree. */
export function buildProgram(): Command {
  const program = new Command('custodian')
    .description('Offline records processing: custody verification, dedupe, quarantine and a tamper-evident ledger.')
    .option('--data-dir <dir>', 'data folder (default: $CUSTODIAN_DATA_DIR, else the platform app-data folder)')
    .option('--json', 'print exactly one JSON object on stdout')
    .option('-q, --quiet', 'no progress output')
    .option('--workers <n>', 'extraction threads (default: from cores and memory, at most one per core)', parseId)
    .option('-V, --version', 'print the version (with --json: {"version": …, "node": …})')
    .showHelpAfterError()
    .exitOverride()
    .addHelpText('after', `\nExit codes: 0 done (also when files were quarantined), 1 usage or environment error, 2 a verification failed.`);

  const globals = (cmd: Command): GlobalOptions => cmd.optsWithGlobals<GlobalOptions>();

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

  program
    .command('docs')
    .description('list registered documents: state, pages, text methods, mean OCR confidence, legal hold, paths')
    .option('--batch <id>', 'only documents this batch registered or saw again')
    .action(async (_o, cmd: Command) => {
      const opts = globals(cmd) as GlobalOptions & { batch?: string };
      await withEngine(opts, async (engine) => {
        const documents = engine.documents.list({ batchId: opts.batch });
        if (opts.json) return printJson({ documents });
        if (documents.length === 0) return print('No documents.');
        print(`${'id'.padStart(6)}  ${'sha256'.padEnd(12)}  ${'state'.padEnd(11)} ${'pages'.padStart(5)}  ${'methods'.padEnd(16)} ${'conf'.padStart(4)}  path`);
        for (const d of documents) {
          const extra = [d.lane !== 'public' ? `lane ${d.lane}` : '', d.legalHold ? 'LEGAL HOLD' : '', d.paths > 1 ? `${d.paths} paths` : '']
            .filter(Boolean)
            .join(', ');
          const m = d.methods;
          const methods =
            [m.ocr ? `ocr ${m.ocr}` : '', m.textLayer ? `text ${m.textLayer}` : '', m.fallback ? `fallback ${m.fallback}` : ''].filter(Boolean).join(', ') ||
            '-';
          const conf = d.meanConfidence === null ? '-' : d.meanConfidence.toFixed(0);
          print(
            `${String(d.id).padStart(6)}  ${d.sha256.slice(0, 12)}  ${d.state.padEnd(11)} ${String(d.pages ?? '-').padStart(5)}  ${methods.padEnd(16)} ${conf.padStart(4)}  ${d.path}${extra ? `  (${extra})` : ''}`,
          );
        }
      });
    });

  program
    .command('text')
    .description('print the extracted text of a document')
    .argument('<doc>', 'document id or SHA-256')
    .option('--page <n>', 'only this page', parseId)
    .action(async (ref: string, _o, cmd: Command) => {
      const opts = globals(cmd) as GlobalOptions & { page?: number };
      await withEngine(opts, async (engine) => {
        const pages = engine.documents.text(ref, opts.page);
        if (opts.json) return printJson({ pages });
        for (const p of pages) {
          if (pages.length > 1 || opts.page === undefined)
            print(`--- page ${p.pageNo} (${p.method ?? p.state}${p.confidence === null ? '' : `, confidence ${Math.round(p.confidence)}`}) ---`);
          print((p.text ?? '').trimEnd());
        }
      });
    });

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

  addBatchCommands(program, { globals, withEngine, print, printJson });
  addDeadlineCommands(program, { globals, withEngine, print, printJson });
  addSensitiveCommands(program, { globals, withEngine, print, printJson });
  addAuditCommands(program, { globals, withEngine, print, printJson, verificationFailed: () => new VerificationFailed() });

  const ledger = program.command('ledger').description('the hash-chained audit ledger');
  ledger
    .command('verify')
    .description('check every entry of the hash chain and every signed checkpoint; exit 2 if any was altered, removed, inserted or reordered')
    .option('--against <report-dir>', 'also prove the ledger still holds, unchanged, the head recorded in that report')
    .action(async (o: { against?: string }, cmd: Command) => {
      const opts = globals(cmd);
      await withEngine(opts, async (engine) => {
        if (o.against) {
          const r = engine.audit.verifyAgainstReport(o.against);
          if (opts.json) printJson(r);
          else print(r.ok ? `Ledger still holds the report's head (entry ${r.seq}).` : `LEDGER DOES NOT MATCH THE REPORT: ${r.problem}`);
          if (!r.ok) throw new VerificationFailed();
          return;
        }
        const result = engine.audit.verifyLedger();
        if (opts.json) {
          printJson(result.ok ? result : { ok: false, firstBadSeq: result.firstBadSeq, reason: result.reason });
        } else if (result.ok) {
          print(
            `Ledger intact: ${result.entries} entries, head ${result.head}${result.checkpoints ? `; ${result.checkpoints} signed checkpoint(s) verified` : ''}`,
          );
        } else {
          print(`LEDGER BROKEN at entry ${result.firstBadSeq}: ${result.reason}`);
        }
        if (!result.ok) throw new VerificationFailed();
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

  program
    .command('reasons')
    .description('list the quarantine reason codes')
    .action((_o, cmd: Command) => {
      if (globals(cmd).json) return printJson({ reasons: REASON_CODES });
      for (const [code, message] of Object.entries(REASON_CODES)) print(`${code.padEnd(22)} ${message}`);
    });

  return program;
}

function parseId(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new CommanderError(EXIT.usage, 'custodian.invalidId', `not a positive whole number: ${value}`);
  return n;
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
    if (json) printJson({ version: packageVersion(), node: process.versions.node });
    else print(`custodian ${packageVersion()}`);
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
    process.stderr.write(`custodian: ${message}\n`);
    if (json) printJson({ ok: false, error: { code, message } });
    return EXIT.usage;
  }
}

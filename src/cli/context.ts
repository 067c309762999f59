import { CommanderError, type Command } from 'commander';
import { Engine, resolveDataDir } from '../core/index.js';
import { ProgressDisplay } from './progress-display.js';
import { terminalSafeText } from './terminal-safe.js';

/** Exit codes of the `custodian` command. */
export const EXIT = { ok: 0, usage: 1, verificationFailed: 2 } as const;

/** The options every command takes (`custodian [--data-dir <dir>] [--json] [-q] [--workers N]`). */
export type GlobalOptions = { dataDir?: string; json?: boolean; quiet?: boolean; workers?: number; memoryBudget?: number; extract?: boolean };

/** Thrown by a command whose verification failed: the CLI exits 2 (after the command printed why). */
export class VerificationFailed extends Error {}

/** What each group of commands needs from the program that hosts them. */
export type CliContext = {
  /** The global options merged with the command's own. */
  globals: (cmd: Command) => GlobalOptions;
  /** Opens the engine on the data dir, runs `fn`, closes it; `progress`: a progress line on stderr. */
  withEngine: <T>(opts: GlobalOptions, fn: (engine: Engine) => Promise<T>, progress?: boolean) => Promise<T>;
  print: (text: string) => void;
  printJson: (value: unknown) => void;
  /** The error that makes the CLI exit 2. */
  verificationFailed: () => Error;
};

// Human output never drives the terminal: whatever a line carries (a file name, a text layer, a reason an
// operator typed), its controls and bidi overrides are shown as `\uXXXX`. `--json` stays exact.
function print(text: string): void {
  process.stdout.write(`${terminalSafeText(text)}\n`);
}

function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

async function withEngine<T>(opts: GlobalOptions, fn: (engine: Engine) => Promise<T>, progress = false): Promise<T> {
  const display = progress && !opts.quiet ? new ProgressDisplay(process.stderr) : null;
  const engine = Engine.open({
    dataDir: resolveDataDir(opts.dataDir),
    workers: opts.workers ?? null,
    memoryBudget: opts.memoryBudget ? { rssMb: opts.memoryBudget } : undefined,
    extract: opts.extract !== false,
    // For tests and benchmarks only: a module exporting createOcrAdapter (see docs/architecture.md).
    ocrAdapterModule: process.env.CUSTODIAN_OCR_ADAPTER || undefined,
    onProgress: display ? (p) => display.update(p) : undefined,
  });
  // What opening fixed (a mode made owner-only, a plain database encrypted) is said, on stderr.
  for (const note of engine.notes) process.stderr.write(`custodian: ${terminalSafeText(note)}\n`);
  try {
    return await fn(engine);
  } finally {
    display?.finishLine();
    const keyNote = engine.audit.keyNote();
    if (keyNote) process.stderr.write(`custodian: ${keyNote}\n`);
    await engine.close();
  }
}

/** The context the `custodian` program gives its commands: stdout, the engine, exit 2. */
export const cliContext: CliContext = {
  globals: (cmd) => cmd.optsWithGlobals<GlobalOptions>(),
  withEngine,
  print,
  printJson,
  verificationFailed: () => new VerificationFailed(),
};

/** Parses a positive whole number (an id, a count) or fails as a usage error. */
export function parseId(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new CommanderError(EXIT.usage, 'custodian.invalidId', `not a positive whole number: ${value}`);
  return n;
}

import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { REPO, scriptedOcr } from './fixtures.js';

/** The compiled `custodian` command. */
export const BIN = path.join(REPO, 'bin', 'custodian.js');

/** What a finished CLI run left. */
export type CliRun = { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string };

/**
 * Environment of a CLI child: no failpoints, and the scripted OCR adapter (fast, deterministic) unless the
 * caller asks for real OCR with `CUSTODIAN_OCR_ADAPTER: ''`.
 */
function childEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...process.env, CUSTODIAN_FAILPOINTS: '', CUSTODIAN_OCR_ADAPTER: scriptedOcr(), ...env };
}

/** Runs `custodian <args>` to completion on this Node (22), without a TTY. */
export function runCli(args: string[], env: NodeJS.ProcessEnv = {}): CliRun {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: childEnv(env), maxBuffer: 64 << 20 });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

/**
 * Runs `custodian <args>` like {@link runCli}, but SIGKILLs it if it has not exited on its own within `ms`,
 * and then throws: a run that hangs fails the test with that message instead of stalling it into a timeout.
 */
export function runCliWithin(ms: number, args: string[], env: NodeJS.ProcessEnv = {}): CliRun {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: childEnv(env), maxBuffer: 64 << 20, timeout: ms, killSignal: 'SIGKILL' });
  if ((r.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT')
    throw new Error(`\`custodian ${args.join(' ')}\` hung: still running after ${ms} ms, killed.\nstderr: ${r.stderr}`);
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

/** Runs `custodian <args>` and SIGKILLs it after `ms` (if it is still running then). */
export function runCliKilledAfter(args: string[], ms: number): Promise<CliRun> {
  return runCliKilledWhen(args, () => true, ms);
}

/**
 * Runs `custodian <args>`, waits until `ready()` holds (polled every 10 ms), then SIGKILLs it after `ms` more
 * (if it is still running then). Aims a kill at a moment of the run whatever the machine's load.
 */
export function runCliKilledWhen(args: string[], ready: () => boolean, ms: number): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: childEnv({}) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    let timer: NodeJS.Timeout | undefined;
    const poll = setInterval(() => {
      if (!ready()) return;
      clearInterval(poll);
      timer = setTimeout(() => child.kill('SIGKILL'), ms);
    }, 10);
    child.on('close', (code, signal) => {
      clearInterval(poll);
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** Parses stdout that must be exactly one JSON object. */
export function onlyJson<T = Record<string, unknown>>(stdout: string): T {
  const lines = stdout.trim().split('\n');
  if (lines.length !== 1) throw new Error(`expected one JSON line on stdout, got ${lines.length}:\n${stdout}`);
  return JSON.parse(lines[0]!) as T;
}

/**
 * Crash points for the crash-recovery tests. Inert unless `CUSTODIAN_FAILPOINTS` is set, e.g.
 * `intake.after-commit=3` kills this process with SIGKILL the third time that point is reached.
 * SIGKILL, not an exception: the tests prove recovery from a process that gets no chance to clean up.
 */
const armed = parseFailpoints(process.env.CUSTODIAN_FAILPOINTS);
const hits = new Map<string, number>();

function parseFailpoints(spec: string | undefined): Map<string, number> {
  const map = new Map<string, number>();
  for (const part of (spec ?? '').split(',')) {
    const [name, count] = part.split('=');
    if (name && count && Number(count) > 0) map.set(name.trim(), Number(count));
  }
  return map;
}

/** Names of the crash points the engine passes through. */
export type FailpointName =
  | 'batch.after-create'
  | 'intake.after-hash'
  | 'intake.after-commit'
  | 'batch.before-walked'
  | 'job.after-lease'
  | 'job.before-complete'
  | 'job.after-complete'
  | 'report.mid-write';

/** Kills the process here if this point is armed and its count is reached. */
export function failpoint(name: FailpointName): void {
  if (armed.size === 0) return;
  const n = (hits.get(name) ?? 0) + 1;
  hits.set(name, n);
  if (armed.get(name) === n) process.kill(process.pid, 'SIGKILL');
}

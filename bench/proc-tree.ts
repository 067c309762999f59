import { readFileSync, readdirSync } from 'node:fs';

/** Resident set size of one process, MB, from /proc (0 when it is gone). */
function rssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/u.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** Pids of `root` and all its descendants, from the parent links in /proc/<pid>/stat. */
function tree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/u.test(name)) continue;
    try {
      // Field 4 is the parent pid; the command name (field 2) may hold spaces, so parse after its ')'.
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
    } catch {
      // the process ended while we looked
    }
  }
  const out: number[] = [];
  const queue = [root];
  while (queue.length) {
    const pid = queue.pop()!;
    out.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return out;
}

/**
 * Samples the summed RSS of a process tree (threads share their process's RSS) until stopped.
 * `root` defaults to this process; its own RSS is left out when `excludeRoot` is set, to measure only
 * what it spawns.
 */
export function sampleTreeRss(root = process.pid, { excludeRoot = false, everyMs = 100 } = {}): { stop(): { peakMb: number; samples: number } } {
  let peakMb = 0;
  let samples = 0;
  const sample = (): void => {
    const pids = tree(root).filter((p) => !(excludeRoot && p === root));
    const total = pids.reduce((s, p) => s + rssMb(p), 0);
    peakMb = Math.max(peakMb, total);
    samples++;
  };
  sample();
  const timer = setInterval(sample, everyMs);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return { peakMb: Math.round(peakMb), samples };
    },
  };
}

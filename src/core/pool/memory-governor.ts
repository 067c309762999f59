import os from 'node:os';

/** One reading of memory while a batch runs, MB. */
export type MemorySample = {
  /** This process's resident memory: the engine and every pool thread (threads share the process). */
  rssMb: number;
  /** What the machine can still give without swapping (`MemAvailable` on Linux). */
  availableMb: number;
};

/** Where readings come from: {@link systemTelemetry} in use; tests inject their own. */
export type MemoryTelemetry = () => MemorySample;

/** The process's RSS and the machine's available memory, read now. */
export const systemTelemetry: MemoryTelemetry = () => ({
  rssMb: Math.round(process.memoryUsage.rss() / 1e6),
  availableMb: Math.round(os.freemem() / 1e6),
});

/** Above `rssMb`, or with less than `minAvailableMb` left on the machine, the pool holds back. */
export type MemoryBudget = { rssMb: number; minAvailableMb: number };

/** Share of the budget under which the pool grows back (hysteresis: no flapping at the line). */
export const RESTORE_SHARE = 0.85;

/** A change of the pages allowed in flight, with the reading and the budget that decided it. */
export type GovernorChange = { kind: 'throttled' | 'restored'; from: number; to: number; sample: MemorySample; budget: MemoryBudget };

/**
 * Sizes the pages in flight from live memory readings instead of a fixed count: each reading over the
 * budget takes one page off (down to one, so work always goes on); each reading comfortably under it
 * (RSS below {@link RESTORE_SHARE} of the budget, and the machine's available memory above its floor by a
 * quarter) gives one back, up to the pool's threads. `onChange` hears every step; a step down from the
 * full pool starts a throttle, reaching it again ends it.
 */
export class MemoryGovernor {
  private allowed: number;

  constructor(
    readonly threads: number,
    readonly budget: MemoryBudget,
    private readonly telemetry: MemoryTelemetry,
    private readonly onChange: (change: GovernorChange) => void,
  ) {
    this.allowed = threads;
  }

  /** True while fewer pages than the pool's threads may run. */
  get throttled(): boolean {
    return this.allowed < this.threads;
  }

  /** Takes one reading and returns how many pages may run now. */
  inFlight(): number {
    const sample = this.telemetry();
    const over = sample.rssMb > this.budget.rssMb || sample.availableMb < this.budget.minAvailableMb;
    const under = sample.rssMb < this.budget.rssMb * RESTORE_SHARE && sample.availableMb > this.budget.minAvailableMb * 1.25;
    const from = this.allowed;
    if (over && this.allowed > 1) this.allowed--;
    else if (under && this.allowed < this.threads) this.allowed++;
    if (this.allowed !== from) this.onChange({ kind: this.allowed < from ? 'throttled' : 'restored', from, to: this.allowed, sample, budget: this.budget });
    return this.allowed;
  }
}

/**
 * The default budget for a pool of `threads`: the memory it was sized for (`threads` × the per-thread
 * footprint, never more than the memory budget), and a floor of available memory of a tenth of the RAM,
 * at most 1 GB.
 */
export function defaultMemoryBudget(threads: number, perThreadMb: number, budgetMb: number, totalMemMb: number): MemoryBudget {
  return { rssMb: Math.min(budgetMb, threads * perThreadMb), minAvailableMb: Math.min(1024, Math.round(totalMemMb / 10)) };
}

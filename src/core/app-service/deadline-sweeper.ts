import type { Clock } from '../clock.js';

const HOUR_MS = 3_600_000;

/**
 * When the next deadline sweep is due: an hour from now, or one minute past the next local midnight if that
 * comes first (a request turns at-risk or overdue when its day starts, and no one should learn it at 10 am).
 * Local time, so a daylight-saving change moves midnight with the wall clock.
 */
export function nextSweepAt(now: Date): Date {
  const inAnHour = new Date(now.getTime() + HOUR_MS);
  const afterMidnight = new Date(now);
  afterMidnight.setHours(24, 1, 0, 0);
  return afterMidnight < inAnHour ? afterMidnight : inAnHour;
}

/**
 * Sweeps the deadlines while the app runs: at start, then at {@link nextSweepAt} again and again, so an
 * escalation is written without anyone opening the deadlines view. A failed sweep is reported and the next
 * one still comes.
 */
export class DeadlineSweeper {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly sweep: () => void,
    private readonly clock: Clock,
    private readonly onError: (err: unknown) => void,
  ) {}

  /** Sweeps now and schedules the next sweep. */
  start(): void {
    this.run();
  }

  /** No further sweep. */
  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private run(): void {
    try {
      this.sweep();
    } catch (err) {
      this.onError(err);
    }
    const now = this.clock.now();
    // Timers drift and sleep with the machine: the delay is recomputed from the clock after each sweep.
    this.timer = setTimeout(() => this.run(), Math.max(1_000, nextSweepAt(now).getTime() - now.getTime()));
    this.timer.unref();
  }
}

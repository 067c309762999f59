/**
 * Pauses intake while the job queue is deeper than `high` and lets it go on once the depth falls to `low`,
 * so hashing a huge drop cannot run far ahead of extraction. Waiting is on a promise the queue side
 * resolves, never a poll.
 */
export class Backpressure {
  private paused = false;
  private waiters: (() => void)[] = [];

  constructor(
    readonly high: number,
    readonly low: number,
    private readonly depth: () => number,
    private readonly onChange: (paused: boolean, depth: number) => void = () => undefined,
  ) {}

  /** True while intake is held back. */
  get isPaused(): boolean {
    return this.paused;
  }

  /** Whether intake must stop before taking more (checks the depth; may start a pause). */
  mustWait(): boolean {
    if (!this.paused) {
      const depth = this.depth();
      if (depth > this.high) {
        this.paused = true;
        this.onChange(true, depth);
      }
    }
    return this.paused;
  }

  /** Resolves when intake may go on. */
  async admit(): Promise<void> {
    if (!this.mustWait()) return;
    await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  /** Called by the queue side whenever the depth may have fallen. */
  release(): void {
    if (!this.paused) return;
    const depth = this.depth();
    if (depth > this.low) return;
    this.paused = false;
    this.onChange(false, depth);
    for (const resolve of this.waiters.splice(0)) resolve();
  }
}

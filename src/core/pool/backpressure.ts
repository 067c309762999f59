/**
 * Pauses intake while the job queue is deeper than `high` and lets it go on once the depth falls to `low`,
 * so hashing a huge drop cannot run far ahead of extraction; and, while work is queued, as long as memory is
 * held ({@link holdForMemory}, the memory governor's throttle). Waiting is on a promise the queue side
 * resolves, never a poll.
 */
export class Backpressure {
  private paused = false;
  private memoryHeld = false;
  private waiters: (() => void)[] = [];

  constructor(
    readonly high: number,
    readonly low: number,
    private readonly depth: () => number,
    private readonly onChange: (paused: boolean, depth: number) => void = () => undefined,
  ) {}

  /** True while intake is held back (by the queue's depth or by memory). */
  get isPaused(): boolean {
    return this.paused || this.memoryHeld;
  }

  /**
   * Whether intake must wait at `depth`: over the watermark, or memory held while work is queued. With an
   * empty queue a memory hold would only stall the batch (memory a thread keeps does not free by waiting).
   */
  private holds(depth: number): boolean {
    return this.paused || (this.memoryHeld && depth > 0);
  }

  private wakeWaiters(depth: number): void {
    if (this.waiters.length && !this.holds(depth)) for (const resolve of this.waiters.splice(0)) resolve();
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
    return this.paused || (this.memoryHeld && this.depth() > 0);
  }

  /** Holds intake while memory is short (true) or lets it go on again (false), whatever the depth. */
  holdForMemory(held: boolean): void {
    this.memoryHeld = held;
    if (!held) this.wakeWaiters(this.depth());
  }

  /** Resolves when intake may go on. */
  async admit(): Promise<void> {
    if (!this.mustWait()) return;
    await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  /** Called by the queue side whenever the depth may have fallen. */
  release(): void {
    if (!this.paused && !this.memoryHeld) return;
    const depth = this.depth();
    if (this.paused && depth <= this.low) {
      this.paused = false;
      this.onChange(false, depth);
    }
    this.wakeWaiters(depth);
  }
}

import type { ExtractResult, ExtractTask } from '../extract/index.js';
import type { Lane } from '../sensitive/index.js';
import type { ExtractPool } from './extract-pool.js';

/**
 * One extraction pool per processing lane, so restricted documents never share a thread with public ones.
 * A lane's pool starts on its first task. The dispatcher keeps the total of running tasks within
 * `threads` (the cores the pool size allows), whatever the lanes.
 */
export class LanePools {
  private readonly pools = new Map<Lane, ExtractPool>();

  constructor(
    readonly threads: number,
    private readonly start: (lane: Lane) => ExtractPool,
  ) {}

  /** Runs a task on the pool of `lane`. Rejects as {@link ExtractPool.run} does. */
  run(lane: Lane, task: ExtractTask, signal?: AbortSignal): Promise<ExtractResult> {
    let pool = this.pools.get(lane);
    if (!pool) {
      pool = this.start(lane);
      this.pools.set(lane, pool);
    }
    return pool.run(task, signal);
  }

  /** Lanes whose pool has started. */
  get started(): Lane[] {
    return [...this.pools.keys()];
  }

  /** Stops every pool. */
  async destroy(): Promise<void> {
    const pools = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(pools.map((p) => p.destroy()));
  }
}

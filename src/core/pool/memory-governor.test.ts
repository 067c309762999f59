import { describe, expect, it } from 'vitest';
import { MemoryGovernor, defaultMemoryBudget, type GovernorChange, type MemorySample } from './memory-governor.js';

/** A governor over a scripted list of readings (the last one repeats). */
function governed(threads: number, readings: MemorySample[]) {
  const changes: GovernorChange[] = [];
  let i = 0;
  const g = new MemoryGovernor(
    threads,
    { rssMb: 1000, minAvailableMb: 400 },
    () => readings[Math.min(i++, readings.length - 1)]!,
    (c) => changes.push(c),
  );
  return { g, changes };
}

const ok = { rssMb: 500, availableMb: 8000 };
const high = { rssMb: 1100, availableMb: 8000 };
const starved = { rssMb: 500, availableMb: 300 };
const between = { rssMb: 900, availableMb: 8000 };

describe('MemoryGovernor', () => {
  it('keeps the whole pool while memory is within the budget', () => {
    const { g, changes } = governed(4, [ok, between, ok]);
    expect([g.inFlight(), g.inFlight(), g.inFlight()]).toEqual([4, 4, 4]);
    expect(changes).toEqual([]);
  });

  it('takes one page off per reading over the budget, down to one, then gives them back one by one', () => {
    const { g, changes } = governed(3, [high, high, high, high, between, ok, ok, ok]);
    expect(Array.from({ length: 8 }, () => g.inFlight())).toEqual([2, 1, 1, 1, 1, 2, 3, 3]);
    expect(changes.map((c) => `${c.kind} ${c.from}->${c.to}`)).toEqual(['throttled 3->2', 'throttled 2->1', 'restored 1->2', 'restored 2->3']);
    // Each step carries the reading and the budget that decided it.
    expect(changes[0]).toMatchObject({ sample: high, budget: { rssMb: 1000, minAvailableMb: 400 } });
    expect(g.throttled).toBe(false);
  });

  it('holds back when the machine runs short, whatever its own size', () => {
    const { g, changes } = governed(2, [starved, { rssMb: 500, availableMb: 450 }, ok]);
    expect([g.inFlight(), g.inFlight(), g.inFlight()]).toEqual([1, 1, 2]);
    expect(changes.map((c) => c.kind)).toEqual(['throttled', 'restored']);
  });

  it('budgets what the pool was sized for, within the memory budget', () => {
    expect(defaultMemoryBudget(2, 900, 12_000, 24_000)).toEqual({ rssMb: 1800, minAvailableMb: 1024 });
    expect(defaultMemoryBudget(8, 900, 4000, 8000)).toEqual({ rssMb: 4000, minAvailableMb: 800 });
  });
});

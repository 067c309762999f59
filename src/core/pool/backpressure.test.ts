import { describe, expect, it } from 'vitest';
import { Backpressure } from './backpressure.js';

describe('Backpressure', () => {
  it('pauses above the high watermark and lets waiters go at the low one', async () => {
    let depth = 0;
    const changes: [boolean, number][] = [];
    const gate = new Backpressure(
      4,
      2,
      () => depth,
      (paused, d) => changes.push([paused, d]),
    );
    await gate.admit();
    depth = 5;
    let admitted = false;
    const waiting = gate.admit().then(() => (admitted = true));
    expect(gate.isPaused).toBe(true);
    depth = 3;
    gate.release(); // above low: still paused
    await Promise.resolve();
    expect(admitted).toBe(false);
    depth = 2;
    gate.release();
    await waiting;
    expect(admitted).toBe(true);
    expect(changes).toEqual([
      [true, 5],
      [false, 2],
    ]);
  });
});

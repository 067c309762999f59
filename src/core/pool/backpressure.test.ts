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

  it('holds intake while memory is short and work is queued, and lets it go when both allow', async () => {
    let depth = 1;
    const gate = new Backpressure(4, 2, () => depth);
    gate.holdForMemory(true);
    let admitted = false;
    const waiting = gate.admit().then(() => (admitted = true));
    expect(gate.isPaused).toBe(true);
    depth = 5;
    gate.mustWait(); // the queue fills too
    gate.holdForMemory(false);
    await Promise.resolve();
    expect(admitted).toBe(false); // still too deep
    depth = 1;
    gate.release();
    await waiting;
    expect(admitted).toBe(true);
    expect(gate.isPaused).toBe(false);
  });

  it('does not hold intake for memory once the queue is empty: waiting would free nothing and stall the batch', async () => {
    let depth = 2;
    const gate = new Backpressure(4, 2, () => depth);
    gate.holdForMemory(true);
    let admitted = false;
    const waiting = gate.admit().then(() => (admitted = true));
    await Promise.resolve();
    expect(admitted).toBe(false);
    depth = 0; // extraction leased the last queued job
    gate.release();
    await waiting;
    expect(admitted).toBe(true);
    await gate.admit(); // and the next file goes straight in
  });
});

import { describe, expect, it } from 'vitest';
import { ELECTRON_CAGE_MB, ELECTRON_MAX_THREADS, HOST_THREAD_RESERVE_MB, heapLimits, hostThreadCount } from './heap-limits.js';

describe('heapLimits', () => {
  it('under Node keeps a generous limit per thread (each thread has a heap of its own)', () => {
    expect(heapLimits('extract', hostThreadCount(16), false)).toEqual({ maxOldGenerationSizeMb: 1536, maxYoungGenerationSizeMb: 64 });
    expect(heapLimits('render', hostThreadCount(16), false)).toEqual({ maxOldGenerationSizeMb: 1024, maxYoungGenerationSizeMb: 64 });
  });

  // threads per lane → threads in the host → old-generation limit of each, MB
  const table: [number, number, number][] = [
    [1, 5, 512],
    [2, 9, 382],
    [4, 17, 194],
    [5, 21, 154],
  ];
  it.each(table)('under Electron, %i per lane: %i threads share the cage at %i MB old generation each', (threads, isolates, old) => {
    expect(hostThreadCount(threads)).toBe(isolates);
    const limits = heapLimits('extract', isolates, true);
    expect(limits).toEqual({ maxOldGenerationSizeMb: old, maxYoungGenerationSizeMb: 16 });
    expect(heapLimits('render', isolates, true)).toEqual(limits);
    // Every thread at its limit still fits beside the host's own heap.
    expect(isolates * (limits.maxOldGenerationSizeMb + limits.maxYoungGenerationSizeMb)).toBeLessThanOrEqual(ELECTRON_CAGE_MB - HOST_THREAD_RESERVE_MB);
  });

  it('the most threads the pool sizing allows under Electron is where the floor still fits', () => {
    const limits = heapLimits('extract', hostThreadCount(ELECTRON_MAX_THREADS), true);
    expect(limits.maxOldGenerationSizeMb).toBeGreaterThanOrEqual(128);
    expect(hostThreadCount(ELECTRON_MAX_THREADS + 1) * (128 + 16)).toBeGreaterThan(ELECTRON_CAGE_MB - HOST_THREAD_RESERVE_MB);
  });
});

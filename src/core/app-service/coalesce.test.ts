import { afterEach, describe, expect, it, vi } from 'vitest';
import { coalesce } from './coalesce.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('coalesce', () => {
  it('passes the first call at once and collapses a burst into one trailing call with the latest value', () => {
    vi.useFakeTimers();
    const seen: number[] = [];
    const emit = coalesce(100, (n: number) => seen.push(n));
    for (let i = 1; i <= 1000; i++) emit(i);
    expect(seen).toEqual([1]);
    vi.advanceTimersByTime(100);
    expect(seen).toEqual([1, 1000]);
    // Ten seconds of calls every millisecond: about ten a second get through, the last value always among them.
    for (let i = 0; i < 10_000; i++) {
      emit(i);
      vi.advanceTimersByTime(1);
    }
    vi.advanceTimersByTime(100);
    expect(seen.length - 2).toBeGreaterThanOrEqual(99);
    expect(seen.length - 2).toBeLessThanOrEqual(101);
    expect(seen.at(-1)).toBe(9999);
  });

  it('flush sends what is pending now; cancel drops it', () => {
    vi.useFakeTimers();
    const seen: string[] = [];
    const emit = coalesce(100, (s: string) => seen.push(s));
    emit('a');
    emit('b');
    emit.flush();
    expect(seen).toEqual(['a', 'b']);
    emit('c');
    emit.cancel();
    vi.advanceTimersByTime(500);
    expect(seen).toEqual(['a', 'b']);
  });
});

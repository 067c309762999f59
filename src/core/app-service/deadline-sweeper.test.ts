import { describe, expect, it } from 'vitest';
import { nextSweepAt } from './deadline-sweeper.js';

const local = (y: number, m: number, d: number, h: number, min = 0): Date => new Date(y, m - 1, d, h, min, 0, 0);

describe('nextSweepAt: hourly, and just after local midnight', () => {
  it.each([
    ['mid-morning: an hour later', local(2026, 12, 2, 10, 15), local(2026, 12, 2, 11, 15)],
    ['late evening: an hour later, still before midnight', local(2026, 12, 2, 22, 30), local(2026, 12, 2, 23, 30)],
    ['within the hour before midnight: one minute past midnight', local(2026, 12, 2, 23, 30), local(2026, 12, 3, 0, 1)],
    ['23:45 on a Friday: 00:01 on Saturday', local(2026, 12, 4, 23, 45), local(2026, 12, 5, 0, 1)],
    ['the last day of the year: 00:01 on New Year', local(2026, 12, 31, 23, 59), local(2027, 1, 1, 0, 1)],
    ['00:00:30: 01:00:30, midnight is behind', new Date(2026, 11, 3, 0, 0, 30), new Date(2026, 11, 3, 1, 0, 30)],
  ])('%s', (_what, now, expected) => {
    expect(nextSweepAt(now).getTime()).toBe(expected.getTime());
  });
});

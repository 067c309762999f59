import { describe, expect, it } from 'vitest';
import { WORKER_FOOTPRINT_MB, choosePoolSize } from './pool-size.js';

describe('choosePoolSize', () => {
  it('takes one thread per core when memory allows', () => {
    expect(choosePoolSize(null, { cores: 2, totalMemMb: 24_000 })).toMatchObject({ threads: 2, budgetMb: 12_000 });
  });
  it('never plans more threads than the memory budget holds', () => {
    const size = choosePoolSize(null, { cores: 16, totalMemMb: 4 * WORKER_FOOTPRINT_MB });
    expect(size.threads).toBe(2);
    expect(size.reason).toContain('memory budget');
  });
  it('keeps at least one thread on a tiny machine', () => {
    expect(choosePoolSize(null, { cores: 1, totalMemMb: 256 }).threads).toBe(1);
  });
  it('honours --workers within the core count, as an integer', () => {
    expect(choosePoolSize(1, { cores: 2, totalMemMb: 24_000 })).toMatchObject({ threads: 1, reason: '--workers 1' });
    expect(choosePoolSize(8, { cores: 2, totalMemMb: 24_000 })).toMatchObject({ threads: 2, reason: '--workers 8 capped at 2 cores' });
    expect(choosePoolSize(1.7, { cores: 4, totalMemMb: 24_000 }).threads).toBe(1);
  });
});

import { describe, expect, it } from 'vitest';
import { WORKER_FOOTPRINT_MB, choosePoolSize } from './pool-size.js';
import { ELECTRON_MAX_THREADS } from './heap-limits.js';

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
  it('under Electron, never more threads than its shared V8 cage holds at their heap limits', () => {
    expect(ELECTRON_MAX_THREADS).toBe(5);
    const size = choosePoolSize(null, { cores: 16, totalMemMb: 64_000 }, true);
    expect(size).toMatchObject({ threads: 5 });
    expect(size.reason).toContain('V8 cage');
    expect(choosePoolSize(null, { cores: 4, totalMemMb: 16_000 }, true).threads).toBe(4);
    expect(choosePoolSize(12, { cores: 16, totalMemMb: 64_000 }, true)).toMatchObject({
      threads: 5,
      reason: "--workers 12 capped at 5 (Electron's shared V8 cage)",
    });
    // The CLI (plain Node, a heap per thread) keeps one per core.
    expect(choosePoolSize(null, { cores: 16, totalMemMb: 64_000 }, false).threads).toBe(16);
  });
});

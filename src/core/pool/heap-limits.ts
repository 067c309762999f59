/**
 * V8 heap limits for the engine's worker threads. Under Node each thread's heap is its own, so the limits
 * only stop a runaway page. Under Electron, V8 is built with pointer compression and one shared cage: every
 * isolate of a process (the engine host's thread and all its pool threads) allocates its V8 heap inside the
 * same 4 GB, and running out of it is a fatal out-of-memory for the whole process, not a lost worker. There
 * the limits are shared out so their sum stays inside the cage.
 *
 * What a thread's V8 heap holds is small: page bitmaps, decoded images and tesseract's WASM memory are
 * ArrayBuffer backing stores, which live outside the cage. Measured here over the test corpus (including
 * multipage.pdf's 81 MP page), the committed V8 heap of an extraction thread peaked at 64 MB and that of a
 * render thread drawing 4,000-pixel pages at 62 MB; the corpus gave the same results with a 128 MB limit.
 */

/** A worker's V8 heap limits, as piscina passes them to `new Worker({ resourceLimits })`. */
export type HeapLimits = { maxOldGenerationSizeMb: number; maxYoungGenerationSizeMb: number };

/** V8's pointer-compression cage under Electron, MB. */
export const ELECTRON_CAGE_MB = 4096;
/** Kept out of the share-out for the engine host's own thread (its heap measured well under 200 MB here). */
export const HOST_THREAD_RESERVE_MB = 512;
/** The highest measured V8 heap of one pool thread, MB (extraction; see above): no limit goes below twice it. */
export const MEASURED_THREAD_HEAP_MB = 64;

/** Under Node: generous, a limit that only a runaway page reaches. */
const NODE_LIMITS = {
  extract: { maxOldGenerationSizeMb: 1536, maxYoungGenerationSizeMb: 64 },
  render: { maxOldGenerationSizeMb: 1024, maxYoungGenerationSizeMb: 64 },
};
/** Under Electron: a smaller young generation (it is per isolate, inside the cage too) and at most 512 MB old. */
const ELECTRON_YOUNG_MB = 16;
const ELECTRON_OLD_MAX_MB = 512;

/**
 * The most pool threads the engine host can run at once for `threads` extraction threads per lane: three
 * lane pools (public, pii, classified: a restricted document never shares a thread), the viewer's render
 * thread, and a release's render pool of `threads`.
 */
export function hostThreadCount(threads: number): number {
  return 3 * threads + 1 + threads;
}

/** The smallest V8 heap an isolate is given under Electron: twice the measured heap plus the young generation. */
const ELECTRON_MIN_ISOLATE_MB = 2 * MEASURED_THREAD_HEAP_MB + ELECTRON_YOUNG_MB;

/**
 * The most extraction threads per lane the engine host runs under Electron, so that even with every pool
 * started and every thread at its limit the cage holds them: 5 (4 × 5 + 1 threads of 144 MB in 3,584 MB).
 */
export const ELECTRON_MAX_THREADS = Math.floor(((ELECTRON_CAGE_MB - HOST_THREAD_RESERVE_MB) / ELECTRON_MIN_ISOLATE_MB - 1) / 4);

/**
 * Limits for one pool thread. `isolates` is {@link hostThreadCount}; `electron` whether the process runs
 * under Electron (default: `process.versions.electron` is set). Under Electron every thread gets an equal
 * share of the cage after the host's reserve, between twice the measured heap and 512 MB.
 */
export function heapLimits(kind: 'extract' | 'render', isolates: number, electron = Boolean(process.versions.electron)): HeapLimits {
  if (!electron) return NODE_LIMITS[kind];
  const share = Math.floor((ELECTRON_CAGE_MB - HOST_THREAD_RESERVE_MB) / Math.max(1, isolates)) - ELECTRON_YOUNG_MB;
  return {
    maxOldGenerationSizeMb: Math.max(ELECTRON_MIN_ISOLATE_MB - ELECTRON_YOUNG_MB, Math.min(ELECTRON_OLD_MAX_MB, share)),
    maxYoungGenerationSizeMb: ELECTRON_YOUNG_MB,
  };
}

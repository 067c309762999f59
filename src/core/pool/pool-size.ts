import os from 'node:os';
import { ELECTRON_MAX_THREADS } from './heap-limits.js';

/**
 * Memory one pool thread needs, MB, measured on this project's machine with `npm run bench` (see docs/benchmarks.md):
 * over 300 consecutive corpus pages, 2 threads held 1.6–1.7 GB between pages (tesseract.js's WASM heap,
 * which piscina's resourceLimits do not cap, plus pdf.js and canvas memory the allocator keeps), and up to
 * 2.6 GB while one held a page with an 81 MP image.
 */
export const WORKER_FOOTPRINT_MB = 900;

/** Share of physical memory the pool may plan to use. */
export const MEMORY_BUDGET_SHARE = 0.5;

/** The chosen pool size and the figures behind it (recorded in the ledger). */
export type PoolSize = { threads: number; cores: number; totalMemMb: number; budgetMb: number; perWorkerMb: number; override: number | null; reason: string };

/**
 * Threads for the extraction pool: never more than the cores, never more than the memory budget divided by
 * the per-worker footprint, under Electron never more than its shared V8 cage holds
 * ({@link ELECTRON_MAX_THREADS}), at least one. `override` (`--workers N`) is honoured within the core count.
 */
export function choosePoolSize(
  override: number | null = null,
  machine: { cores: number; totalMemMb: number } = { cores: os.availableParallelism(), totalMemMb: Math.round(os.totalmem() / 1e6) },
  electron = Boolean(process.versions.electron),
): PoolSize {
  const budgetMb = Math.round(machine.totalMemMb * MEMORY_BUDGET_SHARE);
  const byMemory = Math.max(1, Math.floor(budgetMb / WORKER_FOOTPRINT_MB));
  const byCage = electron ? ELECTRON_MAX_THREADS : Infinity;
  const auto = Math.max(1, Math.min(machine.cores, byMemory, byCage));
  const base = { cores: machine.cores, totalMemMb: machine.totalMemMb, budgetMb, perWorkerMb: WORKER_FOOTPRINT_MB, override };
  if (override !== null) {
    const cap = Math.min(machine.cores, byCage);
    const threads = Math.max(1, Math.min(Math.floor(override), cap));
    const capped = cap === machine.cores ? `${machine.cores} cores` : `${cap} (Electron's shared V8 cage)`;
    return { ...base, threads, reason: threads === override ? `--workers ${override}` : `--workers ${override} capped at ${capped}` };
  }
  const reason =
    auto === machine.cores
      ? `one per core (${machine.cores}); memory allows ${byMemory}`
      : auto === byCage && byCage < byMemory
        ? `${byCage} of ${machine.cores} cores: Electron's shared 4 GB V8 cage holds ${byCage} per lane at their heap limits`
        : `memory budget ${budgetMb} MB / ${WORKER_FOOTPRINT_MB} MB per worker`;
  return { ...base, threads: auto, reason };
}

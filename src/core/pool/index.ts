export { ExtractPool, type ExtractPoolOptions } from './extract-pool.js';
export { choosePoolSize, WORKER_FOOTPRINT_MB, MEMORY_BUDGET_SHARE, type PoolSize } from './pool-size.js';
export { Backpressure } from './backpressure.js';
export { LanePools } from './lane-pools.js';
export { heapLimits, hostThreadCount, ELECTRON_MAX_THREADS, type HeapLimits } from './heap-limits.js';
export {
  MemoryGovernor,
  systemTelemetry,
  defaultMemoryBudget,
  RESTORE_SHARE,
  type MemorySample,
  type MemoryTelemetry,
  type MemoryBudget,
  type GovernorChange,
} from './memory-governor.js';

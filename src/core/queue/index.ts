export {
  enqueueJob,
  leaseNextJob,
  renewLeases,
  reclaimLeases,
  releaseLeases,
  completeJob,
  quarantineJob,
  runnableJob,
  runnableJobCount,
  hasRunnableJob,
  jobCounts,
  PROCESS_JOB,
  type LeasedJob,
  type Urgency,
} from './job-queue.js';
export { batchJobCounts, completeBatchIfFinished, holdBatch, continueBatch, type BatchHold } from './batch-state.js';
export { newLeaseOwner, isOwnerGone, type LeaseOwner } from './lease-owner.js';

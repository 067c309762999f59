export { enqueueJob, leaseNextJob, renewLeases, reclaimLeases, completeJob, quarantineJob, PROCESS_JOB, type LeasedJob, type Urgency } from './job-queue.js';
export { batchJobCounts, completeBatchIfFinished } from './batch-state.js';
export { newLeaseOwner, isOwnerGone, type LeaseOwner } from './lease-owner.js';

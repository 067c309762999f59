export {
  createBatch,
  getBatch,
  walkBatch,
  walkAll,
  batchSummary,
  intakeCounts,
  resumeStrandedWalks,
  releaseWalks,
  type Batch,
  type IntakeProgress,
  type WalkOptions,
} from './ingest-batch.js';
export { evaluateItem, type Evaluation } from './evaluate-item.js';
export { recordIntake, registerOrDuplicate, type BatchRef, type RecordedOutcome } from './record-intake.js';
export { walkRoot, missingFromPayload, type WalkItem, type WalkResult, type ScopeRef } from './walk.js';
export { hashFile, type DigestAlgorithm, type FileDigest } from './hash-file.js';
export { detectFormat, type SupportedMediaType } from './detect-format.js';
export { listDocuments } from './list-documents.js';
export { batchOverviews } from './batch-overview.js';

export { loadSigningKey, fingerprintOf, keyring, rotateSigningKey, rotationMessage, verifyBytes, type SigningKey } from './signing-key.js';
export {
  signCheckpoint,
  listCheckpoints,
  verifyCheckpoints,
  sealCompletedBatches,
  adoptCheckpointRows,
  headIsCheckpoint,
  type Checkpoint,
} from './checkpoints.js';
export { checkState, missingTriggers, type StateCheck } from './state-check.js';
export { exportReport, REPORT_FILES, type ReportInputs } from './report-export.js';
export { winAnsi } from './report-pdf.js';
export {
  writeSignedFolder,
  verifySignedFolder,
  writeDurable,
  fsyncPath,
  sha256OfFile,
  openFolderFile,
  readFolderFile,
  isPlainName,
  SMALL_FILE_CAP,
  type FolderReadProblem,
  type SignedFolderSpec,
  type SignedFolderVerdict,
} from './signed-folder.js';
export {
  verifyReport,
  verifySignedFacts,
  verifyAgainstReport,
  normalizeFingerprint,
  parseTrustedKeys,
  type ReportVerdict,
  type ReportProblemCode,
  type TrustedKeys,
} from './report-verify.js';
export type { ReportFacts, ReportScope } from './report-facts.js';
export { verifyLedger, rotateKey, describeMismatch } from './ledger-audit.js';
export { verifyLedgerInThread, type VerifyThreadInput } from './verify-thread.js';
export { findingCountsByDocument } from './report-facts.js';
export { listDrives, linuxDrives, type Drive } from './drives.js';

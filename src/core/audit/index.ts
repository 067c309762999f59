export { loadSigningKey, fingerprintOf, type SigningKey } from './signing-key.js';
export { signCheckpoint, listCheckpoints, verifyCheckpoints, type Checkpoint } from './checkpoints.js';
export { exportReport, REPORT_FILES, type ReportInputs } from './report-export.js';
export { verifyReport, verifyAgainstReport, type ReportVerdict } from './report-verify.js';
export type { ReportFacts, ReportScope } from './report-facts.js';

export { exportRelease, verifyRelease, RELEASE_FILES, type ReleaseOptions, type ReleaseResult, type ReleaseDeps } from './release-export.js';
export { planRelease, batesNumber, type PlannedDocument, type PlannedPage, type PlannedRedaction } from './release-plan.js';
export { exemptionLog, exemptionLogCsv, type LogEntry } from './exemption-log.js';
export { searchablePdf, type SearchablePdfResult } from './searchable-pdf.js';

/** The engine's public face: faces (CLI, app, bridge) import from here only. */
export { Engine, type EngineOptions, type EngineProgress } from './engine.js';
export { EngineError, storageError, type EngineErrorCode } from './errors.js';
export { resolveDataDir, defaultDataDir } from './store/index.js';
export { systemClock, type Clock } from './clock.js';
export { PIPELINE_VERSION } from './pipeline.js';
export { packageVersion } from './package-paths.js';
export { listDrives, normalizeFingerprint, parseTrustedKeys, verifyReport, describeMismatch, type Drive, type ReportVerdict } from './audit/index.js';
export type { DeadlineRow, OpenEscalation, SweepResult } from './deadlines/index.js';
export { verifyRelease, type ReleaseOptions, type ReleaseResult } from './release/index.js';
export { restoreBackup, MIN_PASSPHRASE_LENGTH, type BackupResult, type RestoreResult, type BackupFacts } from './backup/index.js';
export {
  configureShipping,
  shipPending,
  shipTarget,
  shipCursor,
  shipStatus,
  shipProgress,
  type ShipProgress,
  parseSyslogTarget,
  describeTarget,
  mirrorLedger,
  type ShipResult,
  type ShipStatus,
  type MirrorResult,
} from './ship/index.js';

export { listQuarantine, getQuarantineItem, type QuarantineRecord } from './quarantine-store.js';
export { retryQuarantine, releaseQuarantine, type QuarantineActionResult } from './quarantine-actions.js';

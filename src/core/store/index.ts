export { openDatabase, DATABASE_FILE, type Db } from './db.js';
export { migrate, MIGRATIONS, SCHEMA_VERSION, type Migration } from './migrations.js';
export { defaultDataDir, resolveDataDir, ensureDataDir } from './data-dir.js';
export { prepared } from './prepared.js';
export { documentRef, type DocRow } from './document-ref.js';
export { queryDocuments } from './document-query.js';
export { batchProgress, batchQuarantineStates, batchShownLanes } from './batch-figures.js';
export { documentHistory } from './document-history.js';
export { readSetting, writeSetting, deleteSettings } from './settings.js';

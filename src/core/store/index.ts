export { openDatabase, openReadOnly, applyKey, databaseKey, DATABASE_FILE, CIPHER_PRAGMAS, type Db, type OpenOptions } from './db.js';
export {
  keyFileStore,
  provisionKey,
  givenKeyStore,
  defaultKeyFolder,
  dataFolderId,
  writeSecretFile,
  tightenMode,
  DATA_FOLDER_ID_FILE,
  type DbKeyStore,
} from './db-key.js';
export { migrate, MIGRATIONS, SCHEMA_VERSION, type Migration } from './migrations.js';
export { defaultDataDir, resolveDataDir, ensureDataDir } from './data-dir.js';
export { prepared } from './prepared.js';
export { documentRef, requirePage, type DocRow } from './document-ref.js';
export { queryDocuments } from './document-query.js';
export { batchProgress, batchQuarantineStates, batchShownLanes } from './batch-figures.js';
export { documentHistory } from './document-history.js';
export { readSetting, writeSetting, deleteSettings } from './settings.js';
export { textDigest, wordsDigest, findingsDigest, type FindingColumns } from './state-digests.js';

export { createBackup, type BackupResult } from './create-backup.js';
export { restoreBackup, type RestoreResult } from './restore-backup.js';
export { BACKUP_FILES, BACKUP_FORMAT, type BackupFacts } from './backup-format.js';
export { MIN_PASSPHRASE_LENGTH } from './key-envelope.js';

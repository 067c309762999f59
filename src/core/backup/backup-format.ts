/** Files a backup folder holds; the manifest covers them all, the signature covers the manifest. */
export const BACKUP_FILES = ['backup.json', 'signing-key.envelope.json', 'public-key.pem', 'retired-keys.json', 'custodian.db'] as const;

/** Format tag of `backup.json`. */
export const BACKUP_FORMAT = 'custodian-backup/1';

/** `backup.json`: what was backed up, when, from where, and the ledger head the snapshot holds. */
export type BackupFacts = {
  format: typeof BACKUP_FORMAT;
  /** The backup's id, also the associated data the signing key's envelope is bound to. */
  backupId: string;
  createdAt: string;
  host: string;
  /** The data folder backed up, as it was named on that workstation. */
  dataDir: string;
  /** The newest ledger entry inside the snapshot. */
  head: { seq: number; hash: string };
  schemaVersion: number;
  documents: number;
  /** Jobs queued or running in the snapshot: work a restore queues again. */
  pendingJobs: number;
  /** Fingerprint of the signing key, which signed this backup. */
  fingerprint: string;
};

/** Associated data of the signing key's envelope inside one backup. */
export function envelopeContext(backupId: string): string {
  return `custodian-backup-signing-key/${backupId}`;
}

/** What the envelope seals: the signing key, and the database key the snapshot is encrypted with. */
export type SealedKeys = { signingKey: string; databaseKey: string };

/**
 * Reads an opened envelope: this version's JSON, or a bare PEM signing key from a backup made before the
 * database was encrypted (its snapshot is plain; opening it encrypts it).
 */
export function readSealedKeys(opened: string): { signingKey: string; databaseKey: Buffer | null } {
  if (!opened.trimStart().startsWith('{')) return { signingKey: opened, databaseKey: null };
  const keys = JSON.parse(opened) as SealedKeys;
  return { signingKey: keys.signingKey, databaseKey: Buffer.from(keys.databaseKey, 'hex') };
}

import { randomUUID } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { applyKey, databaseKey, type Db } from '../store/index.js';
import type { Clock } from '../clock.js';
import { EngineError } from '../errors.js';
import { appendEvent } from '../ledger/index.js';
import { keyring, writeDurable, writeSignedFolder, type SigningKey } from '../audit/index.js';
import { BACKUP_FORMAT, envelopeContext, type BackupFacts, type SealedKeys } from './backup-format.js';
import { sealSecret } from './key-envelope.js';

/** What `backup` wrote. */
export type BackupResult = { dir: string; facts: BackupFacts };

/**
 * Writes `custodian-backup-<UTC timestamp>/` into `outDir` while work may go on: a consistent snapshot of
 * the database (`VACUUM INTO`, encrypted with the database key), the signing and database keys sealed under `passphrase` (see
 * `key-envelope.ts`), the public keys (current and retired, so old checkpoints still verify), and
 * `backup.json`, as a signed folder written atomically like a report. The ledger then records
 * `backup.created` with the head the snapshot holds.
 * @throws EngineError `invalid-argument` for a short passphrase, `io-error` when the folder cannot be written.
 */
export async function createBackup(db: Db, clock: Clock, dataDir: string, key: SigningKey, passphrase: string, outDir: string): Promise<BackupResult> {
  const backupId = randomUUID();
  const now = clock.now();
  const privatePem = key.privateKey.export({ format: 'pem', type: 'pkcs8' });
  // The snapshot stays encrypted with the database key; the key travels sealed with the signing key.
  const sealed = JSON.stringify({ signingKey: privatePem.toString(), databaseKey: databaseKey(db).toString('hex') } satisfies SealedKeys);
  const envelope = sealSecret(Buffer.from(sealed), passphrase, envelopeContext(backupId));
  const retired = Object.fromEntries([...keyring(dataDir, key)].filter(([fingerprint]) => fingerprint !== key.fingerprint));
  let facts: BackupFacts | undefined;
  const name = `custodian-backup-${now.toISOString().replace(/[:.]/gu, '-')}`;
  const dir = await writeSignedFolder({
    outDir,
    name,
    key,
    what: 'backup',
    // The snapshot holds every record's text: as private as the data folder itself.
    ownerOnly: true,
    files: {
      'signing-key.envelope.json': `${JSON.stringify(envelope, null, 2)}\n`,
      'public-key.pem': key.publicPem,
      'retired-keys.json': `${JSON.stringify(retired, null, 2)}\n`,
    },
    fill: async (tmp) => {
      // One step copies every page under one read transaction: a consistent snapshot that writers in WAL
      // mode do not wait for, and that writes from other processes cannot make restart midway.
      // VACUUM INTO reads under one transaction (a consistent snapshot writers in WAL mode do not wait for)
      // and writes a compact copy encrypted with the same key: SQLite's backup API cannot copy into an
      // encrypted file, and a plain one would put every record's text on the drive in the clear.
      const snapshot = path.join(tmp, 'custodian.db');
      db.prepare('VACUUM INTO ?').run(snapshot);
      facts = snapshotFacts(snapshot, databaseKey(db), { backupId, createdAt: now.toISOString(), dataDir, fingerprint: key.fingerprint });
      writeDurable(tmp, 'backup.json', `${JSON.stringify(facts, null, 2)}\n`);
      return ['backup.json', 'custodian.db'];
    },
  });
  appendEvent(db, clock, {
    traceId: randomUUID(),
    type: 'backup.created',
    payload: {
      backupId,
      folder: name,
      headSeq: facts!.head.seq,
      headHash: facts!.head.hash,
      documents: facts!.documents,
      pendingJobs: facts!.pendingJobs,
      fingerprint: key.fingerprint,
    },
  });
  return { dir, facts: facts! };
}

/**
 * Reads what `backup.json` says about a snapshot from the snapshot itself, never from the live database.
 * The copy is switched out of WAL mode so it is one self-contained file (no -wal or -shm beside it).
 */
function snapshotFacts(file: string, dbKey: Buffer, base: Pick<BackupFacts, 'backupId' | 'createdAt' | 'dataDir' | 'fingerprint'>): BackupFacts {
  const snap = new Database(file);
  try {
    applyKey(snap, dbKey);
    snap.pragma('journal_mode = DELETE');
    const head = snap.prepare('SELECT seq, hash FROM ledger ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string } | undefined;
    if (!head) throw new EngineError('invalid-state', 'The ledger is empty: there is nothing to back up yet.');
    return {
      format: BACKUP_FORMAT,
      ...base,
      host: os.hostname(),
      head,
      schemaVersion: snap.pragma('user_version', { simple: true }) as number,
      documents: snap.prepare('SELECT COUNT(*) FROM documents').pluck().get() as number,
      pendingJobs: snap.prepare(`SELECT COUNT(*) FROM jobs WHERE state IN ('queued', 'leased')`).pluck().get() as number,
    };
  } finally {
    snap.close();
  }
}

import { randomUUID, createPrivateKey, createPublicKey } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, rmdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Clock } from '../clock.js';
import { EngineError } from '../errors.js';
import { appendEvent, verifyChain } from '../ledger/index.js';
import { DATABASE_FILE, openDatabase } from '../store/index.js';
import { fingerprintOf, fsyncPath, keyring, loadSigningKey, verifyCheckpoints, verifySignedFolder } from '../audit/index.js';
import { releaseLeases } from '../queue/index.js';
import { releaseWalks } from '../intake/index.js';
import { BACKUP_FILES, BACKUP_FORMAT, envelopeContext, readSealedKeys, type BackupFacts } from './backup-format.js';
import { openSecret, type KeyEnvelope } from './key-envelope.js';

/** What a restore did. */
export type RestoreResult = {
  dataDir: string;
  facts: BackupFacts;
  /** Seq of the `restore.completed` event: the first entry after the backup's head. */
  restoredAtSeq: number;
  /** Jobs that were leased when the snapshot was taken, back in the queue. */
  jobsRequeued: number;
  /** Batch walks that were running then, handed back to the next `resume`. */
  walksResumable: number;
};

/**
 * Restores a backup into a new data folder. Nothing is written to `targetDir` until the backup has proved
 * itself: its signature and every file's SHA-256, the passphrase opening the signing key, the key matching
 * the one that signed, the ledger chain and every signed checkpoint, and the head `backup.json` names.
 * The restored ledger's next entry is `restore.completed`, naming the backup and its head, so the gap
 * between backup and restore is visible in the chain, never hidden. Work queued or running at backup time
 * is queued again.
 * @throws EngineError `invalid-argument` (target not empty, not a backup), `refused` (wrong passphrase,
 * a backup that does not verify).
 */
export function restoreBackup(backupDir: string, targetDir: string, passphrase: string, clock: Clock): RestoreResult {
  const target = path.resolve(targetDir);
  if (existsSync(target) && readdirSync(target).length > 0)
    throw new EngineError('invalid-argument', `${target} is not empty: restore into a new or empty data folder, never over one in use.`);
  const verdict = verifySignedFolder(backupDir, BACKUP_FILES, 'backup');
  if (!verdict.ok) throw new EngineError('refused', `The backup does not verify: ${verdict.problem}.`);
  const facts = JSON.parse(readFileSync(path.join(backupDir, 'backup.json'), 'utf8')) as BackupFacts;
  if (facts.format !== BACKUP_FORMAT) throw new EngineError('invalid-argument', `${backupDir} is not a ${BACKUP_FORMAT} backup.`);
  if (facts.fingerprint !== verdict.fingerprint)
    throw new EngineError('refused', 'The backup does not verify: backup.json names another key than the one that signed it.');
  const envelope = JSON.parse(readFileSync(path.join(backupDir, 'signing-key.envelope.json'), 'utf8')) as KeyEnvelope;
  const { signingKey: privatePem, databaseKey } = readSealedKeys(openSecret(envelope, passphrase, envelopeContext(facts.backupId)).toString());
  if (fingerprintOf(createPublicKey(createPrivateKey(privatePem))) !== facts.fingerprint)
    throw new EngineError('refused', 'The backup does not verify: its sealed signing key is not the key that signed it.');

  // Built beside the target and renamed into place: a failed restore leaves no half data folder.
  const staging = path.join(path.dirname(target), `.${path.basename(target)}.restoring-${randomUUID().slice(0, 8)}`);
  mkdirSync(path.dirname(target), { recursive: true });
  mkdirSync(staging, { mode: 0o700 });
  try {
    copyFileSync(path.join(backupDir, 'custodian.db'), path.join(staging, DATABASE_FILE));
    const keys = path.join(staging, 'keys');
    mkdirSync(path.join(keys, 'retired'), { recursive: true, mode: 0o700 });
    chmodSync(keys, 0o700);
    writeFileSync(path.join(keys, 'ed25519-private.pem'), privatePem, { mode: 0o600 });
    const retired = JSON.parse(readFileSync(path.join(backupDir, 'retired-keys.json'), 'utf8')) as Record<string, string>;
    for (const [fingerprint, pem] of Object.entries(retired)) {
      if (!/^[0-9a-f]{64}$/u.test(fingerprint) || fingerprintOf(createPublicKey(pem)) !== fingerprint)
        throw new EngineError('refused', `The backup does not verify: retired key ${fingerprint.slice(0, 16)}… is not the key its name says.`);
      writeFileSync(path.join(keys, 'retired', `${fingerprint}.pem`), pem);
    }

    // The snapshot's key becomes the restored folder's (or the snapshot is re-keyed to a key already kept for it).
    const db = openDatabase(staging, { fileKey: databaseKey ?? undefined });
    let result: Omit<RestoreResult, 'dataDir' | 'facts'>;
    try {
      const chain = verifyChain(db);
      if (!chain.ok) throw new EngineError('refused', `The backup's ledger is broken at entry ${chain.firstBadSeq}: ${chain.reason}.`);
      if (chain.entries !== facts.head.seq || chain.head !== facts.head.hash)
        throw new EngineError('refused', `The backup's ledger ends at entry ${chain.entries}, not at the head backup.json names (${facts.head.seq}).`);
      const bad = verifyCheckpoints(db, keyring(staging, loadSigningKey(staging)));
      if (bad) throw new EngineError('refused', `The backup's signed checkpoint at entry ${bad.seq} does not verify: ${bad.reason}.`);
      result = db
        .transaction(() => {
          const event = appendEvent(db, clock, {
            traceId: randomUUID(),
            type: 'restore.completed',
            payload: {
              backupId: facts.backupId,
              backupCreatedAt: facts.createdAt,
              backupHost: facts.host,
              fromHeadSeq: facts.head.seq,
              fromHeadHash: facts.head.hash,
              fingerprint: facts.fingerprint,
            },
          });
          return { restoredAtSeq: event.seq, jobsRequeued: releaseLeases(db, clock, null, 'restored'), walksResumable: releaseWalks(db) };
        })
        .immediate();
    } finally {
      db.close();
    }
    if (existsSync(target)) rmdirSync(target);
    renameSync(staging, target);
    fsyncPath(path.dirname(target));
    return { dataDir: target, facts, ...result };
  } catch (err) {
    rmSync(staging, { recursive: true, force: true });
    throw err;
  }
}

import type { Db } from '../store/index.js';
import type { Clock } from '../clock.js';
import { canonicalJson } from '../ledger/index.js';
import { signBytes, verifyBytes, type SigningKey } from './signing-key.js';

/** A signed ledger head. */
export type Checkpoint = { seq: number; hash: string; ts: string; reason: string; fingerprint: string; signature: string };

/** The exact bytes a checkpoint signs: canonical JSON of the head and when. */
export function checkpointMessage(c: Pick<Checkpoint, 'seq' | 'hash' | 'ts'>): string {
  return canonicalJson({ custodianCheckpoint: 1, seq: c.seq, hash: c.hash, ts: c.ts });
}

/**
 * Signs the current ledger head and stores it (`reason`: `batch` or `export`). Checkpoints live beside the
 * ledger, not in it, so signing does not move the head it signs. @returns null when the ledger is empty.
 */
export function signCheckpoint(db: Db, clock: Clock, key: SigningKey, reason: string): Checkpoint | null {
  const head = db.prepare('SELECT seq, hash FROM ledger ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string } | undefined;
  if (!head) return null;
  const ts = clock.now().toISOString();
  const signature = signBytes(key, checkpointMessage({ ...head, ts })).toString('base64');
  const c: Checkpoint = { seq: head.seq, hash: head.hash, ts, reason, fingerprint: key.fingerprint, signature };
  db.prepare('INSERT INTO checkpoints (seq, hash, ts, reason, fingerprint, signature) VALUES (?, ?, ?, ?, ?, ?)').run(
    c.seq,
    c.hash,
    c.ts,
    c.reason,
    c.fingerprint,
    c.signature,
  );
  return c;
}

/** Every stored checkpoint, oldest first. */
export function listCheckpoints(db: Db): Checkpoint[] {
  return db.prepare('SELECT seq, hash, ts, reason, fingerprint, signature FROM checkpoints ORDER BY id').all() as Checkpoint[];
}

/**
 * Checks each checkpoint's signature (under this workstation's key) and that the ledger still holds its
 * head: the entry at `seq` has `hash`. @returns the first problem, or null.
 */
export function verifyCheckpoints(db: Db, keys: ReadonlyMap<string, string>): { seq: number; reason: string } | null {
  const at = db.prepare('SELECT hash FROM ledger WHERE seq = ?').pluck();
  for (const c of listCheckpoints(db)) {
    const bad = (reason: string) => ({ seq: c.seq, reason: `checkpoint-${reason}` });
    const pem = keys.get(c.fingerprint);
    if (!pem) return bad(`other-key: signed by ${c.fingerprint.slice(0, 16)}…, not a key of this workstation`);
    if (!verifyBytes(pem, checkpointMessage(c), Buffer.from(c.signature, 'base64'))) return bad('bad-signature: the signed head was altered');
    const hash = at.get(c.seq) as string | undefined;
    if (hash === undefined) return bad('truncated: the ledger no longer reaches this signed head');
    if (hash !== c.hash) return bad('mismatch: the entry at this signed head has changed');
  }
  return null;
}

import type { Db } from '../store/index.js';
import type { Clock } from '../clock.js';
import { randomUUID } from 'node:crypto';
import { appendEvent, canonicalJson } from '../ledger/index.js';
import { signBytes, verifyBytes, type SigningKey } from './signing-key.js';

/** A signed ledger head. */
export type Checkpoint = { seq: number; hash: string; ts: string; reason: string; fingerprint: string; signature: string };

/** The exact bytes a checkpoint signs: canonical JSON of the head and when. */
export function checkpointMessage(c: Pick<Checkpoint, 'seq' | 'hash' | 'ts'>): string {
  return canonicalJson({ custodianCheckpoint: 1, seq: c.seq, hash: c.hash, ts: c.ts });
}

/**
 * Signs the current ledger head and records it twice (`reason`: `batch`, `export`, `key-rotation`): as a
 * `ledger.checkpoint` event, so removing it breaks the chain, and as a row of `checkpoints`, the index the
 * app lists. The event follows the head it signs (signing cannot include itself). @returns null when the
 * ledger is empty.
 */
export function signCheckpoint(db: Db, clock: Clock, key: SigningKey, reason: string): Checkpoint | null {
  return db
    .transaction(() => {
      const head = db.prepare('SELECT seq, hash FROM ledger ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string } | undefined;
      if (!head) return null;
      const ts = clock.now().toISOString();
      const signature = signBytes(key, checkpointMessage({ ...head, ts })).toString('base64');
      const c: Checkpoint = { seq: head.seq, hash: head.hash, ts, reason, fingerprint: key.fingerprint, signature };
      insertRow(db, c);
      appendEvent(db, clock, { traceId: randomUUID(), type: 'ledger.checkpoint', payload: c });
      return c;
    })
    .immediate();
}

function insertRow(db: Db, c: Checkpoint): void {
  db.prepare('INSERT INTO checkpoints (seq, hash, ts, reason, fingerprint, signature) VALUES (?, ?, ?, ?, ?, ?)').run(
    c.seq,
    c.hash,
    c.ts,
    c.reason,
    c.fingerprint,
    c.signature,
  );
}

/**
 * Signs a `batch` checkpoint when a `batch.completed` is newer than the newest signed head: a batch finished
 * by `resume`, a retry or the app's run loop is sealed as one finished by `ingest` is. @returns whether it signed.
 */
export function sealCompletedBatches(db: Db, clock: Clock, key: () => SigningKey): boolean {
  const completed = db.prepare(`SELECT MAX(seq) FROM ledger WHERE type = 'batch.completed'`).pluck().get() as number | null;
  if (completed === null || completed <= newestSignedSeq(db)) return false;
  return signCheckpoint(db, clock, key(), 'batch') !== null;
}

/** Whether the newest ledger entry is itself a checkpoint (signing again would add nothing). */
export function headIsCheckpoint(db: Db): boolean {
  return db.prepare('SELECT type FROM ledger ORDER BY seq DESC LIMIT 1').pluck().get() === 'ledger.checkpoint';
}

function newestSignedSeq(db: Db): number {
  const last = db.prepare(`SELECT payload FROM ledger WHERE type = 'ledger.checkpoint' ORDER BY seq DESC LIMIT 1`).pluck().get() as string | undefined;
  return last ? (JSON.parse(last) as Checkpoint).seq : 0;
}

/**
 * A data folder from before checkpoints were ledger events: the rows schema migration 8 listed get their
 * events, once, so from then on deleting a row is caught like any other. Rows signed later never are: a
 * cut-off event must be reported, not re-added. @returns how many were adopted.
 */
export function adoptCheckpointRows(db: Db, clock: Clock): number {
  return db
    .transaction(() => {
      const rows = db
        .prepare('SELECT seq, hash, ts, reason, fingerprint, signature FROM checkpoints WHERE id IN (SELECT id FROM checkpoints_to_adopt) ORDER BY id')
        .all() as Checkpoint[];
      for (const c of rows) appendEvent(db, clock, { traceId: randomUUID(), type: 'ledger.checkpoint', payload: c });
      if (rows.length) db.prepare('DELETE FROM checkpoints_to_adopt').run();
      return rows.length;
    })
    .immediate();
}

/** Every stored checkpoint row, oldest first. */
export function listCheckpoints(db: Db): Checkpoint[] {
  return db.prepare('SELECT seq, hash, ts, reason, fingerprint, signature FROM checkpoints ORDER BY id').all() as Checkpoint[];
}

/** Every `ledger.checkpoint` event, oldest first, with the seq of the event itself. */
function checkpointEvents(db: Db): { at: number; checkpoint: Checkpoint }[] {
  const rows = db.prepare(`SELECT seq, payload FROM ledger WHERE type = 'ledger.checkpoint' ORDER BY seq`).all() as { seq: number; payload: string }[];
  return rows.map((r) => ({ at: r.seq, checkpoint: JSON.parse(r.payload) as Checkpoint }));
}

/**
 * Checks every checkpoint the ledger records: its signature (under a key of this workstation), that the
 * chain still holds its head, and that its row is still in `checkpoints` (and every row has its event);
 * then that each `batch.completed` is covered by a later signed head. @returns the first problem, or null.
 */
export function verifyCheckpoints(db: Db, keys: ReadonlyMap<string, string>): { seq: number; reason: string } | null {
  const at = db.prepare('SELECT hash FROM ledger WHERE seq = ?').pluck();
  const events = checkpointEvents(db);
  for (const { checkpoint: c } of events) {
    const bad = (reason: string) => ({ seq: c.seq, reason: `checkpoint-${reason}` });
    const pem = keys.get(c.fingerprint);
    if (!pem) return bad(`other-key: signed by ${c.fingerprint.slice(0, 16)}…, not a key of this workstation`);
    if (!verifyBytes(pem, checkpointMessage(c), Buffer.from(c.signature, 'base64'))) return bad('bad-signature: the signed head was altered');
    const hash = at.get(c.seq) as string | undefined;
    if (hash === undefined) return bad('truncated: the ledger no longer reaches this signed head');
    if (hash !== c.hash) return bad('mismatch: the entry at this signed head has changed');
  }
  const rows = listCheckpoints(db);
  const rowSignatures = new Set(rows.map((r) => r.signature));
  const eventSignatures = new Set(events.map((e) => e.checkpoint.signature));
  const lost = events.find((e) => !rowSignatures.has(e.checkpoint.signature));
  if (lost) return { seq: lost.at, reason: `checkpoint-row-missing: the checkpoint recorded at entry ${lost.at} is no longer in the checkpoints table` };
  const unrecorded = rows.find((r) => !eventSignatures.has(r.signature));
  if (unrecorded)
    return {
      seq: unrecorded.seq,
      reason: 'checkpoint-unrecorded: a checkpoints row has no ledger.checkpoint event (the entries recording it were cut off, or the row was added by hand)',
    };
  const signedUpTo = events.reduce((m, e) => Math.max(m, e.checkpoint.seq), 0);
  const unsealed = db.prepare(`SELECT seq FROM ledger WHERE type = 'batch.completed' AND seq > ? ORDER BY seq LIMIT 1`).pluck().get(signedUpTo) as
    number | undefined;
  if (unsealed !== undefined) {
    return {
      seq: unsealed,
      reason: 'checkpoint-missing: a batch.completed has no signed checkpoint after it (a crash just then is sealed by the next resume)',
    };
  }
  return null;
}

/** How many checkpoints the ledger records. */
export function checkpointCount(db: Db): number {
  return db.prepare(`SELECT COUNT(*) FROM ledger WHERE type = 'ledger.checkpoint'`).pluck().get() as number;
}

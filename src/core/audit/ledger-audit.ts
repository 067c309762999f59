import { randomUUID } from 'node:crypto';
import type { Db } from '../store/index.js';
import type { Clock } from '../clock.js';
import type { LedgerVerifyResult, StateMismatch } from '../../shared/types.js';
import { requireReason } from '../errors.js';
import { appendEvent, verifyChain, type LedgerPayloads } from '../ledger/index.js';
import { checkpointCount, signCheckpoint, verifyCheckpoints } from './checkpoints.js';
import { checkState, missingTriggers } from './state-check.js';
import { keyring, rotateSigningKey, rotationMessage, verifyBytes, type SigningKey } from './signing-key.js';

/**
 * Checks the whole hash chain; that the triggers keeping it append-only are in place; every checkpoint it
 * records (signature, head still held, row still indexed, every `batch.completed` sealed); that each key
 * rotation is endorsed by the key it replaced; and that the tables a report states agree with the ledger
 * (`state-mismatch`, naming table and id). `key` is asked for only when a checkpoint exists: looking must
 * not create a key.
 */
export function verifyLedger(db: Db, dataDir: string, key: () => SigningKey): LedgerVerifyResult {
  const chain = verifyChain(db);
  if (!chain.ok) return chain;
  const missing = missingTriggers(db);
  if (missing.length) {
    return {
      ok: false,
      firstBadSeq: 0,
      reason: `triggers-missing: ${missing.join(', ')} (dropped: the ledger is no longer append-only)`,
      entries: chain.entries,
    };
  }
  const checkpoints = checkpointCount(db);
  // No checkpoint yet: nothing signed to check, and no reason to create a key by looking.
  const ring = checkpoints ? keyring(dataDir, key()) : new Map<string, string>();
  const problem = verifyCheckpoints(db, ring);
  if (problem) return { ok: false, firstBadSeq: problem.seq, reason: problem.reason, entries: chain.entries };
  const unendorsed = unendorsedRotation(db, ring);
  if (unendorsed !== null) {
    return { ok: false, firstBadSeq: unendorsed, reason: 'key-rotation-unendorsed: the new key is not signed by the key it replaced', entries: chain.entries };
  }
  const state = checkState(db);
  if (state.mismatches.length) return stateMismatch(state.mismatches, chain.entries);
  return { ...chain, checkpoints, state: { checked: state.checked, unbound: state.unbound } };
}

/** The verdict on tables that disagree with the ledger: the first named in `reason`, all in `mismatches`. */
export function stateMismatch(mismatches: StateMismatch[], entries: number): LedgerVerifyResult {
  const [first] = mismatches;
  const more = mismatches.length > 1 ? ` (and ${mismatches.length - 1} more)` : '';
  return {
    ok: false,
    firstBadSeq: first!.seq ?? 0,
    reason: `state-mismatch: ${describeMismatch(first!)}${more}`,
    entries,
    mismatches,
  };
}

/** One mismatch in a line: `documents 12: lane is public, the ledger says pii (entry 481)`. */
export function describeMismatch(m: StateMismatch): string {
  return `${m.table} ${m.id}: ${m.message}${m.seq === null ? '' : ` (entry ${m.seq})`}`;
}

/** The seq of the first `key.rotated` whose new key the old key (found in `ring`) did not sign, or null. */
function unendorsedRotation(db: Db, ring: ReadonlyMap<string, string>): number | null {
  for (const r of db.prepare(`SELECT seq, payload FROM ledger WHERE type = 'key.rotated' ORDER BY seq`).all() as { seq: number; payload: string }[]) {
    const p = JSON.parse(r.payload) as LedgerPayloads['key.rotated'];
    const oldPem = ring.get(p.oldFingerprint);
    if (!oldPem || !verifyBytes(oldPem, rotationMessage(p.newFingerprint, p.newPublicKey, p.endorsedAt), Buffer.from(p.endorsement, 'base64'))) return r.seq;
  }
  return null;
}

/**
 * Replaces the signing key. The `key.rotated` ledger event carries the new public key endorsed by the old
 * key's signature; the old public key is kept so earlier checkpoints still verify. A checkpoint under the
 * new key follows. @throws EngineError `invalid-argument` without a reason.
 */
export function rotateKey(db: Db, clock: Clock, dataDir: string, reason: string | undefined): { old: SigningKey; next: SigningKey } {
  const why = requireReason(reason);
  const ts = clock.now().toISOString();
  const { old, next, endorsement } = rotateSigningKey(dataDir, ts);
  appendEvent(db, clock, {
    traceId: randomUUID(),
    type: 'key.rotated',
    payload: { oldFingerprint: old.fingerprint, newFingerprint: next.fingerprint, newPublicKey: next.publicPem, endorsedAt: ts, endorsement, reason: why },
  });
  signCheckpoint(db, clock, next, 'key-rotation');
  return { old, next };
}

import type { Db } from '../store/index.js';
import type { LedgerEntry, LedgerVerifyResult } from '../../shared/types.js';
import { GENESIS_HASH, entryHash } from './entry-hash.js';

type Row = [seq: number, ts: string, traceId: string, type: string, prevHash: string, hash: string, payload: string];

/**
 * Walks the whole chain from seq 1 and reports the first entry that breaks it.
 *
 * Detects an edited entry (`hash-mismatch`), a removed entry (`sequence-gap`, at the missing seq), and
 * an inserted or reordered entry (`prev-hash-mismatch` or `hash-mismatch`, at the first entry that no
 * longer follows its predecessor). Cutting off the newest entries leaves a valid shorter chain: only a
 * head exported off the machine reveals that.
 */
export function verifyChain(db: Db): LedgerVerifyResult {
  const rows = db.prepare('SELECT seq, ts, trace_id, type, prev_hash, hash, payload FROM ledger ORDER BY seq').raw().iterate() as IterableIterator<Row>;
  let expectedSeq = 1;
  let prev = GENESIS_HASH;
  for (const [seq, ts, traceId, type, prevHash, hash, payloadText] of rows) {
    const bad = (reason: string, at = seq): LedgerVerifyResult => ({ ok: false, firstBadSeq: at, reason, entries: expectedSeq - 1 });
    if (seq !== expectedSeq) return bad(`sequence-gap: expected entry ${expectedSeq}, found ${seq}`, expectedSeq);
    if (prevHash !== prev) return bad('prev-hash-mismatch: entry does not follow the one before it');
    let payload: unknown;
    try {
      payload = JSON.parse(payloadText);
    } catch {
      return bad('payload-not-json: payload is not valid JSON');
    }
    if (entryHash({ seq, ts, trace_id: traceId, type, prev_hash: prevHash, payload }) !== hash) {
      return bad('hash-mismatch: entry content does not match its hash');
    }
    prev = hash;
    expectedSeq++;
  }
  return { ok: true, entries: expectedSeq - 1, head: prev };
}

/** Up to `limit` entries after `seq`, oldest first: what a shipper or a mirror sends next. */
export function entriesAfter(db: Db, seq: number, limit: number): LedgerEntry[] {
  const rows = db
    .prepare('SELECT seq, ts, trace_id, type, prev_hash, hash, payload FROM ledger WHERE seq > ? ORDER BY seq LIMIT ?')
    .raw()
    .all(seq, limit) as Row[];
  return rows.map(toEntry);
}

function toEntry([seq, ts, traceId, type, prevHash, hash, payload]: Row): LedgerEntry {
  return { seq, ts, traceId, type, prevHash, hash, payload: JSON.parse(payload) as Record<string, unknown> };
}

/** The newest `n` entries, oldest first. */
export function tailLedger(db: Db, n: number): LedgerEntry[] {
  const rows = db.prepare('SELECT seq, ts, trace_id, type, prev_hash, hash, payload FROM ledger ORDER BY seq DESC LIMIT ?').raw().all(n) as Row[];
  return rows.reverse().map(toEntry);
}

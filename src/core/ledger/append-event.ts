import type { Statement } from 'better-sqlite3';
import type { Db } from '../store/index.js';
import type { Clock } from '../clock.js';
import type { LedgerEntry } from '../../shared/types.js';
import { GENESIS_HASH, canonicalJson, entryHash } from './entry-hash.js';
import type { EventType, LedgerPayloads } from './events.js';

/**
 * A ledger event before it is chained: a type of the catalogue ({@link LedgerPayloads}) with its payload.
 * Payloads carry hashes, counts, codes, sizes and durations: never document text.
 */
export type LedgerEvent<T extends EventType = EventType> = { [K in T]: { traceId: string; type: K; payload: LedgerPayloads[K] } }[T];

type Statements = {
  head: Statement<[], { seq: number; hash: string }>;
  insert: Statement<[number, string, string, string, string, string, string]>;
};
const statements = new WeakMap<Db, Statements>();

function prepared(db: Db): Statements {
  let s = statements.get(db);
  if (!s) {
    s = {
      head: db.prepare('SELECT seq, hash FROM ledger ORDER BY seq DESC LIMIT 1'),
      insert: db.prepare('INSERT INTO ledger (seq, ts, trace_id, type, prev_hash, hash, payload) VALUES (?, ?, ?, ?, ?, ?, ?)'),
    };
    statements.set(db, s);
  }
  return s;
}

/**
 * Appends one event to the hash chain and returns it as stored.
 *
 * Call it inside the caller's immediate transaction so the event commits with the state change it
 * records; outside one it opens its own. Reading the head and inserting the next entry must be one
 * write transaction: the chain depends on insert order, and SQLite's write lock makes this the single writer
 * even across processes.
 */
export function appendEvent<T extends EventType>(db: Db, clock: Clock, event: LedgerEvent<T>): LedgerEntry {
  const run = (): LedgerEntry => {
    const s = prepared(db);
    const head = s.head.get();
    const seq = (head?.seq ?? 0) + 1;
    const prevHash = head?.hash ?? GENESIS_HASH;
    const ts = clock.now().toISOString();
    // Stored in canonical form so an outside verifier that re-canonicalizes gets the same bytes.
    const payloadText = canonicalJson(event.payload);
    const payload = JSON.parse(payloadText) as Record<string, unknown>;
    const hash = entryHash({ seq, ts, trace_id: event.traceId, type: event.type, prev_hash: prevHash, payload });
    s.insert.run(seq, ts, event.traceId, event.type, prevHash, hash, payloadText);
    return { seq, ts, traceId: event.traceId, type: event.type, prevHash, hash, payload };
  };
  return db.inTransaction ? run() : db.transaction(run).immediate();
}

import { createHash, randomUUID } from 'node:crypto';
import { deleteSettings, readSetting, writeSetting, type Db } from '../store/index.js';
import type { Clock } from '../clock.js';
import { appendEvent } from '../ledger/index.js';
import { describeTarget, type SyslogTarget } from './ship-target.js';

const TARGET = 'ship.syslog.target';
const CURSOR = 'ship.syslog.cursor';
const STATUS = 'ship.syslog.status';

/** How the last shipping attempts went, for `ship status` and the app. */
export type ShipStatus = { lastAttemptAt: string | null; lastSuccessAt: string | null; lastError: string | null };

/** The configured collector, or null: shipping is off by default and then opens no socket at all. */
export function shipTarget(db: Db): SyslogTarget | null {
  const text = readSetting(db, TARGET);
  return text ? (JSON.parse(text) as SyslogTarget) : null;
}

/**
 * Sets (or with null, removes) the collector. The ledger records it (`ship.configured` / `ship.disabled`),
 * so turning shipping off is itself on the record, and shipped if shipping was on. A new collector starts
 * from the first entry: it gets the whole history.
 */
export function configureShipping(db: Db, clock: Clock, target: SyslogTarget | null): void {
  db.transaction(() => {
    const before = shipTarget(db);
    if (target) {
      if (!before || describeTarget(before) !== describeTarget(target) || before.caPem !== target.caPem) writeSetting(db, CURSOR, '0');
      writeSetting(db, TARGET, JSON.stringify(target));
    } else {
      deleteSettings(db, TARGET, CURSOR, STATUS);
    }
    if (target) {
      const caSha256 = target.caPem ? createHash('sha256').update(target.caPem).digest('hex') : null;
      appendEvent(db, clock, { traceId: randomUUID(), type: 'ship.configured', payload: { target: describeTarget(target), tls: target.tls, caSha256 } });
    } else {
      appendEvent(db, clock, { traceId: randomUUID(), type: 'ship.disabled', payload: { previous: before ? describeTarget(before) : null } });
    }
  }).immediate();
}

/** The seq of the last entry the collector confirmed. */
export function shipCursor(db: Db): number {
  return Number(readSetting(db, CURSOR) ?? 0);
}

/** Moves the cursor forward (never back): called only after the collector confirmed every entry up to `seq`. */
export function advanceShipCursor(db: Db, seq: number): void {
  db.transaction(() => {
    if (seq > shipCursor(db)) writeSetting(db, CURSOR, String(seq));
  }).immediate();
}

/** The last attempts' outcome. */
export function shipStatus(db: Db): ShipStatus {
  const text = readSetting(db, STATUS);
  return text ? (JSON.parse(text) as ShipStatus) : { lastAttemptAt: null, lastSuccessAt: null, lastError: null };
}

/** Records an attempt: success clears the error. */
export function recordShipAttempt(db: Db, clock: Clock, error: string | null): void {
  const now = clock.now().toISOString();
  const before = shipStatus(db);
  writeSetting(db, STATUS, JSON.stringify({ lastAttemptAt: now, lastSuccessAt: error ? before.lastSuccessAt : now, lastError: error } satisfies ShipStatus));
}

/** Where shipping stands: the collector, the last confirmed entry against the head, the last attempts. */
export type ShipProgress = ShipStatus & { target: string | null; confirmedSeq: number; head: number };

/** {@link ShipProgress} now. */
export function shipProgress(db: Db): ShipProgress {
  const target = shipTarget(db);
  const head = db.prepare('SELECT COALESCE(MAX(seq), 0) FROM ledger').pluck().get() as number;
  return { target: target ? describeTarget(target) : null, confirmedSeq: target ? shipCursor(db) : 0, head, ...shipStatus(db) };
}

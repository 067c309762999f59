import { randomUUID } from 'node:crypto';
import type { Db } from '../store/index.js';
import type { Clock } from '../clock.js';
import { appendEvent, type LedgerEvent } from '../ledger/index.js';
import { EngineError, requireReason } from '../errors.js';
import { localDateOf, parseCivilDate, type CivilDate } from './civil-date.js';
import type { DeadlineBook, RequestRecord } from './deadline-book.js';
import type { ClockEvent } from './due-date.js';
import type { RequestSummary } from '../../shared/types.js';

const date = (text: string, what: string): CivilDate => {
  try {
    return parseCivilDate(text);
  } catch (err) {
    throw new EngineError('invalid-argument', `${what}: ${(err as Error).message}`);
  }
};

/** Appends a clock event and its ledger event in one transaction. */
function recordClockEvent(db: Db, clock: Clock, request: RequestRecord, event: ClockEvent, reason: string | null): void {
  const { type, ...detail } = event;
  db.transaction(() => {
    db.prepare('INSERT INTO request_events (request_id, type, detail, reason, created_at) VALUES (?, ?, ?, ?, ?)').run(
      request.id,
      type,
      JSON.stringify(detail),
      reason,
      clock.now().toISOString(),
    );
    appendEvent(db, clock, clockLedgerEvent(request.id, event, reason));
  }).immediate();
}

/** The ledger event of a clock event: `request.tolled`, `.resumed`, `.extended` or `.closed`, with the reason when given. */
function clockLedgerEvent(
  requestId: string,
  event: ClockEvent,
  reason: string | null,
): LedgerEvent<'request.tolled' | 'request.resumed' | 'request.extended' | 'request.closed'> {
  const traceId = randomUUID();
  const why = reason ? { reason } : {};
  switch (event.type) {
    case 'toll':
      return { traceId, type: 'request.tolled', payload: { requestId, from: event.from, to: event.to, basis: event.basis, ...why } };
    case 'resume':
      return { traceId, type: 'request.resumed', payload: { requestId, on: event.on, ...why } };
    case 'extend':
      return { traceId, type: 'request.extended', payload: { requestId, days: event.days, ...why } };
    case 'close':
      return { traceId, type: 'request.closed', payload: { requestId, on: event.on, ...why } };
  }
}

function openRequest(book: DeadlineBook, id: string): RequestRecord {
  const r = book.request(id);
  if (book.events(id).some((e) => e.type === 'close')) throw new EngineError('invalid-state', `Request ${id} is closed.`);
  return r;
}

/** Registers a records request. @throws EngineError for a duplicate id, unknown jurisdiction or bad date. */
export function addRequest(
  db: Db,
  clock: Clock,
  book: DeadlineBook,
  input: { id: string; jurisdiction: string; received: string; title?: string },
): RequestRecord {
  const id = input.id.trim();
  if (!/^[\w.:/-]{1,64}$/u.test(id)) throw new EngineError('invalid-argument', 'A request id is 1–64 letters, digits and . _ - : / characters.');
  book.jurisdiction(input.jurisdiction);
  const received = date(input.received, '--received');
  if (received > localDateOf(clock.now())) throw new EngineError('invalid-argument', `--received ${received} is in the future.`);
  if (db.prepare('SELECT 1 FROM requests WHERE id = ?').get(id)) throw new EngineError('invalid-state', `Request ${id} already exists.`);
  db.transaction(() => {
    db.prepare('INSERT INTO requests (id, jurisdiction, received, title, created_at) VALUES (?, ?, ?, ?, ?)').run(
      id,
      input.jurisdiction,
      received,
      input.title ?? null,
      clock.now().toISOString(),
    );
    appendEvent(db, clock, { traceId: randomUUID(), type: 'request.added', payload: { requestId: id, jurisdiction: input.jurisdiction, received } });
  }).immediate();
  return book.request(id);
}

/**
 * Stops a request's clock from `from` (to `to`, or until `resumeRequest`), on a tolling basis the
 * jurisdiction allows, within its limit. @throws EngineError `refused` when the jurisdiction does not allow it.
 */
export function tollRequest(db: Db, clock: Clock, book: DeadlineBook, id: string, input: { from: string; to?: string; basis?: string; reason?: string }): void {
  const request = openRequest(book, id);
  const reason = requireReason(input.reason);
  const j = book.jurisdiction(request.jurisdiction);
  if (j.tolling.length === 0) throw new EngineError('refused', `${j.name} does not provide for stopping the clock (${j.citation}).`);
  const basis = input.basis ?? j.tolling[0]!.reason;
  const rule = j.tolling.find((t) => t.reason === basis);
  if (!rule) throw new EngineError('refused', `${j.code} tolls only for: ${j.tolling.map((t) => t.reason).join(', ')}.`);
  const events = book.events(id);
  const used = events.filter((e) => e.type === 'toll' && e.basis === basis).length;
  if (rule.limit !== null && used >= rule.limit) throw new EngineError('refused', `${basis} may stop the clock ${rule.limit} time(s) only (${rule.citation}).`);
  const resumes = events.filter((e) => e.type === 'resume').length;
  if (events.filter((e) => e.type === 'toll' && e.to === null).length > resumes)
    throw new EngineError('invalid-state', `Request ${id} is already tolled; resume it first.`);
  const from = date(input.from, '--from');
  const to = input.to === undefined ? null : date(input.to, '--to');
  if (from < request.received) throw new EngineError('invalid-argument', `--from ${from} is before the request was received (${request.received}).`);
  if (to !== null && to < from) throw new EngineError('invalid-argument', `--to ${to} is before --from ${from}.`);
  recordClockEvent(db, clock, request, { type: 'toll', from, to, basis }, reason);
}

/** Restarts a clock stopped by an open-ended toll; `on` is the day the answer arrived. */
export function resumeRequest(db: Db, clock: Clock, book: DeadlineBook, id: string, on: string): void {
  const request = openRequest(book, id);
  const events = book.events(id);
  const openTolls = events.filter((e): e is Extract<ClockEvent, { type: 'toll' }> => e.type === 'toll' && e.to === null);
  if (openTolls.length <= events.filter((e) => e.type === 'resume').length) throw new EngineError('invalid-state', `Request ${id} is not tolled.`);
  const day = date(on, '--on');
  if (day < openTolls.at(-1)!.from) throw new EngineError('invalid-argument', `--on ${day} is before the toll began (${openTolls.at(-1)!.from}).`);
  recordClockEvent(db, clock, request, { type: 'resume', on: day }, null);
}

/** Extends a request's period. @throws EngineError `refused` beyond what the jurisdiction allows. */
export function extendRequest(db: Db, clock: Clock, book: DeadlineBook, id: string, input: { days: number; reason?: string }): void {
  const request = openRequest(book, id);
  const reason = requireReason(input.reason);
  if (!Number.isInteger(input.days) || input.days <= 0) throw new EngineError('invalid-argument', '--days must be a whole number above 0.');
  const j = book.jurisdiction(request.jurisdiction);
  const already = book.events(id).reduce((s, e) => s + (e.type === 'extend' ? e.days : 0), 0);
  if (already + input.days > j.extension.maxDays) {
    throw new EngineError('refused', `${j.code} allows ${j.extension.maxDays} extension day(s) in all; ${already} already granted (${j.extension.citation}).`);
  }
  recordClockEvent(db, clock, request, { type: 'extend', days: input.days }, reason);
}

/** Closes a request on the day it was answered. */
export function closeRequest(db: Db, clock: Clock, book: DeadlineBook, id: string, on: string): void {
  const request = openRequest(book, id);
  const day = date(on, '--on');
  if (day < request.received) throw new EngineError('invalid-argument', `--on ${day} is before the request was received (${request.received}).`);
  recordClockEvent(db, clock, request, { type: 'close', on: day }, null);
}

/** Adds an agency closure day to a jurisdiction's calendar; open requests are recomputed with it. */
export function addClosureDay(db: Db, clock: Clock, book: DeadlineBook, input: { jurisdiction: string; date: string; reason?: string }): void {
  const j = book.jurisdiction(input.jurisdiction);
  const reason = requireReason(input.reason);
  const day = date(input.date, 'date');
  const limit = j.closures?.maxPerYear;
  if (limit !== undefined) {
    const n = db.prepare(`SELECT COUNT(*) FROM closure_days WHERE jurisdiction = ? AND substr(date, 1, 4) = ?`).pluck().get(j.code, day.slice(0, 4)) as number;
    if (n >= limit) throw new EngineError('refused', `${j.code} allows ${limit} closure days a year (${j.closures!.citation}).`);
  }
  db.transaction(() => {
    const { changes } = db
      .prepare('INSERT OR IGNORE INTO closure_days (jurisdiction, date, reason, created_at) VALUES (?, ?, ?, ?)')
      .run(j.code, day, reason, clock.now().toISOString());
    if (changes === 0) throw new EngineError('invalid-state', `${day} is already a closure day for ${j.code}.`);
    appendEvent(db, clock, { traceId: randomUUID(), type: 'closure.added', payload: { jurisdiction: j.code, date: day, reason } });
  }).immediate();
  book.invalidate();
}

/** A request with its clock today, how many documents are responsive to it and how many of those are reviewed. @throws EngineError `not-found`. */
export function requestSummary(db: Db, clock: Clock, book: DeadlineBook, id: string): RequestSummary {
  const request = book.request(id);
  const f = book.figures(request, localDateOf(clock.now()));
  const counts = db
    .prepare(
      `SELECT COUNT(*) AS documents, COALESCE(SUM(d.review = 'reviewed'), 0) AS reviewed, COALESCE(SUM(d.review = 'in-review'), 0) AS inReview
         FROM request_documents rd JOIN documents d ON d.id = rd.document_id WHERE rd.request_id = ?`,
    )
    .get(id) as { documents: number; reviewed: number; inReview: number };
  return { id: request.id, jurisdiction: request.jurisdiction, received: request.received, title: request.title, ...counts, ...f };
}

/** Every request with its clock today (closed ones included), oldest received first. */
export function listRequests(db: Db, clock: Clock, book: DeadlineBook): RequestSummary[] {
  const ids = db.prepare('SELECT id FROM requests ORDER BY received, id').pluck().all() as string[];
  return ids.map((id) => requestSummary(db, clock, book, id));
}

/** Closure days the agency declared, by date. */
export function listClosureDays(db: Db): { jurisdiction: string; date: string; reason: string }[] {
  return db.prepare('SELECT jurisdiction, date, reason FROM closure_days ORDER BY date, jurisdiction').all() as {
    jurisdiction: string;
    date: string;
    reason: string;
  }[];
}

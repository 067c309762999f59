import { addDays, dayNumber, type CivilDate } from './civil-date.js';
import type { BusinessCalendar } from './business-calendar.js';
import type { DeadlineFigures } from '../../shared/types.js';

/** What happened to a request's clock, in the order it was recorded. */
export type ClockEvent =
  | { type: 'toll'; from: CivilDate; to: CivilDate | null; basis: string }
  | { type: 'resume'; on: CivilDate }
  | { type: 'extend'; days: number }
  | { type: 'close'; on: CivilDate };

export type { DeadlineFigures };

/** Share of the allowed window after which a request is at risk. */
export const AT_RISK_SHARE = 0.8;

/** Longest clock followed, in calendar days, before giving up (a guard, not a rule). */
const MAX_SPAN_DAYS = 3660;

/** Toll intervals (inclusive on both ends) from the events; an open toll runs through `asOf`. */
function tollIntervals(events: readonly ClockEvent[], asOf: CivilDate): { spans: [number, number][]; open: boolean } {
  const spans: [number, number][] = [];
  let openFrom: CivilDate | null = null;
  for (const e of events) {
    if (e.type === 'toll') {
      if (e.to === null) openFrom = e.from;
      else spans.push([dayNumber(e.from), dayNumber(e.to)]);
    } else if (e.type === 'resume' && openFrom !== null) {
      spans.push([dayNumber(openFrom), dayNumber(e.on)]);
      openFrom = null;
    }
  }
  if (openFrom !== null) spans.push([dayNumber(openFrom), Math.max(dayNumber(openFrom), dayNumber(asOf))]);
  return { spans, open: openFrom !== null };
}

/**
 * The one function that says when a request is due and how far its clock has run. Everything is derived
 * from the received date, the request's clock events and the jurisdiction's calendar as they are now; no
 * due date is stored, so a corrected holiday or closure day recomputes every open request.
 *
 * - Day 1 follows the jurisdiction's day-zero rule. Counted days are business days (or calendar days for a
 *   calendar-day period) outside any toll. A toll covers its first and last day: the clock stops on
 *   `from`, and counting goes on the day after the answer arrived (`to`, or `resume --on`).
 * - A calendar-day period whose last day is a weekend or holiday moves to the next business day when the
 *   jurisdiction says so.
 */
export function computeDeadline(received: CivilDate, events: readonly ClockEvent[], calendar: BusinessCalendar, asOf: CivilDate): DeadlineFigures {
  const j = calendar.jurisdiction;
  const close = events.find((e): e is Extract<ClockEvent, { type: 'close' }> => e.type === 'close') ?? null;
  const until = close && close.on < asOf ? close.on : asOf;
  const { spans, open } = tollIntervals(events, until);
  const tolled = (n: number): boolean => spans.some(([a, b]) => n >= a && n <= b);
  const business = j.period.kind === 'business';
  const counts = (d: CivilDate): boolean => !tolled(dayNumber(d)) && (!business || calendar.isBusinessDay(d));

  let start: CivilDate;
  if (j.dayZero.rule === 'next-day') start = addDays(received, 1);
  else if (j.dayZero.rule === 'receipt') start = calendar.onOrAfter(received);
  else start = calendar.onOrAfter(addDays(received, 1));

  const extensionDays = events.reduce((s, e) => s + (e.type === 'extend' ? e.days : 0), 0);
  const allowedDays = j.period.days + extensionDays;

  let due = start;
  for (let counted = 0, d = start, guard = 0; ; d = addDays(d, 1), guard++) {
    if (guard > MAX_SPAN_DAYS) throw new RangeError(`the clock of a request received ${received} does not end within ten years`);
    if (counts(d) && ++counted === allowedDays) {
      due = d;
      break;
    }
  }
  if (!business && j.lastDayRoll === 'next-business-day') due = calendar.onOrAfter(due);

  const countBetween = (from: CivilDate, to: CivilDate): number => {
    let n = 0;
    for (let d = from; d <= to; d = addDays(d, 1)) if (counts(d)) n++;
    return n;
  };
  const daysElapsed = until < start ? 0 : countBetween(start, until);
  const daysRemaining = until < due ? countBetween(addDays(until, 1), due) : 0 - countBetween(addDays(due, 1), until);
  const percentUsed = Math.round((daysElapsed / allowedDays) * 1000) / 10;
  let status: DeadlineFigures['status'];
  if (close && close.on <= asOf) status = 'closed';
  else if (until > due) status = 'overdue';
  else if (daysElapsed >= AT_RISK_SHARE * allowedDays) status = 'at-risk';
  else status = 'on-track';
  return {
    startDate: start,
    dueDate: due,
    allowedDays,
    extensionDays,
    daysElapsed,
    daysRemaining,
    percentUsed,
    status,
    tolled: open,
    closedOn: close?.on ?? null,
  };
}

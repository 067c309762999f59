import type { Db } from '../store/index.js';
import type { DeadlineBook, RequestRecord } from './deadline-book.js';
import { localDateOf } from './civil-date.js';
import { computeDeadline, type ClockEvent } from './due-date.js';

/**
 * The day a request was found overdue when it was extended (the first such extension), or null. An
 * extension can move the due date past today, but the record must still show the request ran late:
 * the clock is recomputed on the day of each extension with only the events recorded before it.
 */
export function overdueBeforeExtension(db: Db, book: DeadlineBook, request: RequestRecord): string | null {
  const rows = db.prepare('SELECT type, detail, created_at AS at FROM request_events WHERE request_id = ? ORDER BY id').all(request.id) as {
    type: ClockEvent['type'];
    detail: string;
    at: string;
  }[];
  const events = rows.map((r) => ({ type: r.type, ...(JSON.parse(r.detail) as object) }) as ClockEvent);
  for (let i = 0; i < rows.length; i++) {
    if (rows[i]!.type !== 'extend') continue;
    const day = localDateOf(new Date(rows[i]!.at));
    if (computeDeadline(request.received, events.slice(0, i), book.calendar(request.jurisdiction), day).status === 'overdue') return day;
  }
  return null;
}

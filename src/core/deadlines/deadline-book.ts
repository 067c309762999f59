import type { Db } from '../store/index.js';
import { EngineError } from '../errors.js';
import { BusinessCalendar } from './business-calendar.js';
import { addDays, localDateOf, type CivilDate } from './civil-date.js';
import { computeDeadline, type ClockEvent, type DeadlineFigures } from './due-date.js';
import { loadJurisdictions, type Jurisdiction } from './jurisdictions.js';

/** A request as stored: what the clock is computed from. */
export type RequestRecord = {
  id: string;
  jurisdiction: string;
  received: CivilDate;
  title: string | null;
  escalation: 'on-track' | 'at-risk' | 'overdue';
  /** Who an escalation of this request goes to; null: the office default (`settings supervisor`). */
  supervisor: string | null;
};

/** Calendar days after which queued work of no request is as urgent as a request due that day. */
export const NO_REQUEST_AGING_DAYS = 10;

/**
 * The engine's view of deadlines: the jurisdiction files, business calendars with the agency's closure
 * days, and each request's clock computed from its events on demand. Nothing here caches a due date;
 * calendars are rebuilt when closure days change.
 */
export class DeadlineBook {
  readonly jurisdictions: Map<string, Jurisdiction>;
  private readonly calendars = new Map<string, BusinessCalendar>();

  constructor(
    private readonly db: Db,
    jurisdictionsDir?: string,
  ) {
    this.jurisdictions = loadJurisdictions(jurisdictionsDir);
  }

  /** A jurisdiction by code. @throws EngineError `not-found` listing the known codes. */
  jurisdiction(code: string): Jurisdiction {
    const j = this.jurisdictions.get(code);
    if (!j) throw new EngineError('not-found', `No jurisdiction ${code}. Known: ${[...this.jurisdictions.keys()].join(', ')}.`);
    return j;
  }

  /** The business calendar of a jurisdiction, with its closure days. */
  calendar(code: string): BusinessCalendar {
    let cal = this.calendars.get(code);
    if (!cal) {
      const closures = this.db.prepare('SELECT date, reason FROM closure_days WHERE jurisdiction = ?').all(code) as { date: string; reason: string }[];
      cal = new BusinessCalendar(this.jurisdiction(code), new Map(closures.map((c) => [c.date, c.reason])));
      this.calendars.set(code, cal);
    }
    return cal;
  }

  /** Forgets calendars, so changed closure days take effect. */
  invalidate(): void {
    this.calendars.clear();
  }

  /** A stored request. @throws EngineError `not-found`. */
  request(id: string): RequestRecord {
    const r = this.db.prepare('SELECT id, jurisdiction, received, title, escalation, supervisor FROM requests WHERE id = ?').get(id) as
      RequestRecord | undefined;
    if (!r) throw new EngineError('not-found', `No request ${id}. Add it with \`custodian request add\`.`);
    return r;
  }

  /** A request's clock events in the order they were recorded. */
  events(requestId: string): ClockEvent[] {
    const rows = this.db.prepare('SELECT type, detail FROM request_events WHERE request_id = ? ORDER BY id').all(requestId) as {
      type: ClockEvent['type'];
      detail: string;
    }[];
    return rows.map((r) => ({ type: r.type, ...(JSON.parse(r.detail) as object) }) as ClockEvent);
  }

  /** Where a request's clock stands on `asOf`. */
  figures(request: RequestRecord, asOf: CivilDate): DeadlineFigures {
    return computeDeadline(request.received, this.events(request.id), this.calendar(request.jurisdiction), asOf);
  }

  /**
   * Queue urgency (see the job queue): a request's due date, a closed request's work last, and work of no
   * request as if due {@link NO_REQUEST_AGING_DAYS} days after it was queued, so it is never starved.
   */
  urgency(today: CivilDate): (requestId: string | null, oldestQueuedAt: string) => string {
    const keys = new Map<string, string>();
    return (requestId, oldestQueuedAt) => {
      if (requestId === null) return addDays(localDateOf(new Date(oldestQueuedAt)), NO_REQUEST_AGING_DAYS);
      let key = keys.get(requestId);
      if (key === undefined) {
        try {
          const f = this.figures(this.request(requestId), today);
          key = f.status === 'closed' ? '9999-12-31' : f.dueDate;
        } catch {
          key = '9999-12-31'; // a request whose jurisdiction file is gone: still processed, last
        }
        keys.set(requestId, key);
      }
      return key;
    };
  }
}

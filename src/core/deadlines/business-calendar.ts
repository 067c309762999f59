import { createRequire } from 'node:module';
import type Holidays from 'date-holidays-parser';
import { addDays, isWeekend, type CivilDate } from './civil-date.js';
import type { Jurisdiction } from './jurisdictions.js';

// Loaded on first use: the rule engine (with moment-timezone) adds ~100 ms to every command's start otherwise.
let HolidaysClass: typeof Holidays | null = null;
function holidaysEngine(): typeof Holidays {
  HolidaysClass ??= (createRequire(import.meta.url)('date-holidays-parser') as { default: typeof Holidays }).default;
  return HolidaysClass;
}

/** A holiday on a date, by name (the observed date when a weekend shifts it). */
export type HolidayOn = { date: CivilDate; name: string };

/**
 * Business days of one jurisdiction: not Saturday or Sunday, not a holiday of its calendar (computed from
 * its rules for any year by date-holidays-parser, observance shifts included), and not a closure day the
 * agency declared.
 */
export class BusinessCalendar {
  private readonly engine: Holidays;
  private readonly byYear = new Map<number, Map<CivilDate, string>>();

  constructor(
    readonly jurisdiction: Jurisdiction,
    private readonly closures: ReadonlyMap<CivilDate, string> = new Map(),
  ) {
    const days: Record<string, { name: string; type: 'public'; active?: { from?: string; to?: string }[] }> = {};
    for (const h of jurisdiction.holidays.days) {
      const active = h.since || h.until ? [{ from: h.since ? `${h.since}-01-01` : undefined, to: h.until ? `${h.until + 1}-01-01` : undefined }] : undefined;
      days[h.rule] = { name: h.name, type: 'public', ...(active ? { active } : {}) };
    }
    this.engine = new (holidaysEngine())({ holidays: { XX: { names: { en: jurisdiction.name }, days } } }, 'XX', { timezone: 'UTC', types: ['public'] });
  }

  /** Holidays observed in a calendar year (an observed date can fall in the year before its holiday's). */
  holidays(year: number): Map<CivilDate, string> {
    let map = this.byYear.get(year);
    if (!map) {
      map = new Map();
      for (const y of [year - 1, year, year + 1])
        for (const h of this.engine.getHolidays(y)) {
          const date = h.date.slice(0, 10);
          if (date.startsWith(`${year}-`) && !map.has(date)) map.set(date, h.name);
        }
      this.byYear.set(year, map);
    }
    return map;
  }

  /** Why a date is not a business day (`Saturday`, a holiday's name, a closure's reason), or null if it is one. */
  closedBecause(date: CivilDate): string | null {
    if (isWeekend(date)) return new Date(`${date}T00:00:00Z`).getUTCDay() === 0 ? 'Sunday' : 'Saturday';
    return this.holidays(Number(date.slice(0, 4))).get(date) ?? this.closures.get(date) ?? null;
  }

  isBusinessDay(date: CivilDate): boolean {
    return this.closedBecause(date) === null;
  }

  /** The first business day on or after `date`. */
  onOrAfter(date: CivilDate): CivilDate {
    let d = date;
    while (!this.isBusinessDay(d)) d = addDays(d, 1);
    return d;
  }
}

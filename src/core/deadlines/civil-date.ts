/**
 * Civil dates (`YYYY-MM-DD`, no time, no zone) as statutes count them. Arithmetic runs on day numbers since
 * 1970-01-01 through Date.UTC, which has no daylight-saving gaps, so adding a day is always one day.
 */
export type CivilDate = string;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/u;

/** Day number (days since 1970-01-01) of a civil date. @throws for a malformed or impossible date. */
export function dayNumber(date: CivilDate): number {
  const m = ISO_DATE.exec(date);
  if (!m) throw new RangeError(`not a date (YYYY-MM-DD): ${date}`);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) throw new RangeError(`no such date: ${date}`);
  return ms / 86_400_000;
}

/** The civil date of a day number. */
export function fromDayNumber(n: number): CivilDate {
  return new Date(n * 86_400_000).toISOString().slice(0, 10);
}

/** `date` plus `days` calendar days (negative to go back). */
export function addDays(date: CivilDate, days: number): CivilDate {
  return fromDayNumber(dayNumber(date) + days);
}

/** Calendar days from `a` to `b` (positive when `b` is later). */
export function daysBetween(a: CivilDate, b: CivilDate): number {
  return dayNumber(b) - dayNumber(a);
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(date: CivilDate): number {
  return new Date(dayNumber(date) * 86_400_000).getUTCDay();
}

/** Whether a date falls on Saturday or Sunday. */
export function isWeekend(date: CivilDate): boolean {
  const w = weekday(date);
  return w === 0 || w === 6;
}

/**
 * The civil date of an instant in a time zone (default: this machine's). A request logged at 23:30 local
 * time belongs to that local day, whatever the UTC date is.
 */
export function localDateOf(instant: Date, timeZone?: string): CivilDate {
  // en-CA formats as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(instant);
}

/**
 * Parses what an operator types: `YYYY-MM-DD`, or a local date-time `YYYY-MM-DDTHH:MM[:SS]` (its local date
 * counts), or an ISO instant with an offset or `Z` (converted to the local date in `timeZone`).
 * @throws RangeError with a message for the operator.
 */
export function parseCivilDate(text: string, timeZone?: string): CivilDate {
  const trimmed = text.trim();
  if (ISO_DATE.test(trimmed)) {
    dayNumber(trimmed);
    return trimmed;
  }
  const local = /^(\d{4}-\d{2}-\d{2})[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/u.exec(trimmed);
  if (local) {
    dayNumber(local[1]!);
    return local[1]!;
  }
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/u.test(trimmed)) {
    const instant = new Date(trimmed);
    if (!Number.isNaN(instant.getTime())) return localDateOf(instant, timeZone);
  }
  throw new RangeError(`"${text}" is not a date; write it as YYYY-MM-DD`);
}

// The package ships types, but its `exports` map does not point at them; this declares the part we use.
declare module 'date-holidays-parser' {
  /** A holiday as the rule engine reports it; `date` is `YYYY-MM-DD HH:MM:SS` in the calendar's time zone. */
  export type HolidayEntry = { date: string; name: string; type: string };
  export default class Holidays {
    constructor(data: object, country: string, opts?: { timezone?: string; types?: string[] });
    getHolidays(year: number): HolidayEntry[];
  }
}

import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { packageRoot } from '../package-paths.js';
import { EngineError } from '../errors.js';

const Holiday = z.object({
  name: z.string().min(1),
  /** A date-holidays rule: `01-01 and if saturday then previous friday`, `3rd monday in January`, `monday before 06-01`. */
  rule: z.string().min(1),
  /** First and last year the holiday exists (by statute). */
  since: z.number().int().optional(),
  until: z.number().int().optional(),
});

const Jurisdiction = z.object({
  code: z.string().regex(/^[a-z][a-z0-9-]*$/u),
  name: z.string().min(1),
  citation: z.string().min(1),
  period: z.object({ days: z.number().int().positive(), kind: z.enum(['business', 'calendar']), citation: z.string().min(1) }),
  /**
   * Which day is day 1: `next-business-day` (the first business day after receipt), `receipt` (the day of
   * receipt when it is a business day, else the next one), `next-day` (the calendar day after receipt).
   */
  dayZero: z.object({ rule: z.enum(['next-business-day', 'receipt', 'next-day']), citation: z.string().min(1) }),
  /** For calendar-day periods: whether a last day on a weekend or holiday moves to the next business day. */
  lastDayRoll: z.enum(['none', 'next-business-day']),
  lastDayRollCitation: z.string().optional(),
  extension: z.object({ maxDays: z.number().int().min(0), citation: z.string().min(1) }),
  tolling: z.array(z.object({ reason: z.string().regex(/^[a-z][a-z-]*$/u), limit: z.number().int().positive().nullable(), citation: z.string().min(1) })),
  holidays: z.object({ citation: z.string().min(1), days: z.array(Holiday) }),
  /**
   * The codes an officer withholds under, with their citations, and the code suggested for each kind of
   * finding (`default` for any kind not named).
   */
  exemptions: z.object({
    citation: z.string().min(1),
    codes: z.array(z.object({ code: z.string().min(1).max(40), title: z.string().min(1), citation: z.string().min(1) })).min(1),
    suggest: z.record(z.string(), z.string()).refine((m) => 'default' in m, 'needs a "default" suggestion'),
  }),
  /** A cap on the closure days an agency may declare in a year, where the statute sets one. */
  closures: z.object({ maxPerYear: z.number().int().positive(), citation: z.string().min(1) }).optional(),
});

/** A jurisdiction's deadline rules, as its data file under resources/jurisdictions states them. */
export type Jurisdiction = z.infer<typeof Jurisdiction>;

/** The folder of jurisdiction files shipped with the app. */
export function defaultJurisdictionsDir(): string {
  return path.join(packageRoot(), 'resources', 'jurisdictions');
}

/**
 * Reads and validates every `<code>.json` in `dir`.
 * @throws EngineError `invalid-jurisdiction` naming the file and the field that is wrong.
 */
export function loadJurisdictions(dir = defaultJurisdictionsDir()): Map<string, Jurisdiction> {
  const out = new Map<string, Jurisdiction>();
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    const parsed = Jurisdiction.safeParse(JSON.parse(readFileSync(path.join(dir, file), 'utf8')));
    if (!parsed.success) {
      throw new EngineError('invalid-jurisdiction', `${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    }
    if (`${parsed.data.code}.json` !== file) throw new EngineError('invalid-jurisdiction', `${file}: its code is ${parsed.data.code}`);
    const codes = new Set(parsed.data.exemptions.codes.map((c) => c.code));
    for (const [kind, code] of Object.entries(parsed.data.exemptions.suggest))
      if (!codes.has(code)) throw new EngineError('invalid-jurisdiction', `${file}: exemptions.suggest.${kind}: ${code} is not one of its codes`);
    out.set(parsed.data.code, parsed.data);
  }
  return out;
}

import type { Db } from '../store/index.js';
import type { TextMatch } from './identifiers.js';

/** An agency-edited term: a word or phrase to flag, and the statute that withholds it when there is one. */
export type AgencyTerm = { term: string; statute?: string };

/** The agency's term list as the detector takes it (a term without a statute has no `statute`). */
export function agencyTerms(db: Db): AgencyTerm[] {
  const rows = db.prepare('SELECT term, statute FROM agency_terms ORDER BY term').all() as { term: string; statute: string | null }[];
  return rows.map((r) => (r.statute === null ? { term: r.term } : { term: r.term, statute: r.statute }));
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&');

/** Agency terms, case-insensitive, as whole words; whitespace inside a phrase may be any run of spaces or a line break. */
export function findTerms(text: string, terms: readonly AgencyTerm[]): TextMatch[] {
  const out: TextMatch[] = [];
  for (const t of terms) {
    const words = t.term.trim().split(/\s+/u).filter(Boolean).map(escape);
    if (words.length === 0) continue;
    const re = new RegExp(`(?<![\\p{L}\\p{N}])${words.join('\\s+')}(?![\\p{L}\\p{N}])`, 'giu');
    for (const m of text.matchAll(re)) {
      out.push({ type: 'term', start: m.index, end: m.index + m[0].length, confidence: 0.95, ...(t.statute ? { detail: t.statute } : {}) });
    }
  }
  return out;
}

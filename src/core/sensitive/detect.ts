import { createHmac } from 'node:crypto';
import { findEmails, findANumbers, findDatesOfBirth, findPassports, findPhones } from './contact-and-ids.js';
import { findAbaRouting, findPaymentCards, findSsns, type TextMatch } from './identifiers.js';
import type { Finding, FindingType, Lane } from '../../shared/types.js';
import { findClassificationMarkings, findControlMarkings } from './markings.js';
import { findTerms, type AgencyTerm } from './terms.js';

/** A word box as stored with a page: text, pixel box, confidence 0–100. */
export type WordBox = [text: string, x0: number, y0: number, x1: number, y1: number, confidence: number];

export type { Finding, Lane, AgencyTerm };

/** Lane order: a lane is only ever raised automatically. */
export const LANE_RANK: Record<Lane, number> = { public: 0, pii: 1, classified: 2 };

/** The lane a finding type calls for. */
export function laneFor(type: FindingType): Lane {
  return type === 'classification-marking' || type === 'control-marking' ? 'classified' : 'pii';
}

/** FOIA exemption suggested for a finding: (b)(1) classified, (b)(3) a term with a named statute, else (b)(6). */
export function suggestedExemption(match: TextMatch): string {
  if (match.type === 'classification-marking') return '(b)(1)';
  if (match.type === 'control-marking') return '(b)(3) or (b)(7) per the control marking';
  if (match.type === 'term' && match.detail) return `(b)(3) ${match.detail}`;
  return '(b)(6)';
}

/** Higher wins when two detectors claim overlapping text (a card number is not also a phone number). */
const PRIORITY: Record<FindingType, number> = {
  'classification-marking': 10,
  'control-marking': 9,
  'payment-card': 8,
  ssn: 7,
  'aba-routing': 6,
  passport: 5,
  'a-number': 5,
  'date-of-birth': 4,
  email: 4,
  phone: 3,
  term: 2,
};

/** Every detector over one page's text; overlapping matches resolved by priority. */
export function detectInText(text: string, terms: readonly AgencyTerm[] = []): TextMatch[] {
  const all = [
    ...findClassificationMarkings(text),
    ...findControlMarkings(text),
    ...findPaymentCards(text),
    ...findSsns(text),
    ...findAbaRouting(text),
    ...findPassports(text),
    ...findANumbers(text),
    ...findDatesOfBirth(text),
    ...findEmails(text),
    ...findPhones(text),
    ...findTerms(text, terms),
  ].sort((a, b) => PRIORITY[b.type] - PRIORITY[a.type] || a.start - b.start);
  const kept: TextMatch[] = [];
  for (const m of all) {
    // Terms may overlap anything: an agency list is a separate instruction.
    if (m.type !== 'term' && kept.some((k) => k.type !== 'term' && m.start < k.end && k.start < m.end)) continue;
    kept.push(m);
  }
  return kept.sort((a, b) => a.start - b.start);
}

/** Where each word box's text sits in the page text (words are in reading order). */
function wordOffsets(text: string, words: readonly WordBox[]): { start: number; end: number; word: WordBox }[] {
  const out: { start: number; end: number; word: WordBox }[] = [];
  let cursor = 0;
  for (const w of words) {
    const at = text.indexOf(w[0], cursor);
    if (at < 0) continue;
    out.push({ start: at, end: at + w[0].length, word: w });
    cursor = at + w[0].length;
  }
  return out;
}

/**
 * Findings of one page: detector matches located on the page image through its word boxes (the union of
 * the boxes of the words the match covers), with the OCR confidence of those words folded in.
 */
export function findingsOfPage(page: { pageNo: number; text: string; words: readonly WordBox[] }, key: string, terms: readonly AgencyTerm[] = []): Finding[] {
  const located = wordOffsets(page.text, page.words);
  return detectInText(page.text, terms).map((m) => {
    const covered = located.filter((w) => w.start < m.end && m.start < w.end).map((w) => w.word);
    const bbox: Finding['bbox'] = covered.length
      ? [
          Math.min(...covered.map((w) => w[1])),
          Math.min(...covered.map((w) => w[2])),
          Math.max(...covered.map((w) => w[3])),
          Math.max(...covered.map((w) => w[4])),
        ]
      : null;
    const ocr = covered.length ? Math.min(...covered.map((w) => w[5])) / 100 : 1;
    const normalised = page.text.slice(m.start, m.end).replace(/\s+/gu, ' ').trim().toUpperCase();
    return {
      type: m.type,
      page: page.pageNo,
      bbox,
      confidence: Math.round(m.confidence * Math.max(0.5, ocr) * 100) / 100,
      textHash: createHmac('sha256', key).update(normalised).digest('hex'),
      suggestedExemption: suggestedExemption(m),
    };
  });
}

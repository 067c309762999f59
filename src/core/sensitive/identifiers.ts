import type { FindingType } from '../../shared/types.js';
import { abaValid, luhnValid } from './checksums.js';
import { DIGITISH, readDigits } from './ocr-digits.js';

export type { FindingType };

/** A match in a page's text: character span, type, and how sure the detector is (0–1). */
export type TextMatch = { type: FindingType; start: number; end: number; confidence: number; detail?: string };

// Digit-like runs bounded so a longer number is not read as an identifier inside it.
const D = `[${DIGITISH}]`;
const bounded = (core: string): RegExp => new RegExp(`(?<![${DIGITISH}\\w])${core}(?![${DIGITISH}\\w])`, 'gu');

/** Well-known sample and advertising SSNs that were never issued to a person. */
const SAMPLE_SSNS = new Set(['078051120', '219099999', '123456789', '111111111', '333333333', '666666666', '999999999']);

/**
 * US Social Security numbers `AAA-GG-SSSS` (dashes, spaces or none): area 000, 666 and 900–999 are never
 * issued, nor group 00 or serial 0000, nor the well-known sample numbers. Undashed nine-digit runs count only
 * near an SSN context word, since bare nine-digit numbers are common.
 */
export function findSsns(text: string): TextMatch[] {
  const out: TextMatch[] = [];
  const re = bounded(`(${D}{3})([- ]?)(${D}{2})\\2(${D}{4})`);
  for (const m of text.matchAll(re)) {
    const { digits, mapped } = readDigits(m[0]);
    if (digits.length !== 9) continue;
    const area = Number(digits.slice(0, 3));
    if (area === 0 || area === 666 || area >= 900 || digits.slice(3, 5) === '00' || digits.slice(5) === '0000' || SAMPLE_SSNS.has(digits)) continue;
    const separated = m[2] !== '';
    const context = /\b(ssn|social\s+security|ss#|soc\.?\s*sec)/iu.test(text.slice(Math.max(0, m.index - 40), m.index));
    if (!separated && !context) continue;
    // No checksum can confirm an OCR-mapped SSN: keep it, but with less confidence.
    out.push({ type: 'ssn', start: m.index, end: m.index + m[0].length, confidence: (separated ? 0.9 : 0.8) * (mapped ? 0.8 : 1) + (context ? 0.1 : 0) });
  }
  return out;
}

/** Issuer prefixes and the lengths they issue (IIN ranges of the major networks). */
const ISSUERS: { name: string; prefix: RegExp; lengths: number[] }[] = [
  { name: 'visa', prefix: /^4/u, lengths: [13, 16, 19] },
  { name: 'mastercard', prefix: /^(5[1-5]|2(2[2-9][1-9]|2[3-9]\d|[3-6]\d\d|7[01]\d|720))/u, lengths: [16] },
  { name: 'amex', prefix: /^3[47]/u, lengths: [15] },
  { name: 'discover', prefix: /^(6011|65|64[4-9]|622(12[6-9]|1[3-9]\d|[2-8]\d\d|9[01]\d|92[0-5]))/u, lengths: [16, 19] },
  { name: 'diners', prefix: /^3(0[0-5]|[689])/u, lengths: [14, 16, 19] },
  { name: 'jcb', prefix: /^35(2[89]|[3-8]\d)/u, lengths: [16, 17, 18, 19] },
  { name: 'unionpay', prefix: /^62/u, lengths: [16, 17, 18, 19] },
];

/** Payment card numbers: 13–19 digits in groups, an issuer prefix that issues that length, and a valid Luhn check. */
export function findPaymentCards(text: string): TextMatch[] {
  const out: TextMatch[] = [];
  const re = bounded(`${D}(?:[ -]?${D}){12,18}`);
  for (const m of text.matchAll(re)) {
    const { digits, mapped } = readDigits(m[0]);
    const issuer = ISSUERS.find((i) => i.prefix.test(digits) && i.lengths.includes(digits.length));
    if (!issuer || !luhnValid(digits)) continue;
    out.push({ type: 'payment-card', start: m.index, end: m.index + m[0].length, confidence: mapped ? 0.85 : 0.97, detail: issuer.name });
  }
  return out;
}

/** ABA routing numbers: nine digits passing the 3-7-1 checksum, with a leading Federal Reserve prefix, near a banking word. */
export function findAbaRouting(text: string): TextMatch[] {
  const out: TextMatch[] = [];
  for (const m of text.matchAll(bounded(`${D}{9}`))) {
    const { digits, mapped } = readDigits(m[0]);
    const prefix = Number(digits.slice(0, 2));
    const validPrefix = prefix <= 12 || (prefix >= 21 && prefix <= 32) || (prefix >= 61 && prefix <= 72) || prefix === 80;
    if (!validPrefix || !abaValid(digits)) continue;
    const context = /\b(routing|aba|rtn|transit|bank|account|ach|wire)\b/iu.test(text.slice(Math.max(0, m.index - 60), m.index + m[0].length + 30));
    if (!context) continue;
    out.push({ type: 'aba-routing', start: m.index, end: m.index + m[0].length, confidence: mapped ? 0.8 : 0.95 });
  }
  return out;
}

import { findPhoneNumbersInText } from 'libphonenumber-js/max';
import type { TextMatch } from './identifiers.js';
import { readDigits } from './ocr-digits.js';

/** US (NANP) phone numbers, validated against the numbering plan by libphonenumber (area code, exchange, length). */
export function findPhones(text: string): TextMatch[] {
  return findPhoneNumbersInText(text, { defaultCountry: 'US' })
    .filter((p) => p.number.countryCallingCode === '1' && p.number.isValid())
    .map((p) => ({ type: 'phone' as const, start: p.startsAt, end: p.endsAt, confidence: 0.9 }));
}

/** E-mail addresses (a practical subset of RFC 5322 addresses, with a dotted domain and a letter TLD). */
export function findEmails(text: string): TextMatch[] {
  // OCR sometimes sets a space beside the @: tolerated, one on each side at most.
  const re = /(?<![\w.+-])[A-Za-z0-9](?:[A-Za-z0-9._%+-]{0,62}[A-Za-z0-9])? ?@ ?(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}(?![\w-])/gu;
  return [...text.matchAll(re)]
    .filter((m) => {
      // A spaced @ is taken only when the local part looks like an address's (a word before " @host" is not).
      const [local] = m[0].split(/ ?@/u);
      return !/ @|@ /u.test(m[0]) || /[._%+\d-]/u.test(local!);
    })
    .map((m) => ({ type: 'email' as const, start: m.index, end: m.index + m[0].length, confidence: /\s/u.test(m[0]) ? 0.85 : 0.97 }));
}

const MONTHS = 'jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?';
const DATE = `(?:\\d{1,2}[/.-]\\d{1,2}[/.-](?:\\d{4}|\\d{2})|\\d{4}-\\d{2}-\\d{2}|(?:${MONTHS})\\.?\\s+\\d{1,2},?\\s+\\d{4}|\\d{1,2}\\s+(?:${MONTHS})\\.?\\s+\\d{4})`;

/** Dates of birth: a date within a few words after "DOB", "born", "date of birth" or "birth date". */
export function findDatesOfBirth(text: string): TextMatch[] {
  const re = new RegExp(`\\b(?:d\\.?o\\.?b\\.?|born(?:\\s+on)?|date\\s+of\\s+birth|birth\\s*date)\\b[\\s:;,-]{0,6}(?:[A-Za-z]+\\s+){0,2}?(${DATE})`, 'giu');
  const out: TextMatch[] = [];
  for (const m of text.matchAll(re)) {
    const start = m.index + m[0].lastIndexOf(m[1]!);
    out.push({ type: 'date-of-birth', start, end: start + m[1]!.length, confidence: 0.9 });
  }
  return out;
}

/** US passport numbers (9 digits, or a letter and 8 digits) after a passport context word. */
export function findPassports(text: string): TextMatch[] {
  const re = /\bpassport(?:\s+(?:no\.?|number|#))?[\s:#.-]{0,4}([A-Z]?\d{8,9})\b/giu;
  const out: TextMatch[] = [];
  for (const m of text.matchAll(re)) {
    const id = m[1]!;
    if (!/^(\d{9}|[A-Z]\d{8})$/u.test(id)) continue;
    const start = m.index + m[0].lastIndexOf(id);
    out.push({ type: 'passport', start, end: start + id.length, confidence: 0.9 });
  }
  return out;
}

/** Alien registration numbers: `A` and 8 or 9 digits (A-number, USCIS #), with the A or a context word. */
export function findANumbers(text: string): TextMatch[] {
  const re = /\b(?:A|alien\s+(?:registration\s+)?(?:no\.?|number|#)|uscis\s*#?)[\s#:-]{0,3}(\d{3}[\s-]?\d{3}[\s-]?\d{2,3})\b/giu;
  const out: TextMatch[] = [];
  for (const m of text.matchAll(re)) {
    const { digits } = readDigits(m[1]!);
    if (digits.length !== 8 && digits.length !== 9) continue;
    // A bare "A" prefix needs it joined (A123456789, A-123-456-789); a context word may stand apart.
    if (/^A[\s]/u.test(m[0]) && !/alien|uscis/iu.test(m[0])) continue;
    out.push({ type: 'a-number', start: m.index, end: m.index + m[0].length, confidence: 0.85 });
  }
  return out;
}

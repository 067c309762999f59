/** Letters OCR commonly reads in place of digits (O/0, l/1/I, S/5, B/8, Z/2). */
const CONFUSED: Record<string, string> = { O: '0', o: '0', D: '0', Q: '0', l: '1', I: '1', i: '1', '|': '1', S: '5', s: '5', B: '8', Z: '2', z: '2' };

/** Characters that may stand for a digit in OCR output. */
export const DIGITISH = '0-9OoDQlIi|SsBZz';

/**
 * Reads a run of OCR characters as digits, mapping the common confusions.
 * @returns the digits, and how many characters had to be mapped (0 when the text was clean).
 */
export function readDigits(text: string): { digits: string; mapped: number } {
  let digits = '';
  let mapped = 0;
  for (const ch of text) {
    if (ch >= '0' && ch <= '9') digits += ch;
    else if (CONFUSED[ch]) {
      digits += CONFUSED[ch];
      mapped++;
    }
  }
  return { digits, mapped };
}

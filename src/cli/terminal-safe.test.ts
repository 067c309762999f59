import { describe, expect, it } from 'vitest';
import { terminalSafe, terminalSafeText } from './terminal-safe.js';

describe('terminalSafe', () => {
  it.each([
    ['clear screen', 'a\u001b[2Jb', 'a\\u001b[2Jb'],
    ['OSC window title', '\u001b]0;owned\u0007x.pdf', '\\u001b]0;owned\\u0007x.pdf'],
    ['carriage return', 'real.pdf\rfake.pdf', 'real.pdf\\u000dfake.pdf'],
    ['newline in a name', 'a\nb', 'a\\u000ab'],
    ['8-bit CSI', 'a\u009b2Jb', 'a\\u009b2Jb'],
    ['right-to-left override', 'invoice\u202efdp.exe', 'invoice\\u202efdp.exe'],
    ['isolates', 'a\u2066b\u2069', 'a\\u2066b\\u2069'],
    ['plain text and accents untouched', 'Français — déjà vu.pdf', 'Français — déjà vu.pdf'],
  ])('%s', (_name, input, expected) => {
    expect(terminalSafe(input)).toBe(expected);
  });

  it('keeps line breaks and tabs of multi-line text, escaping the rest', () => {
    expect(terminalSafeText('line one\tcol\nline\u001b[31m two\r')).toBe('line one\tcol\nline\\u001b[31m two\\u000d');
  });
});

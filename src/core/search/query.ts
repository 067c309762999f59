import { EngineError } from '../errors.js';

type Token =
  | { kind: 'term'; fts: string; at: number }
  | { kind: 'op'; op: 'AND' | 'OR' | 'NOT'; at: number }
  | { kind: 'open'; at: number }
  | { kind: 'close'; at: number };

const invalid = (message: string): EngineError => new EngineError('invalid-query', `${message}. Search syntax: words, "a phrase", prefix*, AND, OR, NOT, ( ).`);

/** FTS5 string literal: the text between double quotes, a quote inside doubled. */
const quoted = (text: string): string => `"${text.replaceAll('"', '""')}"`;

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i]!;
    if (/\s/u.test(c)) {
      i++;
    } else if (c === '(' || c === ')') {
      tokens.push(c === '(' ? { kind: 'open', at: i } : { kind: 'close', at: i });
      i++;
    } else if (c === '"') {
      const end = input.indexOf('"', i + 1);
      if (end < 0) throw invalid(`The quote at character ${i + 1} is not closed`);
      const phrase = input.slice(i + 1, end);
      if (!/[\p{L}\p{N}]/u.test(phrase)) throw invalid(`The quotes at character ${i + 1} hold no word`);
      const prefix = input[end + 1] === '*';
      tokens.push({ kind: 'term', fts: quoted(phrase) + (prefix ? '*' : ''), at: i });
      i = end + (prefix ? 2 : 1);
    } else {
      let j = i;
      while (j < input.length && !/[\s()"]/u.test(input[j]!)) j++;
      const word = input.slice(i, j);
      if (word === 'AND' || word === 'OR' || word === 'NOT') tokens.push({ kind: 'op', op: word, at: i });
      else {
        const prefix = word.endsWith('*');
        const body = prefix ? word.replace(/\*+$/u, '') : word;
        if (!/[\p{L}\p{N}]/u.test(body)) throw invalid(`"${word}" at character ${i + 1} is not a word`);
        tokens.push({ kind: 'term', fts: quoted(body) + (prefix ? '*' : ''), at: i });
      }
      i = j;
    }
  }
  return tokens;
}

/**
 * What an officer types, as Custodian reads it (the README's search syntax):
 * - `word` matches the word in any case and with or without diacritics (`francais` finds `Français`);
 * - `"a phrase"` matches those words in that order; `word*` (or `"a phr"*`) matches words starting so;
 * - terms side by side must all match (`AND` is implied); `OR` and `NOT` (upper case) combine them, and
 *   parentheses group: `budget AND (memo OR letter) NOT draft`.
 * Everything else a word holds (hyphens, dots, apostrophes, `:`) is part of the word, never an operator,
 * so `123-45-6789` or `o'brien` are searched as typed.
 *
 * Turns that query into an FTS5 MATCH expression that FTS5 cannot misread: every word and phrase
 * becomes a quoted string, operators and parentheses are checked here, so a bad query is a sentence
 * naming where it went wrong, never an SQLite message.
 * @throws EngineError `invalid-query`.
 */
export function toFtsQuery(input: string): string {
  const tokens = tokenize(input);
  if (!tokens.some((t) => t.kind === 'term')) throw invalid('The query has no word to search for');
  const out: string[] = [];
  let depth = 0;
  // What the previous token allows next: an operand (start, after an operator or '(') or an operator.
  let wantOperand = true;
  for (const t of tokens) {
    if (t.kind === 'term' || t.kind === 'open') {
      if (!wantOperand) out.push('AND');
      if (t.kind === 'open') depth++;
      out.push(t.kind === 'term' ? t.fts : '(');
      wantOperand = t.kind === 'open';
    } else if (t.kind === 'close') {
      if (depth === 0) throw invalid(`The ")" at character ${t.at + 1} closes nothing`);
      if (wantOperand) throw invalid(`The ")" at character ${t.at + 1} follows no word`);
      depth--;
      out.push(')');
    } else {
      if (wantOperand) throw invalid(`${t.op} at character ${t.at + 1} needs a word before it`);
      out.push(t.op);
      wantOperand = true;
    }
  }
  if (wantOperand) {
    const last = tokens.at(-1)!;
    throw invalid(last.kind === 'op' ? `${last.op} at character ${last.at + 1} needs a word after it` : 'The query ends inside parentheses');
  }
  if (depth > 0) throw invalid('A "(" is not closed');
  return out.join(' ');
}

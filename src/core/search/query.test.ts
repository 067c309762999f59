import { describe, expect, it } from 'vitest';
import { toFtsQuery } from './query.js';

describe('toFtsQuery', () => {
  it.each([
    ['budget', '"budget"'],
    ['Budget memo', '"Budget" AND "memo"'],
    ['"annual budget"', '"annual budget"'],
    ['budg*', '"budg"*'],
    ['"annual bud"*', '"annual bud"*'],
    ['budget OR memo', '"budget" OR "memo"'],
    ['budget NOT draft', '"budget" NOT "draft"'],
    ['budget AND (memo OR letter) NOT draft', '"budget" AND ( "memo" OR "letter" ) NOT "draft"'],
    ['(memo OR letter) budget', '( "memo" OR "letter" ) AND "budget"'],
    // Punctuation is part of the word, never FTS5 syntax.
    ['123-45-6789', '"123-45-6789"'],
    ["o'brien", '"o\'brien"'],
    ['text:secret', '"text:secret"'],
    ['NEAR(a b)', '"NEAR" AND ( "a" AND "b" )'],
    // Lower-case operators are words.
    ['budget or memo', '"budget" AND "or" AND "memo"'],
    ['  français  ', '"français"'],
  ])('%s → %s', (input, fts) => {
    expect(toFtsQuery(input)).toBe(fts);
  });

  it.each([
    ['"annual budget', /quote at character 1 is not closed/],
    ['budget "', /quote at character 8 is not closed/],
    ['OR memo', /OR at character 1 needs a word before it/],
    ['budget AND', /AND at character 8 needs a word after it/],
    ['budget NOT NOT memo', /NOT at character 12 needs a word before it/],
    ['(budget', /"\(" is not closed/],
    ['budget)', /"\)" at character 7 closes nothing/],
    ['(budget OR)', /"\)" at character 11 follows no word/],
    ['()', /no word to search for/],
    ['', /no word to search for/],
    ['***', /"\*\*\*" at character 1 is not a word/],
    ['""', /quotes at character 1 hold no word/],
    ['budget (', /ends inside parentheses/],
  ])('refuses %j with a sentence', (input, message) => {
    expect(() => toFtsQuery(input)).toThrow(message);
    expect(() => toFtsQuery(input)).toThrow(/Search syntax:/);
  });
});

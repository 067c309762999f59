import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { corpus } from '../../../test/helpers/fixtures.js';
import { detectInText, findingsOfPage, laneFor, type WordBox } from './detect.js';

const types = (text: string): [string, string][] => detectInText(text).map((m) => [m.type, text.slice(m.start, m.end)]);

describe('personal identifiers, validated', () => {
  it.each([
    ['SSN 536-22-1234 on file', [['ssn', '536-22-1234']]],
    ['ssn 536 22 1234', [['ssn', '536 22 1234']]],
    ['SSN: 536221234', [['ssn', '536221234']]],
    ['invoice 536221234 paid', []], // nine bare digits without context
    ['000-12-3456 666-12-3456 912-34-5678 536-00-1234 536-22-0000', []], // never-issued areas, group 00, serial 0000
    ['the sample card showed 078-05-1120', []], // the Woolworth wallet number
    ['SSN S36-22-l234', [['ssn', 'S36-22-l234']]], // OCR read 5 as S and 1 as l
  ])('SSN: %s', (text, expected) => {
    expect(types(text).filter(([t]) => t === 'ssn')).toEqual(expected);
  });

  it.each([
    ['card 4111 1111 1111 1111 exp 09/28', [['payment-card', '4111 1111 1111 1111']]],
    ['Amex 3782 822463 10005', [['payment-card', '3782 822463 10005']]],
    ['MC 5555-5555-5555-4444', [['payment-card', '5555-5555-5555-4444']]],
    ['card 4111 1111 1111 1112', []], // Luhn fails
    ['ref 9111 1111 1111 1116', []], // no issuer starts with 9
    ['4111 1111 1111 111', []], // 15 digits: Visa does not issue that length
    ['card 4lll 1111 1111 1111', [['payment-card', '4lll 1111 1111 1111']]], // OCR confusions, confirmed by Luhn
  ])('payment card: %s', (text, expected) => {
    expect(types(text).filter(([t]) => t === 'payment-card')).toEqual(expected);
  });

  it.each([
    ['routing number 021000021, account 12345', [['aba-routing', '021000021']]],
    ['routing 021000022', []], // checksum fails
    ['order 021000021 shipped', []], // no banking context
  ])('ABA routing: %s', (text, expected) => {
    expect(types(text).filter(([t]) => t === 'aba-routing')).toEqual(expected);
  });

  it.each([
    ['call (202) 555-0143 today', [['phone', '(202) 555-0143']]],
    ['fax 212.456.7890', [['phone', '212.456.7890']]],
    ['ref 123-456-7890', []], // area code 123 does not exist
    [
      'write to jane.doe@agency.gov or j_smith+foia@mail.example.org',
      [
        ['email', 'jane.doe@agency.gov'],
        ['email', 'j_smith+foia@mail.example.org'],
      ],
    ],
    ['an @ sign alone, user@ or @host.com', []],
    ['Write to foia.officer98 @mail.state.tx.us', [['email', 'foia.officer98 @mail.state.tx.us']]], // OCR's space before @
    ['DOB: 04/12/1961', [['date-of-birth', '04/12/1961']]],
    ['Date of birth: March 4, 1961', [['date-of-birth', 'March 4, 1961']]],
    ['She was born on 4 March 1961 in Ohio', [['date-of-birth', '4 March 1961']]],
    ['Meeting held 04/12/1961', []],
    ['Passport No. 123456789 issued', [['passport', '123456789']]],
    ['passport C12345678', [['passport', 'C12345678']]],
    ['A123456789 on the form', [['a-number', 'A123456789']]],
    ['Alien Registration Number 123-456-789', [['a-number', 'Alien Registration Number 123-456-789']]],
  ])('%s', (text, expected) => {
    expect(types(text).filter(([t]) => t !== 'term')).toEqual(expected);
  });
});

describe('classification and control markings', () => {
  it.each([
    ['SECRET//NOFORN\nThe plan', [['classification-marking', 'SECRET//NOFORN']]],
    ['TOP SECRET\nbody', [['classification-marking', 'TOP SECRET']]],
    ['header TOP SECRET//SI//REL TO USA, GBR footer', [['classification-marking', 'TOP SECRET//SI//REL TO USA, GBR']]],
    [
      '(S//NF) The source reported\n(TS) Second paragraph',
      [
        ['classification-marking', '(S//NF)'],
        ['classification-marking', '(TS)'],
      ],
    ],
    ['CONFIDENTIAL', [['classification-marking', 'CONFIDENTIAL']]],
    ['CUI//SP-PRVCY\nbody', [['control-marking', 'CUI//SP-PRVCY']]],
    ['UNCLASSIFIED//FOR OFFICIAL USE ONLY', [['control-marking', 'UNCLASSIFIED//FOR OFFICIAL USE ONLY']]],
    ['FOUO', [['control-marking', 'FOUO']]],
    ['LIMITED OFFICIAL USE', [['control-marking', 'LIMITED OFFICIAL USE']]],
    ['CUI', [['control-marking', 'CUI']]],
    // As OCR reads the // separator off a scan.
    ['(S/INF) The source reported', [['classification-marking', '(S/INF)']]],
    ['(S//INF) The source reported', [['classification-marking', '(S//INF)']]],
    ['CUI/ISP-PRVCY', [['control-marking', 'CUI/ISP-PRVCY']]],
    ['CUlI/ISP-PRVCY', [['control-marking', 'CUlI/ISP-PRVCY']]],
    ['CUIl//[SP-PRVCY', [['control-marking', 'CUIl//[SP-PRVCY']]],
  ])('%j is marked', (text, expected) => {
    expect(types(text)).toEqual(expected);
  });

  it.each([
    'UNCLASSIFIED',
    'The secret of success is preparation.',
    'He gave confidential advice to the board.',
    'This is a Secret Service matter.',
    'The circuit court (S. Ct.) held',
    'Confidential informants (C) were not named',
    'We discussed CUI policy with the circuit', // CUI inside prose, not a banner
  ])('%j is not a marking', (text) => {
    expect(types(text).filter(([t]) => t.endsWith('marking'))).toEqual([]);
  });

  it('finds no marking in the prose of the shared corpus', () => {
    for (const name of ['scans/linn.txt', 'scans/phototest.gold.txt', 'scans/eurotext.txt']) {
      expect(
        types(readFileSync(corpus(name), 'utf8')).filter(([t]) => t.endsWith('marking')),
        name,
      ).toEqual([]);
    }
  });
});

describe('findings', () => {
  it('locates a finding through the word boxes, hashes the text and suggests an exemption', () => {
    const text = 'Employee SSN 536-22-1234 on file';
    const words: WordBox[] = [
      ['Employee', 10, 10, 90, 30, 96],
      ['SSN', 100, 10, 140, 30, 95],
      ['536-22-1234', 150, 12, 260, 31, 88],
      ['on', 270, 10, 290, 30, 96],
      ['file', 300, 10, 340, 30, 97],
    ];
    const [f] = findingsOfPage({ pageNo: 2, text, words }, 'doc-salt');
    expect(f).toMatchObject({ type: 'ssn', page: 2, bbox: [150, 12, 260, 31], suggestedExemption: '(b)(6)' });
    expect(f!.confidence).toBeGreaterThan(0.8);
    expect(f!.textHash).toMatch(/^[0-9a-f]{64}$/u);
    expect(JSON.stringify(f)).not.toContain('536');
    expect(laneFor('ssn')).toBe('pii');
    expect(laneFor('control-marking')).toBe('classified');
  });

  it('flags agency terms and names their statute', () => {
    const [f] = findingsOfPage({ pageNo: 1, text: 'Budget for Project\nBluebird in FY27', words: [] }, 's', [
      { term: 'Project Bluebird', statute: '50 U.S.C. §3024(i)' },
    ]);
    expect(f).toMatchObject({ type: 'term', bbox: null, suggestedExemption: '(b)(3) 50 U.S.C. §3024(i)' });
  });
});

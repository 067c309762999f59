/**
 * The review model through the built CLI on a real encrypted data folder: findings as review items (one mark
 * twice on a line merged, confidence in percent, the jurisdiction's suggested code), every decision (redact,
 * release, a box drawn by hand, a page withheld) a ledger event with box, code, operator and reason and no
 * text, the document's state from unreviewed to reviewed and back, the request's counts, and the decisions
 * bound by `ledger verify` like every other fact.
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DeadlineRow } from '../src/core/index.js';
import type { DocumentReview, RequestSummary } from '../src/shared/types.js';
import { onlyJson, runCli } from './helpers/cli.js';
import { suiteTempDir, textPdf, write } from './helpers/fixtures.js';
import { openRawDatabase } from './helpers/raw-db.js';

const PHONE = '(202) 555-0143';
const SSN = '536-22-1234';
const CARD = '4111 1111 1111 1111';
const TEXTS = ['555-0143', '5550143', SSN, '536221234', '4111', 'Contact', 'Employee', 'Card on file'];

let dataDir: string;
const cli = (...args: string[]) => runCli(['--data-dir', dataDir, ...args]);
const review = (...args: string[]): DocumentReview => {
  const r = cli('--json', 'review', ...args);
  expect(r.code, r.stderr).toBe(0);
  return onlyJson<{ review: DocumentReview }>(r.stdout).review;
};
const idOf = (name: string): number =>
  onlyJson<{ documents: { id: number; path: string }[] }>(cli('--json', 'docs').stdout).documents.find((d) => path.basename(d.path) === name)!.id;
const ledger = (type: string): Record<string, unknown>[] => {
  const db = openRawDatabase(dataDir, { readonly: true });
  try {
    return (db.prepare('SELECT payload FROM ledger WHERE type = ? ORDER BY seq').all(type) as { payload: string }[]).map(
      (r) => JSON.parse(r.payload) as Record<string, unknown>,
    );
  } finally {
    db.close();
  }
};

describe('review (issue 15)', () => {
  let memo: number;
  let texas: number;
  beforeAll(async () => {
    dataDir = suiteTempDir('custodian-review-data-');
    const federal = suiteTempDir('custodian-review-in-');
    write(
      path.join(federal, 'memo.pdf'),
      await textPdf([`Contact ${PHONE} or ${PHONE} today\nEmployee SSN ${SSN}`, `Card on file ${CARD}`, 'Draft notes for the file']),
    );
    expect(cli('-q', 'ingest', federal).code).toBe(0);
    expect(cli('request', 'add', 'TX-7', '--jurisdiction', 'us-tx', '--received', '2026-11-30').code).toBe(0);
    const tx = suiteTempDir('custodian-review-tx-');
    write(path.join(tx, 'payroll.pdf'), await textPdf([`Payroll record, employee SSN ${SSN}, desk ${PHONE}`]));
    const r = cli('-q', 'ingest', '--request', 'TX-7', tx);
    expect(r.code, r.stderr).toBe(0);
    memo = idOf('memo.pdf');
    texas = idOf('payroll.pdf');
  }, 120_000);

  it('lists findings as items: one mark twice on a line merged, confidence in percent, the suggested code', () => {
    const r = review(String(memo));
    expect(r).toMatchObject({ state: 'unreviewed', jurisdictions: ['us-federal'], pages: 3, undecided: 3 });
    expect(r.items.map((i) => [i.type, i.pageNo, i.findingIds.length, i.boxes.length, i.suggestedCode])).toEqual([
      ['phone', 1, 2, 2, '(b)(6)'],
      ['ssn', 1, 1, 1, '(b)(6)'],
      ['payment-card', 2, 1, 1, '(b)(6)'],
    ]);
    for (const i of r.items) {
      expect(Number.isInteger(i.confidence)).toBe(true);
      expect(i.confidence).toBeGreaterThan(50);
      expect(i.confidence).toBeLessThanOrEqual(100);
    }
    // The two phone boxes are the two places on the line, left then right.
    const [a, b] = r.items[0]!.boxes;
    expect(a![2]).toBeLessThan(b![0]);
    expect(Math.abs(a![1] - b![1])).toBeLessThan(3);
    // Federal codes with their citations, (b)(7)(A)–(F) each its own.
    expect(r.codes.map((c) => c.code)).toEqual(expect.arrayContaining(['(b)(1)', '(b)(5)', '(b)(7)(A)', '(b)(7)(C)', '(b)(7)(F)', '(b)(9)']));
    expect(r.codes.find((c) => c.code === '(b)(6)')!.citation).toBe('5 U.S.C. §552(b)(6)');
    const human = cli('review', String(memo));
    expect(human.stdout).toMatch(/phone \(x2: \d+, \d+\)/);
    expect(human.stdout).toMatch(/\d+%/);
    expect(human.stdout).not.toContain('555-0143');
  });

  it('records each decision with its box, code, operator and reason, and walks the state to reviewed and back', () => {
    const [phone, ssn, card] = review(String(memo)).items;
    // Any id of a merged item names it; the code in any spelling is stored as the file spells it.
    let r = review(String(memo), 'redact', String(phone!.findingIds[1]), '--code', 'b7c');
    expect(r.state).toBe('in-review');
    expect(r.items[0]!.decision).toMatchObject({ action: 'redact', code: '(b)(7)(C)' });
    const decided = ledger('review.decided');
    expect(decided).toHaveLength(1);
    expect(decided[0]).toMatchObject({ documentId: memo, reason: null });
    expect((decided[0]!.decisions as unknown[]).map((d) => d)).toEqual(
      phone!.findingIds.map((id, k) => expect.objectContaining({ action: 'redact', findingId: id, pageNo: 1, box: phone!.boxes[k], code: '(b)(7)(C)' })),
    );
    expect(typeof decided[0]!.operator).toBe('string');

    // A release needs a reason; done is refused while a finding is undecided, naming it.
    let run = cli('review', String(memo), 'release', String(ssn!.id));
    expect([run.code, run.stderr]).toEqual([1, expect.stringMatching(/A reason is required/)]);
    r = review(String(memo), 'release', String(ssn!.id), '--reason', 'the employee asked for the record and consented');
    expect(r.items[1]!.decision).toMatchObject({ action: 'release', code: null, reason: 'the employee asked for the record and consented' });
    run = cli('review', String(memo), 'done');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(new RegExp(`1 finding\\(s\\) have no decision \\(${card!.id} payment-card p2\\)`));

    // A box drawn by hand in page-image pixels, and a page withheld in full.
    r = review(String(memo), 'box', '--page', '3', '--box', '290,260,1200,330', '--code', '(b)(5)', '--reason', 'a name detection missed');
    expect(r.boxes).toEqual([expect.objectContaining({ pageNo: 3, box: [290, 260, 1200, 330], code: '(b)(5)', reason: 'a name detection missed' })]);
    run = cli('review', String(memo), 'box', '--page', '3', '--box', '100,100,9000,200', '--code', '(b)(5)');
    expect([run.code, run.stderr]).toEqual([1, expect.stringMatching(/goes past page 3, which is 2550x3300 pixels/)]);
    run = cli('review', String(memo), 'box', '--page', '4', '--box', '1,1,2,2', '--code', '(b)(5)');
    expect([run.code, run.stderr]).toEqual([1, expect.stringMatching(/has no page 4 \(it has 3\)/)]);
    run = cli('review', String(memo), 'withhold', '--page', '3', '--code', 'b5');
    expect(run.code).toBe(1);
    r = review(String(memo), 'withhold', '--page', '3', '--code', 'b5', '--reason', 'draft, deliberative');
    expect(r.withheldPages).toEqual([expect.objectContaining({ pageNo: 3, code: '(b)(5)', reason: 'draft, deliberative' })]);
    // A code of another law is refused with the list.
    run = cli('review', String(memo), 'redact', String(card!.id), '--code', '§552.101');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/§552\.101 is not an exemption code of us-federal\. Codes: \(b\)\(1\), /);

    // --all: every finding left, each under its suggestion; then done.
    r = review(String(memo), 'redact', '--all');
    expect(r.items[2]!.decision).toMatchObject({ action: 'redact', code: '(b)(6)' });
    expect(r.undecided).toBe(0);
    r = review(String(memo), 'done');
    expect(r.state).toBe('reviewed');
    run = cli('review', String(memo), 'redact', String(card!.id));
    expect([run.code, run.stderr]).toEqual([1, expect.stringMatching(/is marked reviewed; reopen it first/)]);
    expect(cli('review', String(memo), 'reopen').code).toBe(1);
    r = review(String(memo), 'reopen', '--reason', 'the requester narrowed the request');
    expect(r.state).toBe('in-review');
    // A later decision supersedes: the card is released now, and the history keeps both.
    r = review(String(memo), 'release', String(card!.id), '--reason', 'the card is the agency’s own purchasing card');
    expect(r.items[2]!.decision!.action).toBe('release');
    expect(r.decisions.filter((d) => d.findingId === card!.id).map((d) => d.action)).toEqual(['redact', 'release']);
    expect(review(String(memo), 'done').state).toBe('reviewed');

    expect(ledger('review.done')).toHaveLength(2);
    expect(ledger('review.reopened')).toEqual([expect.objectContaining({ documentId: memo, reason: 'the requester narrowed the request' })]);
    // Boxes, codes, ids, reasons: never the text of a finding or a page.
    const payloads = JSON.stringify([...ledger('review.decided'), ...ledger('review.done'), ...ledger('review.reopened')]);
    for (const t of TEXTS) expect(payloads).not.toContain(t);
    // Every stored decision is one its event recorded.
    expect(ledger('review.decided').flatMap((e) => (e.decisions as { decisionId: number }[]).map((d) => d.decisionId))).toEqual(r.decisions.map((d) => d.id));
  });

  it("offers the state's own codes for a request under state law", () => {
    const r = review(String(texas));
    expect(r.jurisdictions).toEqual(['us-tx']);
    expect(Object.fromEntries(r.items.map((i) => [i.type, i.suggestedCode]))).toEqual({ ssn: '§552.147', phone: '§552.101' });
    expect(r.codes.find((c) => c.code === '§552.147')!.citation).toBe("Tex. Gov't Code §552.147");
    const redacted = review(String(texas), 'redact', String(r.items.find((i) => i.type === 'phone')!.id), '--code', '552.117');
    expect(redacted.items.find((i) => i.type === 'phone')!.decision!.code).toBe('§552.117');
    const run = cli('review', String(texas), 'redact', String(r.items[0]!.id), '--code', '(b)(6)');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/not an exemption code of us-tx/);
  });

  it('shows responsive and reviewed counts on the request and its deadline', () => {
    expect(cli('request', 'docs', 'TX-7', 'add', String(memo)).code).toBe(0);
    const list = onlyJson<{ requests: RequestSummary[] }>(cli('--json', 'request', 'list').stdout).requests.find((q) => q.id === 'TX-7')!;
    expect(list).toMatchObject({ documents: 2, reviewed: 1, inReview: 1 });
    expect(cli('request', 'list').stdout).toMatch(/TX-7 .* 2 responsive, 1 reviewed, 1 in review/);
    const due = onlyJson<{ deadlines: DeadlineRow[] }>(cli('--json', 'deadlines', '--as-of', '2026-12-01').stdout).deadlines.find(
      (d) => d.requestId === 'TX-7',
    )!;
    expect(due).toMatchObject({ documents: 2, reviewed: 1, inReview: 1 });
  });

  it('binds decisions and review state to the ledger: an edit by hand fails verification', () => {
    expect(cli('ledger', 'verify').code).toBe(0);
    let run = cli('db', 'sql', '--reason', 'insider edit', "UPDATE review_decisions SET code = '(b)(2)'");
    expect([run.code, run.stderr]).toEqual([1, expect.stringMatching(/review decisions are append-only: UPDATE refused/)]);
    run = cli(
      'db',
      'sql',
      '--reason',
      'insider edit',
      `INSERT INTO review_decisions (document_id, action, page_no, code, operator, created_at) VALUES (${memo}, 'withhold-page', 1, '(b)(5)', 'mallory', '2026-12-01')`,
    );
    expect(run.code, run.stderr).toBe(0);
    run = cli('db', 'sql', '--reason', 'insider edit', `UPDATE documents SET review = 'unreviewed' WHERE id = ${texas}`);
    expect(run.code, run.stderr).toBe(0);
    const verify = cli('ledger', 'verify');
    expect(verify.code).toBe(2);
    expect(verify.stdout).toMatch(/review_decisions \d+: no review\.decided event recorded this decision/);
    expect(verify.stdout).toMatch(new RegExp(`documents ${texas}: review state is unreviewed, the ledger says in-review`));
  });
});

/**
 * Find and review in real Chromium against the real engine (browser bridge): the Documents search finds a
 * phrase planted in two records' text and highlights it; a restricted record's page opens after a reason,
 * with its findings drawn as boxes exactly where the stored boxes put them (and on the ink of the words);
 * the officer redacts one finding, releases another with a reason, draws a box by hand and marks the record
 * reviewed; each decision is in the ledger; screenshots of every step.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { DocumentReview } from '../src/shared/types.js';
import { onlyJson, runCli } from './helpers/cli.js';
import { suiteTempDir, textPdf, write } from './helpers/fixtures.js';
import { openRawDatabase } from './helpers/raw-db.js';
import { axeViolations, launchChromium, screenshot, startUiBridge, type AxeViolation, type UiBridge } from './helpers/ui.js';

const PHRASE = 'Harbor Street seawall';

type Rect = { x: number; y: number; width: number; height: number };

describe('find and review in Chromium (issue 15)', () => {
  let dataDir: string;
  let bridge: UiBridge & { hasDrive: boolean };
  let browser: Browser;
  let page: Page;
  let memo: number;
  const violations: Record<string, AxeViolation[]> = {};
  const cli = (...args: string[]) => runCli(['--data-dir', dataDir, ...args]);
  const stored = (): DocumentReview => onlyJson<{ review: DocumentReview }>(cli('--json', 'review', String(memo)).stdout).review;
  const shot = async (name: string): Promise<void> => {
    violations[name] = await axeViolations(page);
    await screenshot(page, name);
  };

  beforeAll(async () => {
    dataDir = suiteTempDir('custodian-ui-review-');
    const inbox = suiteTempDir('custodian-ui-review-in-');
    write(
      path.join(inbox, 'permit-memo.pdf'),
      await textPdf(
        [
          `Appeal of the ${PHRASE} permit\nContact (202) 555-0143 or jane.doe@agency.gov\nApplicant SSN 536-22-1234, Jane Roe\nThe board meets on Tuesday.`,
          'Second page: notes of the site visit.',
        ],
        { size: 16 },
      ),
    );
    write(path.join(inbox, 'minutes.pdf'), await textPdf([`Minutes of the board\nThe ${PHRASE} repairs were approved.`], { size: 16 }));
    const r = cli('-q', 'ingest', inbox);
    expect(r.code, r.stderr).toBe(0);
    const docs = onlyJson<{ documents: { id: number; path: string; lane: string }[] }>(cli('--json', 'docs').stdout).documents;
    const m = docs.find((d) => d.path.endsWith('permit-memo.pdf'))!;
    expect(m.lane).toBe('pii');
    memo = m.id;
    bridge = await startUiBridge(dataDir, { CUSTODIAN_OCR_ADAPTER: '' });
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, serviceWorkers: 'block' });
    await context.route('**/*', (route) => {
      const url = route.request().url();
      return url.startsWith(`${bridge.origin}/`) || url.startsWith('data:') ? route.continue() : route.abort();
    });
    page = await context.newPage();
    await page.goto(bridge.url);
    await page.getByRole('heading', { name: 'Take in records' }).waitFor();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await bridge?.stop();
  });

  it('searches names, hashes and text: the planted phrase is found on both records, highlighted where it may be shown', async () => {
    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Documents' }).click();
    await page.getByLabel('Search').fill('"harbor street" seawall');
    const hits = page.getByRole('region', { name: 'Pages whose text matches' });
    await expect.poll(() => hits.getByRole('listitem').count()).toBe(2);
    // The public record's snippet shows the match marked; the PII record's is withheld without a reason.
    expect(await hits.locator('mark').allTextContents()).toEqual(['Harbor Street', 'seawall']);
    expect(await hits.getByRole('listitem').filter({ hasText: 'permit-memo.pdf' }).textContent()).toMatch(/page 1.*snippet withheld \(pii lane\)/);
    expect(await hits.textContent()).toContain('1 restricted snippet(s) withheld');
    // The table lists the records whose text matches, as well as names and hash prefixes.
    await expect.poll(() => page.locator('.filters [role="status"]').textContent()).toBe('2 of 2');
    expect(await page.getByRole('row').filter({ hasText: 'permit-memo.pdf' }).count()).toBe(1);
    await shot('review-1-search');
  });

  it('opens the page after a reason, with each finding drawn where its stored box is, on the words', async () => {
    await page.getByRole('button', { name: 'permit-memo.pdf · page 1' }).click();
    const dialog = page.getByRole('dialog', { name: 'View restricted pages?' });
    await dialog.getByLabel('Why do you need to see them?').fill('FOIA-2026-31 review of responsive records');
    await dialog.getByRole('button', { name: 'View pages' }).click();
    const canvas = page.getByTestId('page-canvas');
    await canvas.waitFor();
    await page.evaluate(`document.querySelector('.page-canvas img').decode()`);
    await shot('review-2-page');

    const review = stored();
    expect(review.items.map((i) => i.type)).toEqual(['phone', 'email', 'ssn']);
    // The render's box scale, as the CLI reports it for the same page at the same (default) size.
    const out = path.join(suiteTempDir('custodian-ui-review-png-'), 'p1.png');
    const rendered = onlyJson<{ width: number; boxScale: number }>(cli('--json', 'page', String(memo), '1', '--out', out, '--reason', 'test check').stdout);
    const shown = (await page.evaluate(
      `(() => { const img = document.querySelector('.page-canvas img'); return img.getBoundingClientRect().width / img.naturalWidth; })()`,
    )) as number;
    expect(shown).toBeGreaterThan(0.3);
    const origin = (await canvas.boundingBox())!;
    for (const item of review.items) {
      const el = page.locator(`[data-finding="${item.id}"]`);
      expect(await el.count()).toBe(1);
      const r = (await el.boundingBox()) as Rect;
      const [x0, y0, x1, y1] = item.boxes[0]!;
      const k = rendered.boxScale * shown;
      expect(Math.abs(r.x - origin.x - x0 * k)).toBeLessThanOrEqual(1.5);
      expect(Math.abs(r.y - origin.y - y0 * k)).toBeLessThanOrEqual(1.5);
      expect(Math.abs(r.width - (x1 - x0) * k)).toBeLessThanOrEqual(1.5);
      expect(Math.abs(r.height - (y1 - y0) * k)).toBeLessThanOrEqual(1.5);
      // Under the box, in the page image the engine drew, is the ink of the finding's words.
      const ink = (await page.evaluate(
        `(() => { const img = document.querySelector('.page-canvas img'); const c = document.createElement('canvas'); c.width = img.naturalWidth; c.height = img.naturalHeight; const g = c.getContext('2d'); g.drawImage(img, 0, 0);
          const s = ${rendered.boxScale}; const [x0, y0, x1, y1] = [${x0} * s, ${y0} * s, ${x1} * s, ${y1} * s].map(Math.round);
          const d = g.getImageData(x0, y0, x1 - x0, y1 - y0).data; let dark = 0; for (let i = 0; i < d.length; i += 4) if (d[i] + d[i + 1] + d[i + 2] < 384) dark++; return dark / (d.length / 4); })()`,
      )) as number;
      expect(ink).toBeGreaterThan(0.08);
    }
    // Word boxes on demand (key w), one per word of the page.
    await page.keyboard.press('w');
    await expect.poll(() => page.locator('.word-box').count()).toBeGreaterThan(20);
    await shot('review-3-word-boxes');
    await page.keyboard.press('w');
  });

  it('redacts one finding, releases another with a reason, draws a box by hand and marks the record reviewed', async () => {
    const [phone, email, ssn] = stored().items;
    const item = (id: number) => page.locator(`li[data-item="${id}"]`);
    await item(phone!.id).getByLabel(`Exemption for finding ${phone!.id}`).selectOption('(b)(7)(C)');
    await item(phone!.id).getByRole('button', { name: 'Redact' }).click();
    await expect.poll(() => page.getByTestId('review-state').textContent()).toBe('in-review');
    await expect.poll(() => page.locator(`[data-finding="${phone!.id}"]`).getAttribute('class')).toContain('redact');
    await shot('review-4-redacted');

    await item(email!.id).getByRole('button', { name: 'Release…' }).click();
    const release = page.getByRole('dialog', { name: /Release this email address/ });
    await release.getByLabel('Why may it be released?').fill('the official agency address, already public');
    await release.getByRole('button', { name: 'Release' }).click();
    await expect.poll(() => item(email!.id).textContent()).toContain('Release: the official agency address, already public');
    await shot('review-5-released');

    // Keys: n moves to the next finding; the selected box is outlined.
    await page.getByRole('dialog', { name: 'Review of permit-memo.pdf' }).focus();
    await page.keyboard.press('n');
    expect(await page.locator('.finding-box.selected').count()).toBeGreaterThan(0);

    // A box by hand over the name detection missed ("Jane Roe" at the end of the SSN line).
    const canvas = (await page.getByTestId('page-canvas').boundingBox())!;
    const ssnBox = page.locator(`[data-finding="${ssn!.id}"]`);
    const s = (await ssnBox.boundingBox())!;
    const from = { x: s.x + s.width + 14, y: s.y - 2 };
    const to = { x: s.x + s.width + 110, y: s.y + s.height + 2 };
    await page.getByRole('button', { name: 'Draw a box' }).click();
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.mouse.move((from.x + to.x) / 2, (from.y + to.y) / 2);
    await page.mouse.move(to.x, to.y);
    await page.mouse.up();
    const boxDialog = page.getByRole('dialog', { name: 'Redact the box you drew?' });
    await boxDialog.getByLabel('Exemption').selectOption('(b)(6)');
    await boxDialog.getByLabel('What does it cover, and why?').fill("the applicant's name, which detection missed");
    await boxDialog.getByRole('button', { name: 'Add box' }).click();
    await expect.poll(() => page.locator('[data-manual]').count()).toBe(1);
    const k = Number(await page.getByTestId('page-canvas').getAttribute('data-box-scale'));
    const drawn = stored().boxes[0]!;
    expect(drawn).toMatchObject({ pageNo: 1, code: '(b)(6)', reason: "the applicant's name, which detection missed" });
    const expected = [(from.x - canvas.x) / k, (from.y - canvas.y) / k, (to.x - canvas.x) / k, (to.y - canvas.y) / k];
    drawn.box!.forEach((v, i) => expect(Math.abs(v - expected[i]!)).toBeLessThanOrEqual(2 / k + 1));
    await shot('review-6-box-drawn');

    // Done is refused while the SSN has no decision; redact it under its suggestion, then mark reviewed.
    expect(await page.getByRole('button', { name: 'Mark reviewed' }).isDisabled()).toBe(true);
    await item(ssn!.id).getByRole('button', { name: 'Redact' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Mark reviewed' }).isDisabled()).toBe(false);
    await page.getByRole('button', { name: 'Mark reviewed' }).click();
    await expect.poll(() => page.getByTestId('review-state').textContent()).toBe('reviewed');
    await shot('review-7-reviewed');

    // Page navigation by key.
    await page.getByRole('dialog', { name: 'Review of permit-memo.pdf' }).focus();
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => page.getByText('Page 2 of 2').count()).toBe(1);
    await page.locator('.page-canvas img').waitFor();
    await shot('review-8-page-2');

    // The ledger holds each decision with its box, code, operator and reason, and no text.
    const db = openRawDatabase(dataDir, { readonly: true });
    let decided: { decisions: { action: string; code: string | null; box: number[] | null }[]; reason: string | null }[];
    let done: number;
    try {
      decided = (db.prepare("SELECT payload FROM ledger WHERE type = 'review.decided' ORDER BY seq").all() as { payload: string }[]).map(
        (r) => JSON.parse(r.payload) as (typeof decided)[number],
      );
      done = db.prepare("SELECT COUNT(*) FROM ledger WHERE type = 'review.done'").pluck().get() as number;
    } finally {
      db.close();
    }
    expect(decided.map((e) => e.decisions.map((d) => `${d.action} ${d.code}`).join())).toEqual([
      'redact (b)(7)(C)',
      'release null',
      'box (b)(6)',
      'redact (b)(6)',
    ]);
    expect(decided[1]!.reason).toBe('the official agency address, already public');
    expect(done).toBe(1);
    for (const t of ['555-0143', 'jane.doe', '536-22-1234', 'Jane Roe', 'Harbor']) expect(JSON.stringify(decided)).not.toContain(t);
    expect(cli('ledger', 'verify').code).toBe(0);

    await page.getByRole('button', { name: 'Close' }).click();
    expect(violations).toEqual(Object.fromEntries(Object.keys(violations).map((k) => [k, []])));
  });

  it('exports the reviewed record as a release to the drive, read back and verified', async (ctx) => {
    if (!bridge.hasDrive) ctx.skip();
    expect(cli('request', 'add', 'FOIA-2026-31', '--jurisdiction', 'us-federal', '--received', '2026-11-30').code).toBe(0);
    expect(cli('request', 'docs', 'FOIA-2026-31', 'add', String(memo)).code).toBe(0);
    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Export report' }).click();
    await page.getByLabel('Request').selectOption('FOIA-2026-31');
    expect(await page.getByLabel('Request').locator('option:checked').textContent()).toBe('FOIA-2026-31 · 1 of 1 reviewed');
    await page.getByLabel('Bates prefix (optional)').fill('PERMIT');
    await page.getByRole('button', { name: 'Export release to the drive' }).click();
    const written = page.getByRole('definition').filter({ hasText: 'Bates PERMIT-000001 to PERMIT-000002' });
    await expect.poll(() => written.count(), { timeout: 60_000 }).toBe(1);
    expect(await page.getByText('Release written and verified: 2 pages, Bates PERMIT-000001 to PERMIT-000002.').count()).toBe(1);
    expect(await page.getByLabel('Release written').textContent()).toContain('Signed by this workstation’s key; every file checks out.');
    await shot('review-9-release-exported');
    expect(violations['review-9-release-exported']).toEqual([]);
  });
});

/**
 * The app end to end in real Chromium against the real engine (browser bridge, real OCR): intake of a corpus
 * folder, progress to completion, quarantine release, a request and its deadline, a signed export to a
 * drive, ledger verification, accessibility on every view, screenshots, and no network request; then the
 * 10,000-record list and the progress of a batch of many-page records, at 1366×768 and 1920×1080.
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { corpus, multiPageTiff, realPng, scriptedOcr, suiteTempDir } from './helpers/fixtures.js';
import { runCli } from './helpers/cli.js';
import {
  E2E_DRIVE,
  VIEWPORTS,
  axeViolations,
  bridgeTraffic,
  launchChromium,
  screenshot,
  startUiBridge,
  type AxeViolation,
  type UiBridge,
} from './helpers/ui.js';

const HOSTILE = corpus('hostile');

/** `YYYY-MM-DD` of a date `days` from today (local time, as the app's clock reads it). */
function dayFromToday(days: number): string {
  const d = new Date();
  d.setDate(d.getDate() + days);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** The accessible name of the focused element, and its tag. */
async function focused(page: Page): Promise<string> {
  return page.evaluate(
    `(() => { const e = document.activeElement; if (!e) return ''; const l = e.labels && e.labels[0]; return e.tagName.toLowerCase() + ':' + (e.getAttribute('aria-label') || (l ? l.textContent : '') || e.textContent || '').trim(); })()`,
  );
}

describe('desktop app in Chromium over the browser bridge', () => {
  let bridge: UiBridge & { hasDrive: boolean };
  let browser: Browser;
  let page: Page;
  let dataDir: string;
  const offsite: string[] = [];
  const violations: Record<string, AxeViolation[]> = {};

  const go = async (view: string): Promise<void> => {
    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: view }).click();
  };
  const audit = async (name: string): Promise<void> => {
    violations[name] = await axeViolations(page);
    await screenshot(page, name);
  };

  beforeAll(async () => {
    dataDir = suiteTempDir('custodian-ui-');
    bridge = await startUiBridge(dataDir, { CUSTODIAN_OCR_ADAPTER: '' });
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, serviceWorkers: 'block' });
    // Every request that is not to the bridge itself is counted and refused.
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(`${bridge.origin}/`) || url.startsWith('data:')) return route.continue();
      offsite.push(url);
      return route.abort();
    });
    page = await context.newPage();
    await page.goto(bridge.url);
    await page.getByRole('heading', { name: 'Take in records' }).waitFor();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await bridge?.stop();
  });

  it('adds a request and shows its statutory due date, in business days', async () => {
    await go('Deadlines');
    await page.getByLabel('Request number').fill('FOIA-E2E-1');
    await page.getByLabel('Law').selectOption('us-federal');
    await page.getByLabel('Received').fill('2026-11-02');
    await page.getByLabel('Title (optional)').fill('Building permits 2025');
    await page.getByRole('button', { name: 'Add request' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Request FOIA-E2E-1 added' }).textContent()).toContain('due 2026-12-02');
    // Received Mon 2 Nov 2026: day 1 is Tue 3 Nov; 20 business days skip Veterans Day and Thanksgiving.
    const row = page.getByRole('row').filter({ hasText: 'FOIA-E2E-1' });
    await expect.poll(() => row.textContent()).toContain('2026-12-02');
    // The kind of day is always said: "business days left", "Due today" or "business days overdue", never a bare "days".
    expect(await row.textContent()).toMatch(/\d+ business days? (left|overdue)|Due today/u);
    await audit('deadlines');
  });

  it('says engine errors as sentences for a clerk, with the code for support', async () => {
    await page.getByLabel('Request number').fill('FOIA-E2E-FUTURE');
    await page.getByLabel('Received').fill(dayFromToday(30));
    await page.getByRole('button', { name: 'Add request' }).click();
    const status = page.getByRole('status').filter({ hasText: 'is in the future' });
    await expect.poll(() => status.textContent()).toBe(`The received date ${dayFromToday(30)} is in the future. (for support: invalid-argument)`);
    expect(await page.getByText('--received').count()).toBe(0);
  });

  it('focuses the reason in the toll and extend dialogs and returns focus on Escape; marks an extension made while overdue', async () => {
    await page.getByLabel('Request number').fill('FOIA-E2E-LATE');
    await page.getByLabel('Received').fill('2026-01-05');
    await page.getByRole('button', { name: 'Add request' }).click();
    const late = page.getByRole('row').filter({ hasText: 'FOIA-E2E-LATE' });
    await expect.poll(() => late.textContent()).toMatch(/\d[\d,]* business days overdue/u);

    const toll = page.getByRole('button', { name: 'Toll FOIA-E2E-LATE' });
    await toll.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    // The date is filled in already: the cursor goes to the reason, the first required field still empty.
    expect(await focused(page)).toBe('textarea:Why (for example: waiting for the requester to clarify)?');
    await page.keyboard.type('Waiting for the requester');
    expect(await dialog.getByLabel('Stopped from').inputValue()).toBe(dayFromToday(0));
    await audit('dialog-toll');
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);
    expect(await focused(page)).toBe('button:Toll FOIA-E2E-LATE');

    await page.getByRole('button', { name: 'Extend FOIA-E2E-LATE' }).click();
    await dialog.waitFor();
    expect(await focused(page)).toMatch(/^textarea:Why/u);
    await page.keyboard.type('Records at another site');
    await dialog.getByRole('button', { name: 'Extend' }).click();
    await expect.poll(() => late.textContent()).toContain('Was overdue when extended');
    expect(await focused(page)).toBe('button:Extend FOIA-E2E-LATE');

    // Close, with its date: the request stops being overdue and its clock is closed.
    await page.getByRole('button', { name: 'Close FOIA-E2E-LATE' }).click();
    await dialog.waitFor();
    expect(await focused(page)).toBe('input:Answered on');
    expect(await dialog.getByLabel('Answered on').inputValue()).toBe(dayFromToday(0));
    await audit('dialog-close-request');
    await dialog.getByRole('button', { name: 'Close request' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Request FOIA-E2E-LATE closed on' }).count()).toBe(1);
    await expect.poll(() => late.textContent()).toContain(`Closed ${dayFromToday(0)}`);
    expect(await late.getByRole('button', { name: /Close/u }).count()).toBe(0);
    await audit('deadlines-closed');
  });

  it('asks for the request and lane before the path, and takes a corpus folder in with progress to completion', async () => {
    await go('Intake & batches');
    const form = page.getByRole('region', { name: 'Take in records' });
    const order = await page.evaluate(
      `[...document.querySelector('section.intake').querySelectorAll('select, input, button[type=submit]')].map((e) => (e.labels && e.labels[0] ? e.labels[0].textContent : e.textContent).trim())`,
    );
    expect(order).toEqual(['Records request', 'Lane', 'Folder or file path', 'Start intake']);
    // In a browser no file path comes with a drop: no drop zone promising one, and the hint says to type the path.
    expect(await form.getByText(/Drop folders/u).count()).toBe(0);
    expect(await form.textContent()).toContain('Type or paste the path');
    expect(await form.textContent()).not.toContain('below');
    await page.getByLabel('Records request').selectOption('FOIA-E2E-1');
    await page.getByLabel('Folder or file path').fill(HOSTILE);
    await page.getByLabel('Folder or file path').press('Enter');
    await expect.poll(() => form.getByRole('status').textContent()).toContain('for request FOIA-E2E-1');
    const card = page.getByRole('article').first();
    await expect.poll(() => card.isVisible(), { timeout: 30_000 }).toBe(true);
    await audit('batch-running');
    await expect.poll(() => card.getByText('Complete').isVisible(), { timeout: 180_000, interval: 500 }).toBe(true);
    const files = readdirSync(HOSTILE).length;
    const figures = await card.getByRole('definition').allTextContents();
    expect(figures[0]).toBe(String(files));
    const hashed = card.getByRole('progressbar', { name: 'Files hashed' });
    expect(await hashed.getAttribute('aria-valuenow')).toBe(String(files));
    const records = card.getByRole('progressbar', { name: 'Records processed' });
    expect(await records.getAttribute('aria-valuenow')).toBe(await records.getAttribute('aria-valuemax'));
    const pages = card.getByRole('progressbar', { name: 'Pages extracted' });
    expect(await pages.getAttribute('aria-valuenow')).toBe(await pages.getAttribute('aria-valuemax'));
    // Done: every record was checked, none is left "not checked yet".
    expect(await card.textContent()).not.toContain('not checked yet');
    // The "Taking in…" message is history once the batch is done.
    await expect.poll(() => form.getByRole('status').textContent()).toBe('\u00a0');
    await audit('batches');
  });

  it('shows the escalations waiting for a person and takes one out with an acknowledgement', async () => {
    await go('Deadlines');
    const inbox = page.getByRole('region', { name: 'Escalations waiting for a person' });
    const item = inbox.getByRole('listitem').filter({ hasText: 'FOIA-E2E-1' });
    await expect.poll(() => item.textContent()).toMatch(/FOIA-E2E-1 is (at risk|overdue)/u);
    // An answered (closed) request is not waiting for anyone, though it was overdue.
    expect(await inbox.getByRole('listitem').filter({ hasText: 'FOIA-E2E-LATE' }).count()).toBe(0);
    await screenshot(page, 'deadlines-escalations');
    await item.getByRole('button', { name: 'Acknowledge…' }).click();
    const note = page.getByLabel('What will be done about it?');
    await expect.poll(() => note.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
    await note.fill('Two clerks on it; letter goes out Friday');
    await page.getByRole('dialog').getByRole('button', { name: 'Acknowledge' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Acknowledged: FOIA-E2E-1' }).count()).toBe(1);
    await expect.poll(() => item.count()).toBe(0);
  });

  it('links a request to its records, lists documents with request, batch and date, sorts, and says when nothing matches', async () => {
    await go('Deadlines');
    const row = page.getByRole('row').filter({ hasText: 'FOIA-E2E-1' });
    await row.getByRole('button', { name: /Show the \d+ records of FOIA-E2E-1/u }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'Documents', level: 2 }).isVisible()).toBe(true);
    await expect.poll(() => page.getByLabel('Request', { exact: true }).inputValue()).toBe('FOIA-E2E-1');
    await expect.poll(() => page.getByRole('row').count()).toBeGreaterThan(3);
    const grid = page.getByRole('grid', { name: 'Documents' });
    const headers = await grid.getByRole('columnheader').allTextContents();
    expect(headers.map((h) => h.replace(/[▲▼]/gu, '').trim())).toEqual(['Name', 'SHA-256', 'Pages', 'Text', 'Lane', 'Status', 'Request', 'Batch', 'Taken in']);
    const kcs = page.getByRole('row').filter({ hasText: 'kcs.pdf' });
    expect(await kcs.textContent()).toContain('FOIA-E2E-1');
    expect(await kcs.textContent()).toContain('hostile');
    // Sorted by name, both ways, in the engine.
    const names = async (): Promise<string[]> => (await grid.getByRole('row').allTextContents()).slice(1).map((t) => t.split(/\.pdf/u)[0]!);
    await grid.getByRole('button', { name: 'Name' }).click();
    await expect.poll(async () => (await names())[0]).toBe('blank');
    expect(await grid.getByRole('columnheader', { name: /Name/u }).getAttribute('aria-sort')).toBe('ascending');
    await grid.getByRole('button', { name: 'Name' }).click();
    await expect.poll(async () => (await names())[0]).not.toBe('blank');
    expect(await grid.getByRole('columnheader', { name: /Name/u }).getAttribute('aria-sort')).toBe('descending');
    await kcs.click();
    const detail = page.getByRole('complementary', { name: 'Document detail' });
    await expect.poll(() => detail.getByRole('heading', { name: 'kcs.pdf' }).isVisible()).toBe(true);
    await expect.poll(() => detail.getByRole('region', { name: 'Page 1' }).isVisible()).toBe(true);
    // The record's own history, in sentences.
    await expect.poll(() => detail.getByRole('list', { name: 'History of this record' }).textContent()).toContain('Text extraction of record');
    await audit('documents');
    await page.getByLabel('Search').fill('blank');
    await expect.poll(() => page.getByRole('row').count()).toBe(2);
    await page.getByLabel('Search').fill('no-such-record-anywhere');
    await expect.poll(() => page.getByText('No records match this search').isVisible()).toBe(true);
    await audit('documents-no-match');
    await page.getByLabel('Search').fill('');
  });

  it('groups quarantine by reason with what to do, and releases several files with one reason', async () => {
    await go('Quarantine');
    const group = page.getByRole('region', { name: /The PDF is damaged or not a PDF/u });
    await expect.poll(() => group.getByRole('row').filter({ hasText: 'invalid.pdf' }).count()).toBe(1);
    expect(await group.textContent()).toContain('What to do:');
    const row = group.getByRole('row').filter({ hasText: 'invalid.pdf' });
    // Name cut to the file, its folder beside it (full path on hover): two files of one name can be told apart.
    expect(await row.getByRole('cell').nth(1).getAttribute('title')).toMatch(/hostile\/invalid\.pdf$/u);
    expect(await row.getByRole('cell').nth(2).textContent()).toMatch(/hostile$/u);
    // Retry one: it goes back to processing, which holds it again (it is still damaged); the result reads as a sentence.
    await row.getByRole('button', { name: 'Retry invalid.pdf' }).click();
    await expect
      .poll(() => page.getByRole('status').filter({ hasText: 'Processing again' }).textContent())
      .toBe('Processing again: invalid.pdf is back in the queue.');
    await expect.poll(() => page.getByRole('navigation', { name: 'Views' }).getByRole('status').textContent(), { timeout: 60_000 }).toBe('Idle');
    await expect.poll(() => group.getByRole('button', { name: 'Retry invalid.pdf' }).count(), { timeout: 30_000 }).toBe(1);
    const held = page.getByRole('checkbox', { name: /^Select \// });
    const count = await held.count();
    expect(count).toBeGreaterThanOrEqual(2);
    await audit('quarantine');
    for (let i = 0; i < count; i++) await held.nth(i).check();
    await page.getByRole('button', { name: 'Release selected…' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    expect(await focused(page)).toBe('textarea:Why is it released?');
    await expect.poll(() => dialog.getByRole('button', { name: 'Release' }).isDisabled()).toBe(true);
    await page.keyboard.type('Damaged placeholder files; the requester was told.');
    await audit('quarantine-release');
    await dialog.getByRole('button', { name: 'Release' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'released' }).textContent()).toBe(`${count} files released.`);
    await expect.poll(() => page.getByText('Nothing is held.').isVisible()).toBe(true);
    await page.getByLabel('Show released and resolved').check();
    await expect
      .poll(() => page.getByRole('row').filter({ hasText: 'invalid.pdf' }).filter({ hasText: 'released:' }).textContent())
      .toContain('released: Damaged placeholder files');
    // The batch card shows held and released, not a stale "quarantined".
    await go('Intake & batches');
    await expect.poll(() => page.getByRole('article').first().textContent()).toContain(`0 held · ${count} released · 1 retried`);
  });

  it('verifies the ledger, with the release recorded in a sentence', async () => {
    await go('Audit ledger');
    await page.getByRole('button', { name: 'Verify ledger' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Intact' }).count()).toBe(1);
    await expect.poll(() => page.getByText('An operator released a quarantined file, giving a reason.').count()).toBeGreaterThan(0);
    await audit('ledger');
  });

  it('exports a signed report to the drive and shows it verified', async () => {
    await go('Export report');
    if (!bridge.hasDrive) {
      await expect.poll(() => page.getByText('No removable drive found').isVisible()).toBe(true);
      return;
    }
    await expect.poll(() => page.getByRole('radio', { name: new RegExp(E2E_DRIVE) }).isChecked()).toBe(true);
    await page.getByRole('main').getByRole('button', { name: 'Export report' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Exported and verified.' }).count(), { timeout: 60_000 }).toBe(1);
    // Checked against this workstation's own key, not merely the key inside the folder.
    await expect.poll(() => page.getByText('Signed by this workstation’s key; every file checks out.').isVisible()).toBe(true);
    const exported = page.getByRole('definition').filter({ hasText: E2E_DRIVE });
    const dir = (await exported.textContent())!;
    await audit('export');
    // Checked again from outside the app, through the bridge's own view of its mount namespace.
    const r = runCli(['--data-dir', dataDir, 'report', 'verify', path.join(`/proc/${bridge.child.pid}/root`, dir)]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('backs the workstation up to the drive under a passphrase', async () => {
    await go('Export report');
    if (!bridge.hasDrive) return;
    const button = page.getByRole('button', { name: 'Back up to the drive' });
    await page.getByLabel('Passphrase (at least 12 characters)').fill('correct horse battery staple');
    await page.getByLabel('The passphrase again').fill('correct horse battery stapler');
    await expect.poll(() => page.getByText('The two passphrases differ.').isVisible()).toBe(true);
    expect(await button.isDisabled()).toBe(true);
    await page.getByLabel('The passphrase again').fill('correct horse battery staple');
    await button.click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Backup written' }).count(), { timeout: 60_000 }).toBe(1);
    const folder = (await page
      .getByRole('group', { name: 'Backup written' })
      .or(page.getByLabel('Backup written'))
      .getByRole('definition')
      .first()
      .textContent())!;
    expect(folder).toContain(`${E2E_DRIVE}/custodian-backup-`);
    await audit('backup');
  });

  it('is operable from the keyboard', async () => {
    await page.getByRole('button', { name: 'Intake & batches' }).focus();
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement.textContent')).toBe('Documents');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('heading', { name: 'Documents', level: 2 }).isVisible()).toBe(true);
    // From the search field, Tab reaches every filter, the sort buttons and the rows.
    await page.getByLabel('Search').focus();
    const reached: string[] = [];
    for (let i = 0; i < 16; i++) {
      await page.keyboard.press('Tab');
      reached.push(await focused(page));
    }
    expect(reached.map((r) => r.replace(/ [▲▼]$/u, ''))).toEqual(
      expect.arrayContaining(['select:Request', 'select:Batch', 'select:Lane', 'select:Status', 'button:Name', 'button:Taken in']),
    );
    expect(reached.some((r) => r.startsWith('div:Document rows'))).toBe(true);
  });

  it('uses the width and height of a 1920×1080 screen on every view', async () => {
    await page.setViewportSize({ width: 1920, height: 1080 });
    for (const [view, name] of [
      ['Intake & batches', 'batches'],
      ['Documents', 'documents'],
      ['Quarantine', 'quarantine'],
      ['Deadlines', 'deadlines'],
      ['Audit ledger', 'ledger'],
    ] as const) {
      await go(view);
      await page.getByRole('heading', { level: 2 }).first().waitFor();
      const width = (await page.locator('.view').first().boundingBox())!.width;
      expect(width).toBeGreaterThan(1600);
      await audit(`${name}-1920`);
    }
    await go('Documents');
    const rows = page.getByRole('rowgroup', { name: /Document rows/u });
    const box = (await rows.boundingBox())!;
    // The table fills the window's height (to within the page's padding), not a fixed 560 px.
    expect(box.y + box.height).toBeGreaterThan(1080 - 40);
    await page.setViewportSize({ width: 1366, height: 768 });
  });

  it('has no serious or critical accessibility violations and made no network request', () => {
    expect(Object.keys(violations).length).toBeGreaterThanOrEqual(14);
    expect(violations).toEqual(Object.fromEntries(Object.keys(violations).map((k) => [k, []])));
    expect(offsite).toEqual([]);
  });
});

describe('the documents table at 10,000 records', () => {
  let bridge: UiBridge;
  let browser: Browser;
  let running: string;

  beforeAll(async () => {
    // 10,000 distinct records, taken in without extraction and paused, so the table is all there is to see.
    const dataDir = suiteTempDir('custodian-ui-10k-');
    const folder = path.join(suiteTempDir('custodian-10k-in-'), 'box-17');
    mkdirSync(folder);
    for (let i = 0; i < 10_000; i++) writeFileSync(path.join(folder, `scan-${String(i).padStart(5, '0')}.pdf`), `%PDF-1.4\n% record ${i}\n%%EOF\n`);
    const ingest = runCli(['--data-dir', dataDir, '--json', 'ingest', '--no-extract', folder]);
    expect(ingest.code).toBe(0);
    const { batchId } = JSON.parse(ingest.stdout) as { batchId: string };
    expect(runCli(['--data-dir', dataDir, 'batch', 'pause', batchId]).code).toBe(0);
    // A small folder to take in while the list is open (scripted OCR, so the batch runs long enough to watch).
    running = path.join(suiteTempDir('custodian-10k-run-'), 'box-18');
    mkdirSync(running);
    for (let i = 0; i < 6; i++) writeFileSync(path.join(running, `late-${i}.png`), realPng());
    bridge = await startUiBridge(dataDir, { CUSTODIAN_OCR_ADAPTER: scriptedOcr('ok', undefined, 400) });
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await bridge?.stop();
  });

  for (const viewport of VIEWPORTS) {
    it(`at ${viewport.width}×${viewport.height}: shows a loading state, then renders only the rows in view, scrolls to the last record, and filters`, async () => {
      const page = await browser.newPage({ viewport });
      await page.goto(bridge.url);
      await page.getByRole('heading', { name: 'Take in records' }).waitFor();
      const opened = Date.now();
      await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Documents' }).click();
      const status = page.getByRole('search').getByRole('status');
      // Never "0 of 0" and a blank table while the first window loads: the first thing shown says it is loading.
      const firstSeen = await status.textContent();
      expect(['Loading records…', '10,000 of 10,000']).toContain(firstSeen);
      expect(firstSeen).not.toBe('0 of 0');
      await expect.poll(() => status.textContent(), { timeout: 30_000 }).toBe('10,000 of 10,000');
      console.log(`10k list (${viewport.name}): first seen "${firstSeen}", rows shown after ${Date.now() - opened} ms`);
      const grid = page.getByRole('grid', { name: 'Documents' });
      expect(await grid.getAttribute('aria-rowcount')).toBe('10001');
      // Virtualized: a screenful of rows (plus overscan) in the DOM, not ten thousand.
      expect(await grid.getByRole('row').count()).toBeLessThan(70);
      // Not processed yet: no record claims to be public.
      expect(await grid.getByRole('row').nth(1).textContent()).toContain('not checked');
      // From the keyboard: focus the rows, End goes to the last record, which is selected and shown.
      await grid.getByRole('rowgroup', { name: /Document rows/ }).focus();
      await page.keyboard.press('End');
      await expect.poll(() => grid.getByRole('row', { selected: true }).textContent()).toContain('scan-09999.pdf');
      await expect
        .poll(() => page.getByRole('complementary', { name: 'Document detail' }).getByRole('heading', { name: 'scan-09999.pdf' }).isVisible())
        .toBe(true);
      expect(await grid.getByRole('row').count()).toBeLessThan(70);
      await screenshot(page, `documents-10k-${viewport.name}`);
      await page.getByLabel('Search').fill('scan-0420');
      await expect.poll(() => status.textContent()).toBe('10 of 10,000');
      expect(await axeViolations(page)).toEqual([]);
      await page.close();
    });
  }

  it('while a batch runs, refreshes only the rows in view over the bridge, never the whole list', async () => {
    const page = await browser.newPage({ viewport: VIEWPORTS[1] });
    const traffic = bridgeTraffic(page);
    await page.goto(bridge.url);
    await page.getByRole('heading', { name: 'Take in records' }).waitFor();
    await page.getByLabel('Folder or file path').fill(running);
    await page.getByRole('button', { name: 'Start intake' }).click();
    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Documents' }).click();
    const status = page.getByRole('search').getByRole('status');
    await expect.poll(() => status.textContent(), { timeout: 30_000 }).toMatch(/^10,00\d of 10,00\d$/u);
    const mark = traffic.frames.length;
    // Sort newest first, so the running batch's records are the rows in view and change as they are processed.
    await page
      .getByRole('grid', { name: 'Documents' })
      .getByRole('button', { name: /Taken in/u })
      .click();
    expect(
      await page
        .getByRole('grid', { name: 'Documents' })
        .getByRole('columnheader', { name: /Taken in/u })
        .getAttribute('aria-sort'),
    ).toBe('descending');
    await expect.poll(() => page.getByRole('row').filter({ hasText: 'late-' }).count(), { timeout: 30_000 }).toBeGreaterThan(0);
    await expect
      .poll(() => page.getByRole('row').filter({ hasText: 'late-' }).filter({ hasText: 'done' }).count(), { timeout: 120_000, interval: 250 })
      .toBe(6);
    await expect.poll(() => page.getByRole('navigation', { name: 'Views' }).getByRole('status').textContent(), { timeout: 60_000 }).toBe('Idle');
    const during = traffic.since(mark);
    const received = during.filter((f) => f.dir === 'received').reduce((n, f) => n + f.bytes, 0);
    const documentReplies = during.filter((f) => f.dir === 'received' && f.channel === 'documents:page');
    // The whole list, for comparison: what a full reload would have cost each time.
    const full = await page.evaluate(`window.custodian.listDocuments({}).then((d) => JSON.stringify(d).length)`);
    console.log(
      `while running: ${received} bytes received in ${during.length} frames; ${documentReplies.length} document windows (max ${Math.max(...documentReplies.map((f) => f.rows ?? 0))} rows); a full list is ${full} bytes`,
    );
    expect(during.filter((f) => f.dir === 'sent' && f.channel === 'documents:list')).toEqual([]);
    expect(documentReplies.length).toBeGreaterThan(0);
    expect(documentReplies.every((f) => (f.rows ?? 0) <= 100)).toBe(true);
    expect(received).toBeLessThan((full as number) / 10);
    await screenshot(page, 'documents-10k-running-1920');
    await page.close();
  });
});

describe('progress of a batch of many-page records', () => {
  let bridge: UiBridge;
  let browser: Browser;
  let folder: string;

  beforeAll(async () => {
    folder = path.join(suiteTempDir('custodian-ui-pages-in-'), 'box-multipage');
    mkdirSync(folder);
    // 16 scans of 6 pages each, all the same size: the estimate from size must come out exact.
    for (let i = 0; i < 16; i++) writeFileSync(path.join(folder, `bundle-${String(i).padStart(2, '0')}.tif`), multiPageTiff(6));
    bridge = await startUiBridge(suiteTempDir('custodian-ui-pages-'), { CUSTODIAN_OCR_ADAPTER: scriptedOcr('ok', undefined, 250) });
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await bridge?.stop();
  });

  it('counts records done of all records and estimates the pages of records not yet opened, at both screen sizes', async () => {
    const pages = await Promise.all(VIEWPORTS.map((viewport) => browser.newPage({ viewport })));
    for (const p of pages) {
      await p.goto(bridge.url);
      await p.getByRole('heading', { name: 'Take in records' }).waitFor();
    }
    const [page] = pages as [Page, Page];
    await page.getByLabel('Folder or file path').fill(folder);
    await page.getByRole('button', { name: 'Start intake' }).click();
    const card = page.getByRole('article').first();
    const records = card.getByRole('progressbar', { name: 'Records processed' });
    await expect.poll(async () => Number((await records.getAttribute('aria-valuenow')) ?? 0), { timeout: 60_000, interval: 100 }).toBeGreaterThan(0);
    // Pause with some records done: pages already running finish, then the figures hold still to be read.
    await card.getByRole('button', { name: 'Pause' }).click();
    await expect.poll(() => card.getByText('Paused', { exact: true }).isVisible()).toBe(true);
    await expect.poll(() => page.getByRole('navigation', { name: 'Views' }).getByRole('status').textContent(), { timeout: 60_000 }).toBe('Idle');
    const done = Number(await records.getAttribute('aria-valuenow'));
    expect(done).toBeLessThan(16);
    expect(await records.getAttribute('aria-valuemax')).toBe('16');
    const estimated = card.getByRole('progressbar', { name: 'Pages extracted (total estimated)' });
    // Over the whole batch: 16 records × 6 pages, the unopened ones estimated from their size, and labelled so.
    expect(await estimated.getAttribute('aria-valuemax')).toBe('96');
    expect(Number(await estimated.getAttribute('aria-valuenow'))).toBeLessThan(96);
    expect(await estimated.getAttribute('aria-valuetext')).toMatch(/ of about 96$/u);
    expect(await card.textContent()).toMatch(/\d+ records not opened yet, pages estimated from size/u);
    for (const [i, p] of pages.entries()) {
      await p.getByRole('article').first().getByText('Paused', { exact: true }).waitFor();
      expect(await axeViolations(p)).toEqual([]);
      await screenshot(p, `batch-progress-paused-${VIEWPORTS[i]!.name}`);
    }
    await card.getByRole('button', { name: 'Resume' }).click();
    await expect.poll(() => card.getByText('Complete').isVisible(), { timeout: 120_000, interval: 500 }).toBe(true);
    const exact = card.getByRole('progressbar', { name: 'Pages extracted' });
    expect(await exact.getAttribute('aria-valuemax')).toBe('96');
    expect(await exact.getAttribute('aria-valuenow')).toBe('96');
    expect(await records.getAttribute('aria-valuenow')).toBe('16');
    await screenshot(page, 'batch-progress-done-1366');
  });
});

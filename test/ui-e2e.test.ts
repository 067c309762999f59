/**
 * The app end to end in real Chromium against the real engine (browser bridge, real OCR): intake of a corpus
 * folder, progress to completion, quarantine release, a request and its deadline, a signed export to a
 * drive, ledger verification, accessibility on every view, screenshots, and no network request.
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { corpus, tempDir } from './helpers/fixtures.js';
import { runCli } from './helpers/cli.js';
import { E2E_DRIVE, axeViolations, launchChromium, screenshot, startUiBridge, type AxeViolation, type UiBridge } from './helpers/ui.js';

const HOSTILE = corpus('hostile');

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
    dataDir = tempDir('custodian-ui-');
    bridge = await startUiBridge(dataDir, { CUSTODIAN_OCR_ADAPTER: '' });
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, serviceWorkers: 'block' });
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

  it('adds a request and shows its statutory due date', async () => {
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
    await audit('deadlines');
  });

  it('takes in a corpus folder for the request and shows progress to completion', async () => {
    await go('Intake & batches');
    await page.getByLabel('Records request').selectOption('FOIA-E2E-1');
    await page.getByLabel('Folder or file path').fill(HOSTILE);
    await page.getByRole('button', { name: 'Take in', exact: true }).click();
    const card = page.getByRole('article').first();
    await expect.poll(() => card.isVisible(), { timeout: 30_000 }).toBe(true);
    await audit('batch-running');
    await expect.poll(() => card.getByText('Complete').isVisible(), { timeout: 180_000, interval: 500 }).toBe(true);
    const files = readdirSync(HOSTILE).length;
    const figures = await card.getByRole('definition').allTextContents();
    expect(figures[0]).toBe(String(files));
    const hashed = card.getByRole('progressbar', { name: 'Files hashed' });
    expect(await hashed.getAttribute('aria-valuenow')).toBe(String(files));
    const pages = card.getByRole('progressbar', { name: 'Pages extracted' });
    expect(await pages.getAttribute('aria-valuenow')).toBe(await pages.getAttribute('aria-valuemax'));
    await audit('batches');
  });

  it('lists the documents and shows a record with its text', async () => {
    await go('Documents');
    await expect.poll(() => page.getByRole('row').count()).toBeGreaterThan(3);
    await page.getByRole('row').filter({ hasText: 'kcs.pdf' }).click();
    const detail = page.getByRole('complementary', { name: 'Document detail' });
    await expect.poll(() => detail.getByRole('heading', { name: 'kcs.pdf' }).isVisible()).toBe(true);
    await expect.poll(() => detail.getByRole('region', { name: 'Page 1' }).isVisible()).toBe(true);
    await audit('documents');
    await page.getByLabel('Search').fill('blank');
    await expect.poll(() => page.getByRole('row').count()).toBe(2);
  });

  it('shows invalid.pdf quarantined with its reason and releases it with a reason', async () => {
    await go('Quarantine');
    const row = page.getByRole('row').filter({ hasText: 'invalid.pdf' });
    await expect.poll(() => row.textContent()).toContain('invalid-pdf');
    expect(await row.textContent()).toContain('The PDF is damaged or not a PDF');
    await audit('quarantine');
    await row.getByRole('button', { name: 'Release invalid.pdf' }).click();
    const dialog = page.getByRole('dialog');
    await expect.poll(() => dialog.getByRole('button', { name: 'Release' }).isDisabled()).toBe(true);
    await dialog.getByLabel('Why is it released?').fill('Corrupt placeholder file; the requester was told.');
    await audit('quarantine-release');
    await dialog.getByRole('button', { name: 'Release' }).click();
    await expect.poll(() => page.getByRole('row').filter({ hasText: 'invalid.pdf' }).count()).toBe(0);
    await page.getByLabel('Show released and resolved').check();
    await expect.poll(() => page.getByRole('row').filter({ hasText: 'invalid.pdf' }).textContent()).toContain('released: Corrupt placeholder file');
  });

  it('verifies the ledger, with the release recorded', async () => {
    await go('Audit ledger');
    await page.getByRole('button', { name: 'Verify ledger' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Intact' }).count()).toBe(1);
    await expect.poll(() => page.getByText('quarantine.released').count()).toBeGreaterThan(0);
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
    const exported = page.getByRole('definition').filter({ hasText: E2E_DRIVE });
    const dir = (await exported.textContent())!;
    await audit('export');
    // Checked again from outside the app, through the bridge's own view of its mount namespace.
    const r = runCli(['--data-dir', dataDir, 'report', 'verify', path.join(`/proc/${bridge.child.pid}/root`, dir)]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('is operable from the keyboard', async () => {
    await page.getByRole('button', { name: 'Intake & batches' }).focus();
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement.textContent')).toBe('Documents');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('heading', { name: 'Documents', level: 2 }).isVisible()).toBe(true);
  });

  it('has no serious or critical accessibility violations and made no network request', () => {
    expect(Object.keys(violations).sort()).toEqual(
      ['batch-running', 'batches', 'deadlines', 'documents', 'export', 'ledger', 'quarantine', 'quarantine-release'].filter(
        (v) => bridge.hasDrive || v !== 'export',
      ),
    );
    expect(violations).toEqual(Object.fromEntries(Object.keys(violations).map((k) => [k, []])));
    expect(offsite).toEqual([]);
  });
});

describe('the documents table at 10,000 records', () => {
  let bridge: UiBridge;
  let browser: Browser;

  beforeAll(async () => {
    // 10,000 distinct records, taken in without extraction and paused, so the table is all there is to see.
    const dataDir = tempDir('custodian-ui-10k-');
    const folder = path.join(tempDir('custodian-10k-in-'), 'box-17');
    mkdirSync(folder);
    for (let i = 0; i < 10_000; i++) writeFileSync(path.join(folder, `scan-${String(i).padStart(5, '0')}.pdf`), `%PDF-1.4\n% record ${i}\n%%EOF\n`);
    const ingest = runCli(['--data-dir', dataDir, '--json', 'ingest', '--no-extract', folder]);
    expect(ingest.code).toBe(0);
    const { batchId } = JSON.parse(ingest.stdout) as { batchId: string };
    expect(runCli(['--data-dir', dataDir, 'batch', 'pause', batchId]).code).toBe(0);
    bridge = await startUiBridge(dataDir);
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await bridge?.stop();
  });

  it('renders only the rows in view, scrolls to the last record, and filters', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(bridge.url);
    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Documents' }).click();
    await expect.poll(() => page.getByRole('search').getByRole('status').textContent(), { timeout: 30_000 }).toBe('10,000 of 10,000');
    const grid = page.getByRole('grid', { name: 'Documents' });
    expect(await grid.getAttribute('aria-rowcount')).toBe('10001');
    // Virtualized: a screenful of rows (plus overscan) in the DOM, not ten thousand.
    expect(await grid.getByRole('row').count()).toBeLessThan(60);
    // From the keyboard: focus the rows, End goes to the last record, which is selected and shown.
    await grid.getByRole('rowgroup', { name: /Document rows/ }).focus();
    await page.keyboard.press('End');
    await expect.poll(() => grid.getByRole('row', { selected: true }).textContent()).toContain('scan-09999.pdf');
    await expect
      .poll(() => page.getByRole('complementary', { name: 'Document detail' }).getByRole('heading', { name: 'scan-09999.pdf' }).isVisible())
      .toBe(true);
    expect(await grid.getByRole('row').count()).toBeLessThan(60);
    await screenshot(page, 'documents-10k');
    await page.getByLabel('Search').fill('scan-0420');
    await expect.poll(() => page.getByRole('search').getByRole('status').textContent()).toBe('10 of 10,000');
    expect(await axeViolations(page)).toEqual([]);
  });
});

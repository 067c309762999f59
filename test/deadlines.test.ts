import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, realPng, tempDir, write } from './helpers/fixtures.js';
import { events, rows, testEngine } from './helpers/engine.js';
import { onlyJson, runCli } from './helpers/cli.js';
import { addDays, localDateOf } from '../src/core/deadlines/civil-date.js';
import { EngineError } from '../src/core/index.js';

const today = localDateOf(new Date());

/** A folder of `n` distinct small scans. */
function scans(n: number, prefix: string): string {
  const dir = tempDir('custodian-drop-');
  for (let i = 0; i < n; i++) write(path.join(dir, `${prefix}-${i}.png`), realPng(24));
  return dir;
}

describe('records requests and deadline-first processing', () => {
  it("processes the most urgent request's documents first in a real pool, without starving work of no request", async () => {
    const engine = testEngine({ workers: 1, extract: false });
    engine.requests.add({ id: 'LATE', jurisdiction: 'us-federal', received: addDays(today, -26) });
    engine.requests.add({ id: 'FRESH', jurisdiction: 'us-federal', received: today });
    // Queued in the opposite order of urgency: no request, the fresh request, then the nearly due one.
    await engine.ingest([scans(3, 'none')]);
    await engine.ingest([scans(3, 'fresh')], { requestId: 'FRESH' });
    await engine.ingest([scans(3, 'late')], { requestId: 'LATE' });
    await engine.close();

    const worker = testEngine({ dataDir: engine.dataDir, workers: 1 });
    await worker.resume();
    const leased = rows<{ request: string | null }>(
      worker,
      `SELECT j.request_id AS request FROM ledger l JOIN jobs j ON j.id = json_extract(l.payload, '$.jobId') WHERE l.type = 'job.leased' ORDER BY l.seq`,
    ).map((r) => r.request ?? 'none');
    // LATE is due within days; work of no request ages to today + 10 days; FRESH is due in about four weeks.
    expect(leased).toEqual(['LATE', 'LATE', 'LATE', 'none', 'none', 'none', 'FRESH', 'FRESH', 'FRESH']);
  });

  it('attaches a batch and its duplicates to a request and counts its unprocessed documents', async () => {
    const engine = testEngine({ extract: false });
    engine.requests.add({ id: 'R-1', jurisdiction: 'us-tx', received: addDays(today, -2) });
    const dir = scans(2, 'a');
    await engine.ingest([dir]);
    await engine.ingest([dir], { requestId: 'R-1' }); // the same bytes again, now for the request
    const [row] = engine.requests.deadlineReport();
    expect(row).toMatchObject({ requestId: 'R-1', documents: 2, unprocessedDocuments: 2, unprocessedPages: 2 });
    await engine.close();
    const worker = testEngine({ dataDir: engine.dataDir });
    await worker.resume();
    expect(worker.requests.deadlineReport()[0]).toMatchObject({ documents: 2, unprocessedDocuments: 0, unprocessedPages: 0 });
  });

  it('refuses an ingest for an unknown request, an extension beyond the jurisdiction, and tolling where none is allowed', async () => {
    const engine = testEngine({ extract: false });
    await expect(engine.ingest([scans(1, 'x')], { requestId: 'NOPE' })).rejects.toThrow(/No request NOPE/);
    engine.requests.add({ id: 'F', jurisdiction: 'us-federal', received: today });
    engine.requests.extend('F', { days: 6, reason: 'unusual circumstances' });
    expect(() => engine.requests.extend('F', { days: 5, reason: 'more' })).toThrow(/allows 10 extension day/);
    engine.requests.add({ id: 'C', jurisdiction: 'us-ca', received: today });
    expect(() => engine.requests.toll('C', { from: today, reason: 'x' })).toThrow(EngineError);
    engine.requests.toll('F', { from: today, reason: 'asked the requester for information' });
    engine.requests.resume('F', today);
    // Federal FOIA lets the clock stop once for an information request.
    expect(() => engine.requests.toll('F', { from: today, reason: 'again' })).toThrow(/1 time/);
    expect(events(engine, 'request.extended')).toEqual([{ requestId: 'F', days: 6, reason: 'unusual circumstances' }]);
  });

  it('writes one escalation per crossing, not one per query, and a closure day recomputes the due date', async () => {
    const engine = testEngine({ extract: false });
    engine.requests.add({ id: 'A', jurisdiction: 'us-ny', received: addDays(today, -30) });
    engine.requests.deadlineReport();
    engine.requests.deadlineReport();
    expect(events(engine, 'deadline.overdue')).toHaveLength(1);
    expect(events(engine, 'deadline.at-risk')).toHaveLength(0);
    // Looking at another day records nothing.
    engine.requests.deadlineReport({ asOf: addDays(today, 5) });
    expect(rows(engine, `SELECT 1 FROM ledger WHERE type LIKE 'deadline.%'`)).toHaveLength(1);

    engine.requests.add({ id: 'B', jurisdiction: 'us-federal', received: '2026-03-06' });
    const before = engine.requests.deadlineReport({ asOf: '2026-03-10' }).find((d) => d.requestId === 'B')!.dueDate;
    engine.requests.addClosureDay({ jurisdiction: 'us-federal', date: '2026-03-20', reason: 'building closed: burst pipe' });
    const after = engine.requests.deadlineReport({ asOf: '2026-03-10' }).find((d) => d.requestId === 'B')!.dueDate;
    expect([before, after]).toEqual(['2026-04-03', '2026-04-06']);
  });

  it("recomputes open requests when a jurisdiction's holiday rules change", async () => {
    const dir = tempDir('custodian-jurisdictions-');
    cpSync(path.join(REPO, 'resources', 'jurisdictions'), dir, { recursive: true });
    const engine = testEngine({ extract: false, jurisdictionsDir: dir });
    engine.requests.add({ id: 'B', jurisdiction: 'us-federal', received: '2026-03-06' });
    expect(engine.requests.deadlineReport({ asOf: '2026-03-10' })[0]!.dueDate).toBe('2026-04-03');
    await engine.close();
    // A new holiday by statute (say, a day of mourning on 2026-03-16) is one more rule in the file.
    const file = path.join(dir, 'us-federal.json');
    const data = JSON.parse(readFileSync(file, 'utf8')) as { holidays: { days: { name: string; rule: string }[] } };
    data.holidays.days.push({ name: 'National Day of Mourning', rule: '2026-03-16' });
    writeFileSync(file, JSON.stringify(data));
    const reopened = testEngine({ dataDir: engine.dataDir, extract: false, jurisdictionsDir: dir });
    expect(reopened.requests.deadlineReport({ asOf: '2026-03-10' })[0]!.dueDate).toBe('2026-04-06');
  });

  it('warns of a backlog when the unprocessed pages, at the measured rate, would miss the due date', async () => {
    const engine = testEngine();
    await engine.ingest([scans(6, 'measured')]); // gives the measured pages per minute
    engine.requests.add({ id: 'LATE', jurisdiction: 'us-ny', received: addDays(today, -30) });
    await engine.close();
    const intakeOnly = testEngine({ dataDir: engine.dataDir, extract: false });
    await intakeOnly.ingest([scans(2, 'pending')], { requestId: 'LATE' });
    const [row] = intakeOnly.requests.deadlineReport();
    expect(row).toMatchObject({ requestId: 'LATE', status: 'overdue', unprocessedPages: 2 });
    expect(row!.backlogWarning).toMatch(/2 page\(s\) left at \d+ pages\/min .* will not be done by the end of \d{4}-\d{2}-\d{2}/);
  });
});

describe('custodian request / deadlines (CLI)', () => {
  it('adds, tolls, extends and lists requests; deadlines --json has the documented fields; bad input exits 1', () => {
    const dataDir = tempDir('custodian-data-');
    const cli = (...args: string[]) => runCli(['--data-dir', dataDir, ...args]);
    expect(cli('request', 'add', 'FOIA-1', '--jurisdiction', 'us-federal', '--received', '2026-03-06T23:30', '--title', 'Budget memos').code).toBe(0);
    expect(cli('request', 'toll', 'FOIA-1', '--from', '2026-03-12', '--to', '2026-03-18', '--reason', 'asked to narrow').code).toBe(0);
    const extended = cli('--json', 'request', 'extend', 'FOIA-1', '--days', '10', '--reason', 'unusual circumstances');
    expect(onlyJson(extended.stdout)).toMatchObject({ id: 'FOIA-1', received: '2026-03-06', extensionDays: 10, dueDate: '2026-04-24' });
    const d = onlyJson<{ deadlines: Record<string, unknown>[] }>(cli('--json', 'deadlines', '--as-of', '2026-04-20').stdout).deadlines[0]!;
    expect(d).toMatchObject({
      requestId: 'FOIA-1',
      jurisdiction: 'us-federal',
      received: '2026-03-06',
      dueDate: '2026-04-24',
      daysElapsed: 26,
      daysRemaining: 4,
      status: 'at-risk',
    });
    expect(Object.keys(d)).toEqual(expect.arrayContaining(['percentUsed', 'unprocessedDocuments', 'backlogWarning']));

    const refused = cli('request', 'extend', 'FOIA-1', '--days', '1', '--reason', 'more');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/allows 10 extension day/);
    expect(cli('request', 'add', 'X', '--jurisdiction', 'us-zz', '--received', '2026-03-06').stderr).toMatch(/No jurisdiction us-zz/);
    expect(cli('request', 'add', 'Y', '--jurisdiction', 'us-tx', '--received', '2026-02-30').stderr).toMatch(/no such date/);
    expect(cli('request', 'list').stdout).toMatch(/FOIA-1 +us-federal +received 2026-03-06/);
  });
});

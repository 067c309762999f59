import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, onlyJson, runCli } from './helpers/cli.js';
import { events, rows, testEngine } from './helpers/engine.js';
import { realPng, scriptedOcr, tempDir, write } from './helpers/fixtures.js';

/** A clock the test moves by hand, in local time. */
function movableClock(start: Date) {
  let now = start;
  return { clock: { now: () => now }, set: (d: Date) => (now = d) };
}
const at = (date: string, time: string): Date => new Date(`${date}T${time}:00`);

function* days(from: string, to: string): Generator<string> {
  for (let d = new Date(`${from}T12:00:00`); d <= new Date(`${to}T12:00:00`); d.setDate(d.getDate() + 1)) {
    yield `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  }
}

describe('deadline sweep', () => {
  it('writes each crossing once, on the right business day: across midnights, a weekend, Veterans Day and Thanksgiving', () => {
    // FOIA, received Monday 2026-11-02: 20 business days, due 2026-12-02. Business day 16 (80%) is Wednesday
    // 2026-11-25; Thursday is Thanksgiving, then a weekend; the 21st business day is 2026-12-03.
    const { clock, set } = movableClock(at('2026-11-02', '09:00'));
    const engine = testEngine({ clock });
    engine.requests.add({ id: 'F-1', jurisdiction: 'us-federal', received: '2026-11-02', supervisor: 'R. Chief' });
    const written: { when: string; type: string }[] = [];
    for (const day of days('2026-11-02', '2026-12-07')) {
      for (const time of ['00:01', '09:00', '23:59']) {
        set(at(day, time));
        for (const e of engine.requests.sweep().escalated) written.push({ when: `${day} ${time}`, type: e.level });
        // A second sweep in the same minute (the app and a scheduled CLI sweep) writes nothing more.
        expect(engine.requests.sweep().escalated).toEqual([]);
      }
    }
    expect(written).toEqual([
      { when: '2026-11-25 00:01', type: 'at-risk' },
      { when: '2026-12-03 00:01', type: 'overdue' },
    ]);
    expect(events(engine, 'deadline.at-risk')).toEqual([
      expect.objectContaining({ requestId: 'F-1', percentUsed: 80, cause: 'window', supervisor: 'R. Chief', dueDate: '2026-12-02' }),
    ]);
    expect(events(engine, 'deadline.overdue')).toHaveLength(1);
  });

  it('escalates a request whose unprocessed pages will not be done before 80% of its window', async () => {
    const { clock, set } = movableClock(at('2026-11-02', '09:00'));
    const dataDir = tempDir();
    const engine = testEngine({ clock, dataDir });
    engine.requests.setOfficeSupervisor('Office Head');
    engine.requests.add({ id: 'F-2', jurisdiction: 'us-federal', received: '2026-11-02' });
    const done = tempDir();
    for (let i = 0; i < 6; i++) write(path.join(done, `d${i}.png`), realPng(32));
    await engine.ingest([done], { requestId: 'F-2' });
    // The pace measured over the last pages: one page a day (a stalled machine, a huge backlog).
    engine.db.prepare(`UPDATE pages SET duration_ms = 86400000`).run();
    const waiting = tempDir();
    for (let i = 0; i < 400; i++) write(path.join(waiting, `w${i}.png`), realPng(16));
    const later = testEngine({ clock, dataDir, extract: false });
    await later.ingest([waiting], { requestId: 'F-2' });
    set(at('2026-11-03', '09:00'));
    const swept = later.requests.sweep();
    expect(swept.escalated).toEqual([{ requestId: 'F-2', level: 'at-risk' }]);
    expect(events(later, 'deadline.at-risk')).toEqual([expect.objectContaining({ requestId: 'F-2', cause: 'projected', supervisor: 'Office Head' })]);
    // The clock itself is still on track; the escalation is about the work.
    expect(later.requests.deadlineReport()[0]).toMatchObject({ status: 'on-track' });
  });

  it('an acknowledgement leaves the inbox and the report says which escalations no one acknowledged', async () => {
    const { clock, set } = movableClock(at('2026-11-02', '09:00'));
    const engine = testEngine({ clock });
    engine.requests.add({ id: 'F-3', jurisdiction: 'us-federal', received: '2026-11-02' });
    set(at('2026-11-25', '08:00'));
    engine.requests.sweep();
    expect(engine.requests.escalations()).toEqual([{ requestId: 'F-3', level: 'at-risk', supervisor: null, title: null }]);
    const first = await engine.audit.exportReport({}, tempDir());
    expect(first.facts.escalations).toEqual([expect.objectContaining({ requestId: 'F-3', type: 'deadline.at-risk', acknowledged: false })]);
    expect(first.facts.unacknowledgedEscalations).toHaveLength(1);

    expect(() => engine.requests.acknowledge('F-3', '  ')).toThrow(/note is required/u);
    engine.requests.acknowledge('F-3', 'two clerks on it until Friday');
    expect(engine.requests.escalations()).toEqual([]);
    expect(events(engine, 'deadline.acknowledged')).toEqual([
      expect.objectContaining({ requestId: 'F-3', level: 'at-risk', note: 'two clerks on it until Friday' }),
    ]);
    const second = await engine.audit.exportReport({}, tempDir());
    expect(second.facts.escalations).toEqual([expect.objectContaining({ requestId: 'F-3', acknowledged: true })]);
    expect(second.facts.unacknowledgedEscalations).toEqual([]);

    // Overdue is a new escalation: it waits for its own acknowledgement.
    set(at('2026-12-03', '00:01'));
    engine.requests.sweep();
    expect(engine.requests.escalations()).toEqual([expect.objectContaining({ requestId: 'F-3', level: 'overdue' })]);
  });

  it('writes an escalation once when several sweeps run at the same moment (the app and scheduled CLI sweeps)', async () => {
    const data = tempDir();
    // Overdue on the real clock: received long ago.
    expect(runCli(['--data-dir', data, 'request', 'add', 'F-4', '--jurisdiction', 'us-federal', '--received', '2026-01-05']).code).toBe(0);
    const sweeps = Array.from(
      { length: 5 },
      () =>
        new Promise<{ code: number | null; out: string }>((resolve) => {
          const child = spawn(process.execPath, [BIN, '--data-dir', data, '--json', 'deadlines', 'sweep'], {
            env: { ...process.env, CUSTODIAN_OCR_ADAPTER: scriptedOcr() },
          });
          let out = '';
          child.stdout.on('data', (d: Buffer) => (out += d.toString()));
          child.on('close', (code) => resolve({ code, out }));
        }),
    );
    const inProcess = testEngine({ dataDir: data }).requests.sweep();
    const results = await Promise.all(sweeps);
    expect(results.map((r) => r.code)).toEqual([0, 0, 0, 0, 0]);
    const writers = results.filter((r) => onlyJson<{ escalated: unknown[] }>(r.out).escalated.length > 0).length + (inProcess.escalated.length > 0 ? 1 : 0);
    expect(writers).toBe(1);
    const engine = testEngine({ dataDir: data });
    expect(rows(engine, `SELECT type FROM ledger WHERE type LIKE 'deadline.%'`)).toEqual([{ type: 'deadline.overdue' }]);
  });
});

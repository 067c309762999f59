import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { digest, scanImage, tempDir, textPdf, write } from './helpers/fixtures.js';
import { events, rows, testEngine } from './helpers/engine.js';
import { onlyJson, runCli } from './helpers/cli.js';

const SSN = '536-22-1234';

function folder(files: Record<string, Uint8Array>): string {
  const dir = tempDir('custodian-drop-');
  for (const [name, bytes] of Object.entries(files)) write(path.join(dir, name), bytes);
  return dir;
}

const laneOf = (engine: ReturnType<typeof testEngine>, name: string) => engine.documents.list().find((d) => path.basename(d.path) === name)!.lane;

describe('sensitive content, end to end', () => {
  it('reads identifiers and markings off scanned images with real OCR and puts each document in its lane', async () => {
    const engine = testEngine({ realOcr: true });
    const dir = folder({
      'memo.png': await scanImage(['Personnel action, employee record', `SSN ${SSN}`, 'Contact: (202) 555-0143, jane.doe@agency.gov']),
      'cable.png': await scanImage(['SECRET//NOFORN', '(S//NF) The source reported on the meeting.']),
      'minutes.png': await scanImage(['Minutes of the records committee', 'The secret of a good archive is its index.']),
    });
    const summary = await engine.ingest([dir]);
    expect(summary.jobs).toMatchObject({ done: 3, quarantined: 0 });
    expect([laneOf(engine, 'memo.png'), laneOf(engine, 'cable.png'), laneOf(engine, 'minutes.png')]).toEqual(['pii', 'classified', 'public']);

    const memo = engine.documents.list().find((d) => d.lane === 'pii')!;
    const findings = engine.sensitive.findings(String(memo.id));
    expect(findings.map((f) => f.type).sort()).toEqual(['email', 'phone', 'ssn']);
    for (const f of findings) {
      expect(f.bbox).not.toBeNull();
      expect(f.suggestedExemption).toBe('(b)(6)');
    }
    const cable = engine.documents.list().find((d) => d.lane === 'classified')!;
    expect(engine.sensitive.findings(String(cable.id)).map((f) => [f.type, f.suggestedExemption])).toContainEqual(['classification-marking', '(b)(1)']);

    // Counts, types and hashes only: no identifier or marking text in the ledger.
    const ledger = rows<{ payload: string }>(engine, 'SELECT payload FROM ledger')
      .map((r) => r.payload)
      .join('\n');
    for (const secret of [SSN, SSN.replaceAll('-', ''), '555-0143', 'jane.doe', 'NOFORN', 'source reported']) expect(ledger).not.toContain(secret);
    expect(
      events(engine, 'document.lane-raised')
        .map((e) => e.to)
        .sort(),
    ).toEqual(['classified', 'pii']);
  }, 180_000);
});

describe('lane separation in the pools', () => {
  it('runs each lane on its own threads, and retires a thread that held a document later found restricted', async () => {
    // (The thread that finds the identifier retires itself; a thread that only held another page of the
    // document is refused its next task — see extract-task.test.ts.)
    // One thread at a time makes the order of pages, and so which thread saw what, deterministic.
    const engine = testEngine({ workers: 1 });
    const dir = folder({
      'public-a.pdf': await textPdf(['Minutes of the records committee', 'Second page', 'Third page']),
      'mixed.pdf': await textPdf(['Cover letter', `Employee SSN ${SSN}`, 'Closing page', 'Appendix']),
      'secret.pdf': await textPdf(['TOP SECRET\nThe plan']),
      'public-b.pdf': await textPdf(['Annual report', 'Budget table']),
    });
    await engine.ingest([dir]);
    expect(laneOf(engine, 'mixed.pdf')).toBe('pii');
    expect(laneOf(engine, 'secret.pdf')).toBe('classified');
    expect(laneOf(engine, 'public-b.pdf')).toBe('public');

    const pages = rows<{ doc: number; lane: string; thread: number; startedMs: number }>(
      engine,
      `SELECT json_extract(payload, '$.documentId') AS doc, json_extract(payload, '$.lane') AS lane, json_extract(payload, '$.threadId') AS thread,
              unixepoch(ts, 'subsec') * 1000 - json_extract(payload, '$.wallMs') AS startedMs
         FROM ledger WHERE type IN ('page.extracted', 'document.planned') ORDER BY seq`,
    );
    // Every thread served exactly one lane.
    const lanesOfThread = new Map<number, Set<string>>();
    for (const p of pages) lanesOfThread.set(p.thread, (lanesOfThread.get(p.thread) ?? new Set()).add(p.lane));
    for (const [thread, lanes] of lanesOfThread) expect([...lanes], `thread ${thread}`).toHaveLength(1);
    // A thread that held a page of mixed.pdf in the public lane starts nothing once the document is raised
    // (work it had already started then finishes).
    const mixedId = engine.documents.list().find((d) => path.basename(d.path) === 'mixed.pdf')!.id;
    const raisedAt = rows<{ ms: number }>(
      engine,
      `SELECT unixepoch(ts, 'subsec') * 1000 AS ms FROM ledger WHERE type = 'document.lane-raised' AND json_extract(payload, '$.documentId') = ?`,
      mixedId,
    )[0]!.ms;
    const exposed = new Set(pages.filter((p) => p.doc === mixedId && p.lane === 'public').map((p) => p.thread));
    expect(exposed.size).toBeGreaterThan(0);
    for (const p of pages.filter((q) => q.startedMs > raisedAt + 5)) expect(exposed.has(p.thread), `thread ${p.thread} reused`).toBe(false);
    expect(events(engine, 'pool.lane-started').map((e) => e.lane)).toEqual(expect.arrayContaining(['pii', 'public']));
    expect(events(engine, 'breaker.opened')).toHaveLength(0);
  });
});

describe('lanes at intake, operator decisions and the redaction hand-off (CLI)', () => {
  it('sets lanes from --lane and the custody manifest, lowers only with a reason, lists findings and exports worklists', async () => {
    const dataDir = tempDir('custodian-data-');
    const cli = (...args: string[]) => runCli(['--data-dir', dataDir, ...args]);
    const memo = await textPdf([`Payroll record, SSN ${SSN}`]);
    const plain = await textPdf(['Public notice of a hearing']);
    const manifestDir = folder({ 'notice.pdf': plain });
    write(path.join(manifestDir, 'custody-manifest.csv'), `path,sha256,retention,lane\nnotice.pdf,${digest(plain)},active,pii\n`);
    const run = cli('--json', 'ingest', folder({ 'memo.pdf': memo }));
    expect(`${run.stdout}${run.stderr}`).not.toContain('1234'); // summary and progress: counts only
    const batch = onlyJson<{ batchId: string }>(run.stdout);
    cli('ingest', manifestDir);
    cli('ingest', '--lane', 'classified', folder({ 'briefing.pdf': await textPdf(['Agenda for Tuesday']) }));

    const docs = onlyJson<{ documents: { id: number; path: string; lane: string }[] }>(cli('--json', 'docs').stdout).documents;
    const lane = (name: string) => docs.find((d) => path.basename(d.path) === name)!;
    expect([lane('memo.pdf').lane, lane('notice.pdf').lane, lane('briefing.pdf').lane]).toEqual(['pii', 'pii', 'classified']);

    const findings = onlyJson<{ findings: Record<string, unknown>[] }>(cli('--json', 'findings', String(lane('memo.pdf').id)).stdout).findings;
    expect(findings).toEqual([expect.objectContaining({ type: 'ssn', page: 1, suggestedExemption: '(b)(6)', confidence: expect.any(Number) })]);
    expect(JSON.stringify(findings)).not.toContain('1234');

    expect(cli('lane', 'set', String(lane('notice.pdf').id), 'public').code).toBe(1); // --reason is required
    expect(cli('lane', 'set', String(lane('notice.pdf').id), 'public', '--reason', 'notice is published in the register').code).toBe(0);

    const out = path.join(tempDir('custodian-out-'), 'worklists');
    const exported = onlyJson<{ documents: number; findings: number }>(cli('--json', 'redaction', 'export', '--batch', batch.batchId, '--out', out).stdout);
    expect(exported).toMatchObject({ documents: 1, findings: 1 });
    const files = readdirSync(out).sort();
    expect(files).toEqual([`${digest(memo)}.json`, 'summary.json']);
    const worklist = JSON.parse(readFileSync(path.join(out, files[0]!), 'utf8')) as { document: { sha256: string }; findings: { type: string }[] };
    expect(worklist.document.sha256).toBe(digest(memo));
    expect(worklist.findings.map((f) => f.type)).toEqual(['ssn']);
    expect(readFileSync(path.join(out, files[0]!), 'utf8')).not.toContain(SSN);
  });
});

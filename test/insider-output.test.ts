import { copyFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { onlyJson, runCli } from './helpers/cli.js';
import { controlTextPdf } from './helpers/control-text-pdf.js';
import { corpus, realPng, tempDir, textPdf, write } from './helpers/fixtures.js';
import { openRawDatabase } from './helpers/raw-db.js';

// Issue 14, attacks 6 (the `text` part) and 7: what the CLI prints to a clerk's terminal. Human output must
// show every control and bidi override as a visible escape; `--json` must keep the exact bytes.

/** Characters a terminal would act on; none may reach stdout of a human-output command raw. */
const RAW_CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u;

const HOSTILE_NAMES = [
  'clear\u001b[2Jscreen.pdf',
  'title\u001b]0;you have been pwned\u0007.pdf',
  'carriage\rOVERWRITTEN.pdf',
  'two\nlines.pdf',
  'invoice\u202efdp.exe',
];

function ingest(dataDir: string, folder: string): void {
  const run = runCli(['--data-dir', dataDir, 'ingest', folder]);
  expect(run.code, run.stderr).toBe(0);
}

describe('attack 7: terminal escapes in file names and text layers', () => {
  it('docs and quarantine show hostile file names escaped, one line each; --json keeps them exact', async () => {
    const dataDir = tempDir();
    const folder = tempDir();
    const names = HOSTILE_NAMES.map((name, i) => {
      // Registered by content, whatever the name; the broken PDFs are then quarantined in processing.
      if (name.endsWith('.exe')) write(path.join(folder, name), realPng(64));
      else write(path.join(folder, name), Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.from(`broken ${i}`)]));
      return name;
    });
    ingest(dataDir, folder);

    const docs = runCli(['--data-dir', dataDir, 'docs']);
    expect(docs.code, docs.stderr).toBe(0);
    expect(docs.stdout).not.toMatch(RAW_CONTROLS);
    expect(docs.stdout).toContain('invoice\\u202efdp.exe');
    expect(docs.stdout).toContain('two\\u000alines.pdf');
    expect(docs.stdout.trim().split('\n')).toHaveLength(1 + names.length); // a header, then one line per document
    const quarantine = runCli(['--data-dir', dataDir, 'quarantine']);
    expect(quarantine.code, quarantine.stderr).toBe(0);
    expect(quarantine.stdout).not.toMatch(RAW_CONTROLS);
    expect(quarantine.stdout).toContain('clear\\u001b[2Jscreen.pdf');
    expect(quarantine.stdout).toContain('title\\u001b]0;you have been pwned\\u0007.pdf');
    expect(quarantine.stdout).toContain('carriage\\u000dOVERWRITTEN.pdf');
    expect(quarantine.stdout).toContain('two\\u000alines.pdf');
    // A newline in a name cannot forge a line: each item is its two lines, no more.
    const held = onlyJson<{ items: { path: string }[] }>(runCli(['--data-dir', dataDir, '--json', 'quarantine']).stdout).items;
    expect(quarantine.stdout.trim().split('\n')).toHaveLength(held.length * 2);

    const json = onlyJson<{ documents: { path: string }[] }>(runCli(['--data-dir', dataDir, '--json', 'docs']).stdout);
    expect(json.documents.map((d) => path.basename(d.path)).sort()).toEqual([...names].sort());
    expect(held.map((q) => path.basename(q.path)).sort()).toEqual(names.slice(0, 4).sort());
  });

  it('text escapes controls a PDF text layer carries; --json returns the stored text exactly', () => {
    const dataDir = tempDir();
    const folder = tempDir();
    const hostile = 'The clerk read \u001b[2J\u001b]0;pwned\u0007 the agenda aloud.';
    write(
      path.join(folder, 'minutes.pdf'),
      controlTextPdf(`Minutes of the records committee meeting held on Tuesday.\n${hostile}\nAll members were present and the motion carried.`),
    );
    ingest(dataDir, folder);

    const text = runCli(['--data-dir', dataDir, 'text', '1']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).not.toMatch(RAW_CONTROLS);
    expect(text.stdout).toContain('The clerk read \\u001b[2J\\u001b]0;pwned\\u0007 the agenda aloud.');
    // The text's own line breaks stay line breaks.
    expect(text.stdout).toContain('held on Tuesday.\nThe clerk read');
    const [page] = onlyJson<{ pages: { text: string }[] }>(runCli(['--data-dir', dataDir, '--json', 'text', '1']).stdout).pages;
    expect(page!.text).toContain(hostile);
  });

  it('an error message naming a hostile argument is escaped too', () => {
    const run = runCli(['--data-dir', tempDir(), 'text', 'no\u001b[2Jsuch']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('no\\u001b[2Jsuch');
    expect(run.stderr).not.toMatch(RAW_CONTROLS);
  });
});

describe('attack 6: `custodian text` of a restricted document', () => {
  it('refuses a pii-lane document without --reason and writes no viewing; with a reason prints it and records the viewing', async () => {
    const dataDir = tempDir();
    const folder = tempDir();
    write(path.join(folder, 'payroll.pdf'), await textPdf(['Payroll record for the quarter, employee SSN 536-22-1234, grade 11']));
    copyFileSync(corpus('pdfs', 'trivial.pdf'), path.join(folder, 'trivial.pdf'));
    ingest(dataDir, folder);
    const docs = onlyJson<{ documents: { id: number; lane: string; path: string }[] }>(runCli(['--data-dir', dataDir, '--json', 'docs']).stdout).documents;
    const payroll = docs.find((d) => d.path.endsWith('payroll.pdf'))!;
    const trivial = docs.find((d) => d.path.endsWith('trivial.pdf'))!;
    expect(payroll.lane).toBe('pii');
    const viewings = () => {
      const db = openRawDatabase(dataDir, { readonly: true });
      try {
        return db.prepare(`SELECT payload FROM ledger WHERE type = 'document.restricted-viewed'`).pluck().all() as string[];
      } finally {
        db.close();
      }
    };

    const refused = runCli(['--data-dir', dataDir, 'text', String(payroll.id)]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).not.toContain('536-22-1234');
    expect(refused.stderr).toMatch(/pii lane.*--reason/);
    expect(runCli(['--data-dir', dataDir, '--json', 'text', String(payroll.id)]).stdout).not.toContain('536-22');
    expect(viewings()).toEqual([]);

    const read = runCli(['--data-dir', dataDir, 'text', String(payroll.id), '--reason', 'FOIA 2026-114 review']);
    expect(read.code, read.stderr).toBe(0);
    expect(read.stdout).toContain('536-22-1234');
    expect(viewings().map((p) => JSON.parse(p) as { documentId: number; lane: string })).toEqual([
      expect.objectContaining({ documentId: payroll.id, lane: 'pii' }),
    ]);

    // A public document needs no reason and leaves no viewing.
    expect(runCli(['--data-dir', dataDir, 'text', String(trivial.id)]).code).toBe(0);
    expect(viewings()).toHaveLength(1);
  });
});

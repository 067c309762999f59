/**
 * Full disk: the data dir on a 400 KiB tmpfs (its own mount namespace), filled by an intake. The run stops
 * with a clear message and exit 1, the database and ledger stay intact, and once the filesystem is grown
 * (space freed) `custodian resume` finishes the batch.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN } from './helpers/cli.js';
import { REPO, scriptedOcr, tempDir } from './helpers/fixtures.js';

const canMount = spawnSync('unshare', ['-m', 'true']).status === 0;

describe.runIf(canMount)('full disk', () => {
  let inbox: string;
  beforeAll(async () => {
    inbox = path.join(tempDir('custodian-full-in-'), 'records');
    mkdirSync(inbox);
    for (let i = 0; i < 60; i++) {
      const pdf = await PDFDocument.create();
      const font = await pdf.embedFont(StandardFonts.Helvetica);
      for (let p = 1; p <= 3; p++)
        pdf.addPage([612, 792]).drawText(`Record ${i}, page ${p}: ${'the council approved the minutes. '.repeat(4)}`, { x: 40, y: 700, size: 9, font });
      writeFileSync(path.join(inbox, `record-${i}.pdf`), await pdf.save());
    }
  });

  it('stops with a clear message, corrupts nothing, and finishes with resume once there is space', () => {
    const data = tempDir('custodian-full-data-');
    const cli = `'${process.execPath}' '${BIN}' --data-dir '${data}'`;
    // Integrity of the SQLite file itself, checked inside the namespace where the tmpfs is visible.
    const integrity = `'${process.execPath}' '${path.join(REPO, 'test', 'helpers', 'db-integrity.mjs')}' '${data}'`;
    const script = [
      `mount -t tmpfs -o size=400k tmpfs '${data}'`,
      `${cli} --json ingest '${inbox}' > '${data}.ingest.json' 2> '${data}.ingest.err'; echo "ingest=$?"`,
      `df -k '${data}' | tail -1 | awk '{print "free=" $4}'`,
      integrity,
      `${cli} ledger verify > /dev/null; echo "verify-full=$?"`,
      `mount -o remount,size=64m '${data}'`,
      `${cli} --json resume > '${data}.resume.json'; echo "resume=$?"`,
      `${cli} ledger verify > /dev/null; echo "verify-after=$?"`,
      integrity,
      `${cli} --json docs > '${data}.docs.json'`,
    ].join('\n');
    const r = spawnSync('unshare', ['-m', 'sh', '-c', script], {
      encoding: 'utf8',
      env: { ...process.env, CUSTODIAN_FAILPOINTS: '', CUSTODIAN_OCR_ADAPTER: scriptedOcr() },
    });
    const out = Object.fromEntries([...r.stdout.matchAll(/^([a-z-]+)=(\S+)$/gmu)].map((m) => [m[1], m[2]]));
    expect(out.ingest).toBe('1');
    expect(out.free).toBe('0');
    const err = spawnSync('cat', [`${data}.ingest.err`], { encoding: 'utf8' }).stdout;
    expect(err).toMatch(/disk holding Custodian's data is full\. Nothing recorded so far is lost: free some space, then run `custodian resume`/u);
    const failure = JSON.parse(spawnSync('cat', [`${data}.ingest.json`], { encoding: 'utf8' }).stdout) as { error: { code: string } };
    expect(failure.error.code).toBe('disk-full');
    expect(r.stdout.match(/integrity=(\S+)/gu)).toEqual(['integrity=ok', 'integrity=ok']);
    expect(out['verify-full']).toBe('0');
    expect(out.resume).toBe('0');
    expect(out['verify-after']).toBe('0');
    const { documents } = JSON.parse(spawnSync('cat', [`${data}.docs.json`], { encoding: 'utf8' }).stdout) as { documents: { state: string; pages: number }[] };
    expect(documents).toHaveLength(60);
    expect(documents.every((d) => d.state === 'done' && d.pages === 3)).toBe(true);
    console.log(
      `full disk: 400 KiB data dir filled during a 60-record intake: exit 1 (disk-full), database integrity ok, ledger intact; after space was freed, resume finished 60/60 records (180 pages)`,
    );
  });
});

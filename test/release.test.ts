/**
 * The release through the built CLI, read back with a requester's tools: scans with planted identifiers
 * (real OCR), every finding redacted and a page withheld; pdftotext of every released PDF and tesseract.js on
 * every released page image find none of the planted values and still find a planted ordinary phrase; qpdf
 * checks every file; Bates numbers run consecutively and are in the text; the exemption log lists every box;
 * the raw objects hold no annotation, form, attachment, script, XMP or second revision; `release verify`
 * passes and fails after one byte changes; the export is on the ledger with its manifest hash, then a checkpoint.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultLangPath } from '../src/core/extract/index.js';
import { createOcrAdapter } from '../src/core/extract/tesseract-ocr.js';
import type { DocumentReview } from '../src/shared/types.js';
import { onlyJson, runCli } from './helpers/cli.js';
import { scanImage, suiteTempDir, textPdf, write } from './helpers/fixtures.js';
import { preflightA1b } from './helpers/pdfa-preflight.js';
import { openRawDatabase } from './helpers/raw-db.js';

/** Identifiers planted on the scans, with the forms a reader might find them in. */
const PLANTED = [
  { lines: ['Employee SSN 536-22-1234 on file', 'Card 4556 7375 8689 9855 exp 09/28', 'Phone (202) 555-0143', 'Write to jane.doe7@agency.gov'] },
  { lines: ['Employee SSN 212-56-7890 on file', 'Card 5423 1876 0945 2175 exp 11/27', 'Phone (312) 555-0172', 'Write to r.alvarez3@example.org'] },
];
const SECRETS = [
  '536-22-1234',
  '536221234',
  '4556737586899855',
  '8689',
  '555-0143',
  '5550143',
  'jane.doe7',
  '212-56-7890',
  '212567890',
  '5423187609452175',
  '0945',
  '555-0172',
  'r.alvarez3',
];
const PHRASE = 'The committee reviewed the retention schedule';

let dataDir: string;
const cli = (...args: string[]) => runCli(['--data-dir', dataDir, ...args], { CUSTODIAN_OCR_ADAPTER: '' });
const json = <T>(...args: string[]): T => {
  const r = cli('--json', ...args);
  expect(r.code, r.stderr).toBe(0);
  return onlyJson<T>(r.stdout);
};
/** Digits and letters only, lower case: `536-22-1234` and `536 22 1234` read alike. */
const squash = (s: string): string => s.toLowerCase().replace(/[^a-z0-9@.]/gu, '');
const pdfText = (file: string): string => execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });

describe('release export (issue 16)', () => {
  let out: string;
  let release: string;
  let ids: Record<string, number>;
  beforeAll(async () => {
    dataDir = suiteTempDir('custodian-release-data-');
    const inbox = suiteTempDir('custodian-release-in-');
    for (const [i, p] of PLANTED.entries()) write(path.join(inbox, `scan-${i + 1}.png`), await scanImage([...p.lines, `${PHRASE} ${i + 1}.`], { size: 16 }));
    write(
      path.join(inbox, 'memo.pdf'),
      await textPdf(['Draft memo: internal deliberations on the seawall budget', `Public notice of the hearing. ${PHRASE}.`]),
    );
    expect(cli('request', 'add', 'R-7', '--jurisdiction', 'us-federal', '--received', '2026-11-30').code).toBe(0);
    const r = cli('-q', 'ingest', '--request', 'R-7', inbox);
    expect(r.code, r.stderr).toBe(0);
    const docs = json<{ documents: { id: number; path: string }[] }>('docs').documents;
    ids = Object.fromEntries(docs.map((d) => [path.basename(d.path), d.id]));
    out = suiteTempDir('custodian-release-out-');
  }, 240_000);

  it('refuses while a responsive document is not reviewed, and writes nothing', () => {
    const r = cli('release', 'export', '--request', 'R-7', '--out', out);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /Nothing was released: document \d+ \(memo\.pdf\) is unreviewed; document \d+ \(scan-1\.png\) is unreviewed \(4 finding\(s\) without a decision\)/,
    );
    expect(readdirSync(out)).toEqual([]);
  });

  it('exports the reviewed records: redactions burned in, a page withheld, Bates-numbered, logged and signed', () => {
    for (const name of ['scan-1.png', 'scan-2.png']) {
      const review = json<{ review: DocumentReview }>('review', String(ids[name]), 'redact', '--all').review;
      expect(review.items.map((i) => i.type).sort()).toEqual(['email', 'payment-card', 'phone', 'ssn']);
      json('review', String(ids[name]), 'done');
    }
    json('review', String(ids['memo.pdf']), 'withhold', '--page', '1', '--code', 'b5', '--reason', 'pre-decisional draft');
    json('review', String(ids['memo.pdf']), 'done');
    const r = json<{
      dir: string;
      pages: number;
      batesFirst: string;
      batesLast: string;
      redactions: number;
      withheldPages: number;
      manifestSha256: string;
      byCode: Record<string, number>;
    }>('release', 'export', '--request', 'R-7', '--out', out, '--bates-prefix', 'city');
    release = r.dir;
    expect(r).toMatchObject({
      pages: 4,
      batesFirst: 'CITY-000001',
      batesLast: 'CITY-000004',
      redactions: 8,
      withheldPages: 1,
      byCode: { '(b)(6)': 8, '(b)(5)': 1 },
    });
    expect(readdirSync(release).sort()).toEqual(
      [
        'CITY-000001.pdf',
        'CITY-000003.pdf',
        'CITY-000004.pdf',
        'README.txt',
        'combined.pdf',
        'exemption-log.csv',
        'exemption-log.pdf',
        'manifest-sha256.txt',
        'public-key.pem',
        'release.json',
        'signature.ed25519',
      ].sort(),
    );
    // The ledger: the export with its manifest's hash and Bates range, then a signed checkpoint.
    const db = openRawDatabase(dataDir, { readonly: true });
    try {
      const rows = db
        .prepare("SELECT seq, type, payload FROM ledger WHERE seq >= (SELECT MAX(seq) FROM ledger WHERE type = 'release.exported') ORDER BY seq")
        .all() as {
        type: string;
        payload: string;
      }[];
      expect(rows.map((x) => x.type)).toEqual(['release.exported', 'ledger.checkpoint']);
      expect(JSON.parse(rows[0]!.payload)).toMatchObject({
        requestId: 'R-7',
        batesFirst: 'CITY-000001',
        batesLast: 'CITY-000004',
        manifestSha256: createHash('sha256')
          .update(readFileSync(path.join(release, 'manifest-sha256.txt')))
          .digest('hex'),
      });
      expect(JSON.parse(rows[1]!.payload)).toMatchObject({ reason: 'release' });
    } finally {
      db.close();
    }
    expect(cli('ledger', 'verify').code).toBe(0);
  });

  it('holds none of the planted values in any PDF text, keeps the ordinary text, and numbers pages in order', () => {
    const pdfs = readdirSync(release).filter((f) => f.endsWith('.pdf') && !f.startsWith('exemption'));
    for (const f of pdfs) {
      const text = squash(pdfText(path.join(release, f)));
      for (const s of SECRETS) expect(text, `${f} holds ${s}`).not.toContain(squash(s));
    }
    const combined = pdfText(path.join(release, 'combined.pdf'));
    expect(combined).toContain('retention schedule');
    expect(combined).not.toContain('deliberations');
    expect([...combined.matchAll(/CITY-(\d{6})/gu)].map((m) => Number(m[1]))).toEqual([1, 2, 3, 4]);
    // The withheld page holds nothing of its text: only its Bates number.
    const withheld = execFileSync('pdftotext', ['-f', '1', '-l', '1', path.join(release, 'combined.pdf'), '-'], { encoding: 'utf8' });
    expect(withheld.trim()).toBe('CITY-000001');
  });

  it('shows none of the planted values to OCR on any released page image', async () => {
    const images = suiteTempDir('custodian-release-img-');
    execFileSync('pdfimages', ['-all', path.join(release, 'combined.pdf'), path.join(images, 'p')]);
    const files = readdirSync(images).sort();
    expect(files).toHaveLength(4);
    // The app's own OCR (tesseract.js, PSM 3), as extraction reads a scan.
    const ocr = await createOcrAdapter({ langPath: defaultLangPath() });
    try {
      const texts: string[] = [];
      for (const f of files) texts.push((await ocr.recognize(readFileSync(path.join(images, f)), { dpi: 300 })).text);
      const all = squash(texts.join('\n'));
      for (const s of SECRETS) expect(all).not.toContain(squash(s));
      expect(all).toContain(squash('retention schedule'));
      expect(texts[0]).toMatch(/PAGE WITHHELD IN FULL/);
    } finally {
      await ocr.terminate();
    }
  }, 120_000);

  it('passes qpdf and carries no annotation, form, attachment, script, XMP or later revision', () => {
    for (const f of readdirSync(release).filter((x) => x.endsWith('.pdf'))) {
      const file = path.join(release, f);
      expect(execFileSync('qpdf', ['--check', file], { encoding: 'utf8' })).toMatch(/No syntax or stream encoding errors found/);
      const raw = readFileSync(file).toString('latin1');
      for (const key of ['/Annots', '/AcroForm', '/EmbeddedFile', '/JavaScript', '/JS ', '/OpenAction', '/Metadata', '/Thumb', '/Author'])
        expect(raw, `${f} has ${key}`).not.toContain(key);
      expect(raw.match(/%%EOF/gu)).toHaveLength(1);
      const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
      expect(info).toMatch(/Producer:\s+Custodian\n/u);
      expect(info).toMatch(/Metadata Stream:\s+no/u);
      expect(info).not.toMatch(/scan-|memo|\/tmp|Author/u);
    }
  });

  it('logs every box and withheld page with its Bates page, code and citation', () => {
    const csv = readFileSync(path.join(release, 'exemption-log.csv'), 'utf8').trim().split('\r\n');
    expect(csv[0]).toBe('bates,document_id,document_sha256,source_page,kind,box,exemption,citation,basis,what,reason');
    const rows = csv.slice(1);
    expect(rows).toHaveLength(9);
    const boxes = [ids['scan-1.png'], ids['scan-2.png']].flatMap((id) =>
      json<{ review: DocumentReview }>('review', String(id)).review.items.flatMap((i) => i.boxes.map((b) => b.join(' '))),
    );
    for (const b of boxes) expect(rows.some((r) => r.includes(`,redaction,${b},(b)(6),5 U.S.C. §552(b)(6),`))).toBe(true);
    expect(rows.filter((r) => r.startsWith('CITY-000001,') && r.includes(',withheld-page,,(b)(5),5 U.S.C. §552(b)(5),'))).toHaveLength(1);
    expect(pdfText(path.join(release, 'exemption-log.pdf'))).toMatch(/\(b\)\(6\)\s+8/);
  });

  it('verifies with nothing but the folder, and fails with exit 2 after one byte changes', () => {
    const fingerprint = json<{ fingerprint: string }>('key', 'show').fingerprint;
    expect(runCli(['release', 'verify', release, '--expect-key', fingerprint]).code).toBe(0);
    // Stock tools, as README.txt says.
    expect(execFileSync('sha256sum', ['-c', 'manifest-sha256.txt'], { cwd: release, encoding: 'utf8' })).not.toMatch(/FAILED/);
    const file = path.join(release, 'combined.pdf');
    const bytes = readFileSync(file);
    const at = Math.floor(bytes.length / 2);
    bytes[at] = bytes[at]! ^ 1;
    writeFileSync(file, bytes);
    const r = runCli(['release', 'verify', release]);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/RELEASE DOES NOT VERIFY: combined\.pdf was changed/);
  });

  it('needs an explicit decision on every page of a classified record', async () => {
    const inbox = suiteTempDir('custodian-release-cls-');
    mkdirSync(path.join(inbox, 'box'));
    write(path.join(inbox, 'box', 'cable.pdf'), await textPdf(['SECRET//NOFORN\nThe source reported on the meeting.', 'Logistics of the visit.']));
    expect(cli('request', 'add', 'R-8', '--jurisdiction', 'us-federal', '--received', '2026-11-30').code).toBe(0);
    expect(cli('-q', 'ingest', '--request', 'R-8', path.join(inbox, 'box')).code).toBe(0);
    const id = String(json<{ documents: { id: number; path: string }[] }>('docs').documents.find((d) => d.path.endsWith('cable.pdf'))!.id);
    json('review', id, 'redact', '--all');
    json('review', id, 'done');
    let r = cli('release', 'export', '--request', 'R-8', '--out', out);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/is classified: page\(s\) 1, 2 have no page decision/);
    json('review', id, 'reopen', '--reason', 'page decisions needed');
    json('review', id, 'release-page', '--page', '1', '--reason', 'banner redacted; text declassified');
    json('review', id, 'withhold', '--page', '2', '--code', 'b1', '--reason', 'still classified');
    json('review', id, 'done');
    r = cli('--json', 'release', 'export', '--request', 'R-8', '--out', out);
    expect(r.code, r.stderr).toBe(0);
    const text = pdfText(path.join(onlyJson<{ dir: string }>(r.stdout).dir, 'combined.pdf'));
    expect(text).not.toContain('SECRET');
    expect(text).toContain('The source reported on the meeting.');
    expect(text).not.toContain('Logistics');
  });

  it('exports a searchable PDF for the archive: a scan gains its OCR words, a text-layer PDF keeps its own', () => {
    const dir = suiteTempDir('custodian-searchable-');
    const scan = path.join(dir, 'scan-1.pdf');
    const refused = cli('export', 'pdf', String(ids['scan-1.png']), '--out', scan);
    expect([refused.code, refused.stderr]).toEqual([1, expect.stringMatching(/pii lane; give a reason/)]);
    const r = json<{ pages: number; ocrPagesLayered: number; out: string }>(
      'export',
      'pdf',
      String(ids['scan-1.png']),
      '--out',
      scan,
      '--reason',
      'archive copy',
    );
    expect(r).toMatchObject({ pages: 1, ocrPagesLayered: 1, out: scan });
    // The original, unredacted: its words are searchable where they are.
    const text = pdfText(scan);
    expect(text).toContain('retention schedule');
    expect(squash(text)).toContain(squash('jane.doe7@agency.gov'));
    expect(execFileSync('qpdf', ['--check', scan], { encoding: 'utf8' })).toMatch(/No syntax or stream encoding errors found/);
    const memo = path.join(dir, 'memo.pdf');
    const kept = json<{ textLayerPagesKept: number; pdfa: string | null }>('export', 'pdf', String(ids['memo.pdf']), '--out', memo);
    expect(kept).toMatchObject({ textLayerPagesKept: 2, pdfa: null });
    expect(pdfText(memo)).toContain('internal deliberations');
  });

  it('a scan exported for the archive is PDF/A-2b as far as Preflight can tell: embedded font, sRGB intent, XMP matching /Info', () => {
    const dir = suiteTempDir('custodian-pdfa-');
    const file = path.join(dir, 'scan-1.pdf');
    const r = json<{ pdfa: string | null }>('export', 'pdf', String(ids['scan-1.png']), '--out', file, '--reason', 'archive copy');
    expect(r.pdfa).toBe('PDF/A-2b');
    // Every font's program is in the file (pdffonts: emb yes), the text is Unicode-mapped (uni yes).
    const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' }).trim().split('\n').slice(2);
    expect(fonts.length).toBeGreaterThan(0);
    for (const line of fonts) expect(line).toMatch(/CID TrueType\s+Identity-H\s+yes\s+(yes|no)\s+yes/u);
    const raw = readFileSync(file, 'latin1');
    expect(raw).toMatch(/<pdfaid:part>2<\/pdfaid:part>\s*<pdfaid:conformance>B<\/pdfaid:conformance>/u);
    expect(raw).toMatch(/\/S \/GTS_PDFA1/u);
    expect(raw).toMatch(/\/ID \[ <[0-9A-F]{32}> <[0-9A-F]{32}> \]/iu);
    expect(raw).not.toMatch(/\/SMask|\/ObjStm|\/XRefStm|\/Annots|\/JavaScript|\/EmbeddedFile/u);
    // Preflight validates PDF/A-1b only. The file is written to keep PDF/A-1b's stricter rules as well, so
    // with nothing changed but the part number it must pass; as written, the part is the only complaint.
    const a1b = path.join(dir, 'scan-1-a1b.pdf');
    writeFileSync(a1b, Buffer.from(raw.replace('<pdfaid:part>2</pdfaid:part>', '<pdfaid:part>1</pdfaid:part>'), 'latin1'));
    const verdict = preflightA1b(a1b);
    expect(verdict.valid, verdict.output).toBe(true);
    expect(preflightA1b(file).errors).toEqual(['7.11.2 : Error on MetaData, part must be 1']);
    // Still searchable where the words are, and qpdf finds nothing wrong.
    expect(squash(pdfText(file))).toContain(squash('jane.doe7@agency.gov'));
    expect(execFileSync('qpdf', ['--check', file], { encoding: 'utf8' })).toMatch(/No syntax or stream encoding errors found/);
  });

  it('with --allow-unreviewed and a reason, redacts undecided findings under their suggestions and says so', async () => {
    const inbox = suiteTempDir('custodian-release-unrev-');
    write(path.join(inbox, 'payroll.pdf'), await textPdf(['Payroll record, employee SSN 536-22-1234, grade 11']));
    expect(cli('request', 'add', 'R-9', '--jurisdiction', 'us-federal', '--received', '2026-11-30').code).toBe(0);
    expect(cli('-q', 'ingest', '--request', 'R-9', inbox).code).toBe(0);
    const refused = cli('release', 'export', '--request', 'R-9', '--out', out, '--allow-unreviewed');
    expect([refused.code, refused.stderr]).toEqual([1, expect.stringMatching(/A reason is required/)]);
    const r = json<{ dir: string; redactions: number }>(
      'release',
      'export',
      '--request',
      'R-9',
      '--out',
      out,
      '--allow-unreviewed',
      '--reason',
      'court-ordered production today',
    );
    expect(r.redactions).toBe(1);
    expect(squash(pdfText(path.join(r.dir, 'combined.pdf')))).not.toContain('536221234');
    expect(readFileSync(path.join(r.dir, 'exemption-log.csv'), 'utf8')).toContain('ssn (unreviewed)');
    expect(JSON.parse(readFileSync(path.join(r.dir, 'release.json'), 'utf8'))).toMatchObject({
      unreviewed: { allowed: true, reason: 'court-ordered production today' },
    });
  });
});

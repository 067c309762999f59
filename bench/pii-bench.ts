/**
 * `npm run bench:pii [-- --pages N] [--seed S] [--no-corpus]`: detection figures, not tests.
 *
 * Builds a labeled evaluation set: N pages, each a rendered and degraded "scan" (speckle noise, a slight
 * rotation, binarization) of lines with known identifiers and markings, mixed with negatives (invalid SSNs
 * 000-/666-/9xx-, Luhn-failing card numbers, prose with "secret" and "confidential", an UNCLASSIFIED banner).
 * Runs them through `custodian ingest` (real pool, real tesseract.js OCR), then prints precision and recall
 * per finding type and lane accuracy. Finally runs the test corpus and counts marking findings on its prose.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Engine } from '../src/core/index.js';
import { luhnValid } from '../src/core/sensitive/index.js';
import { packageRoot } from '../src/core/package-paths.js';
import { scanImage } from './scan-image.js';

const { values } = parseArgs({
  allowNegative: true,
  options: { pages: { type: 'string', default: '40' }, seed: { type: 'string', default: '7' }, corpus: { type: 'boolean', default: true } },
});

// A small deterministic generator, so a run can be repeated exactly.
let seed = Number(values.seed);
const rand = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
const digits = (n: number): string => Array.from({ length: n }, () => Math.floor(rand() * 10)).join('');
const between = (lo: number, hi: number): number => lo + Math.floor(rand() * (hi - lo + 1));

type Label = 'ssn' | 'payment-card' | 'phone' | 'email' | 'classification-marking' | 'control-marking';
type Line = { text: string; label: Label | null };

const ssn = (): string =>
  `${String(pick([between(1, 665), between(667, 899)])).padStart(3, '0')}-${String(between(1, 99)).padStart(2, '0')}-${String(between(1, 9999)).padStart(4, '0')}`;
const badSsn = (): string =>
  pick([`000-${digits(2)}-${digits(4)}`, `666-${digits(2)}-${digits(4)}`, `9${digits(2)}-${digits(2)}-${digits(4)}`, `${between(100, 665)}-00-${digits(4)}`]);
function card(valid: boolean): string {
  const [prefix, length] = pick([
    ['4', 16],
    ['51', 16],
    ['55', 16],
    ['37', 15],
    ['6011', 16],
  ] as const);
  let body = prefix + digits(length - prefix.length - 1);
  const check = [...'0123456789'].find((d) => luhnValid(body + d))!;
  body += valid ? check : String((Number(check) + between(1, 9)) % 10);
  const groups = length === 15 ? [4, 6, 5] : [4, 4, 4, 4];
  let at = 0;
  return groups.map((g) => body.slice(at, (at += g))).join(' ');
}
const AREAS = ['202', '212', '213', '312', '305', '404', '415', '503', '512', '602', '617', '713', '720', '804', '919'];
const phone = (): string => {
  const area = pick(AREAS);
  const exchange = `${between(2, 9)}${digits(2)}`.replace(/^(\d)11$/u, '$122');
  const line = digits(4);
  return pick([`(${area}) ${exchange}-${line}`, `${area}-${exchange}-${line}`, `${area}.${exchange}.${line}`]);
};
const NAMES = ['jane.doe', 'r.alvarez', 'mchen', 'foia.officer', 'tkowalski', 'a_smith'];
const DOMAINS = ['agency.gov', 'example.org', 'mail.state.tx.us', 'records.example.com'];
const email = (): string => `${pick(NAMES)}${between(1, 99)}@${pick(DOMAINS)}`;

const PROSE = [
  'The secret of a good archive is its index.',
  'Counsel gave confidential advice on the lease.',
  'Minutes of the regular meeting of the board.',
  'Invoice total due within thirty days of receipt.',
  'The committee reviewed the retention schedule.',
  'Please call the front desk to reschedule.',
];

/** One labeled page: a mix of positives and negatives. */
function makePage(i: number): Line[] {
  const lines: Line[] = [];
  if (i % 4 === 0)
    lines.push(
      pick<Line>([
        { text: 'SECRET//NOFORN', label: 'classification-marking' },
        { text: 'TOP SECRET', label: 'classification-marking' },
        { text: 'CONFIDENTIAL', label: 'classification-marking' },
      ]),
    );
  else if (i % 4 === 1)
    lines.push(
      pick<Line>([
        { text: 'CUI//SP-PRVCY', label: 'control-marking' },
        { text: 'FOR OFFICIAL USE ONLY', label: 'control-marking' },
      ]),
    );
  else if (i % 4 === 2) lines.push({ text: 'UNCLASSIFIED', label: null });
  lines.push({ text: pick(PROSE), label: null });
  if (i % 4 === 0) lines.push({ text: '(S//NF) The source reported on the meeting.', label: 'classification-marking' });
  lines.push({ text: `Employee SSN ${ssn()} on file`, label: 'ssn' });
  lines.push({ text: `Reference number ${badSsn()} (not an SSN)`, label: null });
  lines.push({ text: `Card ${card(true)} exp 09/28`, label: 'payment-card' });
  lines.push({ text: `Card ${card(false)} declined`, label: null });
  lines.push({ text: `Phone ${phone()}`, label: 'phone' });
  lines.push({ text: `Write to ${email()}`, label: 'email' });
  lines.push({ text: pick(PROSE), label: null });
  return lines;
}

const LANE: Record<Label, 'pii' | 'classified'> = {
  ssn: 'pii',
  'payment-card': 'pii',
  phone: 'pii',
  email: 'pii',
  'classification-marking': 'classified',
  'control-marking': 'classified',
};

function ingest(dataDir: string, folders: string[]): void {
  const r = spawnSync(process.execPath, [path.join(packageRoot(), 'bin', 'custodian.js'), '-q', '--data-dir', dataDir, 'ingest', ...folders], {
    env: { ...process.env, CUSTODIAN_OCR_ADAPTER: '' },
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`custodian ingest failed: ${r.stderr}`);
}

async function main(): Promise<void> {
  const work = mkdtempSync(path.join(os.tmpdir(), 'custodian-pii-bench-'));
  const scans = path.join(work, 'scans');
  mkdirSync(scans);
  const n = Number(values.pages);
  const truth = new Map<string, Line[]>();
  for (let i = 0; i < n; i++) {
    const lines = makePage(i);
    const name = `page-${String(i).padStart(3, '0')}.png`;
    writeFileSync(
      path.join(scans, name),
      await scanImage(
        lines.map((l) => l.text),
        { noise: 0.002, rotateDeg: (rand() - 0.5) * 1.5, random: rand },
      ),
    );
    truth.set(name, lines);
  }
  console.log(`PII evaluation: ${n} degraded scans (noise 0.2%, rotation within ±0.75°, binarized), seed ${values.seed}`);
  const t0 = Date.now();
  ingest(path.join(work, 'data'), [scans]);
  console.log(`  processed in ${((Date.now() - t0) / 1000).toFixed(1)} s with real OCR\n`);

  const engine = Engine.open({ dataDir: path.join(work, 'data') });
  const counts = new Map<Label, { tp: number; fp: number; fn: number }>();
  const bump = (t: Label, k: 'tp' | 'fp' | 'fn', by: number): void => {
    const c = counts.get(t) ?? { tp: 0, fp: 0, fn: 0 };
    c[k] += by;
    counts.set(t, c);
  };
  let laneRight = 0;
  const misses: string[] = [];
  for (const doc of engine.documents.list()) {
    const lines = truth.get(path.basename(doc.path))!;
    const found = engine.sensitive.findings(String(doc.id));
    for (const type of Object.keys(LANE) as Label[]) {
      const expected = lines.filter((l) => l.label === type).length;
      const got = found.filter((f) => f.type === type).length;
      bump(type, 'tp', Math.min(expected, got));
      bump(type, 'fp', Math.max(0, got - expected));
      bump(type, 'fn', Math.max(0, expected - got));
      if (got < expected) {
        // Synthetic pages: showing what OCR read is how a miss gets understood.
        const read = engine.documents
          .text(String(doc.id))
          .map((p) => p.text ?? '')
          .join('\n');
        const wantedLines = lines.filter((l) => l.label === type).map((l) => l.text);
        const near = read.split('\n').filter((l) => wantedLines.some((w) => l.includes(w.slice(0, 4))) || /[/(]/u.test(l));
        misses.push(`${path.basename(doc.path)} ${type}: expected ${JSON.stringify(wantedLines)}, OCR read ${JSON.stringify(near)}`);
      }
    }
    const wanted = lines.some((l) => l.label && LANE[l.label] === 'classified') ? 'classified' : lines.some((l) => l.label) ? 'pii' : 'public';
    if (doc.lane === wanted) laneRight++;
  }
  const docs = engine.documents.list().length;
  await engine.close();

  const targets: Partial<Record<Label, string>> = {
    ssn: 'R ≥ 0.95, P ≥ 0.9',
    'payment-card': 'R ≥ 0.95, P ≥ 0.9',
    phone: 'R ≥ 0.95, P ≥ 0.9',
    email: 'R ≥ 0.95, P ≥ 0.9',
    'classification-marking': 'R ≥ 0.98',
    'control-marking': 'R ≥ 0.98',
  };
  console.log(`  ${'type'.padEnd(24)} ${'TP'.padStart(4)} ${'FP'.padStart(4)} ${'FN'.padStart(4)} ${'precision'.padStart(10)} ${'recall'.padStart(8)}  target`);
  for (const [type, c] of counts) {
    const p = c.tp + c.fp ? c.tp / (c.tp + c.fp) : 1;
    const r = c.tp + c.fn ? c.tp / (c.tp + c.fn) : 1;
    console.log(
      `  ${type.padEnd(24)} ${String(c.tp).padStart(4)} ${String(c.fp).padStart(4)} ${String(c.fn).padStart(4)} ${p.toFixed(3).padStart(10)} ${r.toFixed(3).padStart(8)}  ${targets[type] ?? ''}`,
    );
  }
  console.log(`  lane accuracy: ${laneRight}/${docs} (${((laneRight / docs) * 100).toFixed(1)}%)`);
  if (misses.length) console.log(`  misses:\n    ${misses.join('\n    ')}`);

  if (values.corpus) {
    const corpus = path.resolve(packageRoot(), 'test', 'corpus');
    const dataDir = path.join(work, 'corpus-data');
    ingest(dataDir, [path.join(corpus, 'scans'), path.join(corpus, 'pdfs')]);
    const e = Engine.open({ dataDir });
    const marks = e.documents.list().flatMap((d) =>
      e.sensitive
        .findings(String(d.id))
        .filter((f) => f.type.endsWith('marking'))
        .map((f) => `${path.basename(d.path)} p${f.page} ${f.type}`),
    );
    await e.close();
    console.log(
      `\nShared corpus (scans + pdfs, real OCR): ${marks.length} marking finding(s) on its prose${marks.length ? `: ${marks.join('; ')}` : ''} (target 0)`,
    );
  }
  rmSync(work, { recursive: true, force: true });
}

await main();

import { createHash, createPublicKey } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Db } from '../store/index.js';
import { verifyChain } from '../ledger/index.js';
import { REPORT_FILES } from './report-export.js';
import { fingerprintOf, verifyBytes } from './signing-key.js';

/** What `report verify` found: ok, or the first thing that failed. */
export type ReportVerdict = { ok: true; fingerprint: string; files: number } | { ok: false; problem: string };

/**
 * Checks a report folder with nothing but the folder: the Ed25519 signature over the manifest under the
 * folder's public key, every listed file's SHA-256, no file added or missing, and that the key is the one
 * report.json names.
 */
export function verifyReport(dir: string): ReportVerdict {
  const fail = (problem: string): ReportVerdict => ({ ok: false, problem });
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => statSync(path.join(dir, n)).isFile() || statSync(path.join(dir, n)).isDirectory());
  } catch {
    return fail(`${dir} cannot be read as a report folder`);
  }
  const read = (n: string): Buffer | null => {
    try {
      return readFileSync(path.join(dir, n));
    } catch {
      return null;
    }
  };
  const manifest = read('manifest-sha256.txt');
  if (!manifest) return fail('manifest-sha256.txt is missing');
  const signature = read('signature.ed25519');
  if (!signature) return fail('signature.ed25519 is missing');
  const pem = read('public-key.pem');
  if (!pem) return fail('public-key.pem is missing');
  let fingerprint: string;
  try {
    fingerprint = fingerprintOf(createPublicKey(pem));
  } catch {
    return fail('public-key.pem is not an Ed25519 public key');
  }
  if (!verifyBytes(pem.toString(), manifest, signature))
    return fail('signature.ed25519 does not verify: the manifest was changed or signed with another key than public-key.pem');
  const listed = new Map<string, string>();
  for (const line of manifest.toString().split('\n').filter(Boolean)) {
    const m = /^([0-9a-f]{64}) {2}(.+)$/u.exec(line);
    if (!m) return fail(`manifest-sha256.txt has a malformed line: ${JSON.stringify(line)}`);
    listed.set(m[2]!, m[1]!);
  }
  for (const f of REPORT_FILES) if (!listed.has(f)) return fail(`manifest-sha256.txt does not list ${f}`);
  for (const [file, want] of listed) {
    const bytes = read(file);
    if (!bytes) return fail(`${file} is missing`);
    if (createHash('sha256').update(bytes).digest('hex') !== want) return fail(`${file} was changed: its SHA-256 does not match the manifest`);
  }
  const extra = names.filter((n) => !listed.has(n) && n !== 'manifest-sha256.txt' && n !== 'signature.ed25519');
  if (extra.length) return fail(`files not in the manifest: ${extra.join(', ')}`);
  const facts = JSON.parse(read('report.json')!.toString()) as { signing?: { fingerprint?: string } };
  if (facts.signing?.fingerprint !== fingerprint) return fail('public-key.pem is not the key report.json names');
  return { ok: true, fingerprint, files: listed.size };
}

/**
 * Proves the local ledger still holds, unchanged, the head a report recorded: the chain verifies and the
 * entry at the report's head sequence has the report's hash. A ledger truncated or rewritten since fails.
 */
export function verifyAgainstReport(db: Db, dir: string): { ok: true; seq: number } | { ok: false; problem: string } {
  const verdict = verifyReport(dir);
  if (!verdict.ok) return { ok: false, problem: `the report does not verify: ${verdict.problem}` };
  const facts = JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8')) as { ledger: { head: { seq: number; hash: string } } };
  const chain = verifyChain(db);
  if (!chain.ok) return { ok: false, problem: `the local ledger is broken at entry ${chain.firstBadSeq}: ${chain.reason}` };
  const { seq, hash } = facts.ledger.head;
  const local = db.prepare('SELECT hash FROM ledger WHERE seq = ?').pluck().get(seq) as string | undefined;
  if (local === undefined) return { ok: false, problem: `the local ledger ends before entry ${seq}, which the report recorded: it was truncated` };
  if (local !== hash) return { ok: false, problem: `entry ${seq} is not the one the report recorded: the ledger was rewritten` };
  return { ok: true, seq };
}

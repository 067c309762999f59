import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Db } from '../store/index.js';
import { verifyChain } from '../ledger/index.js';
import { REPORT_FILES } from './report-export.js';
import { verifySignedFolder } from './signed-folder.js';

/** What `report verify` found: ok, or the first thing that failed. */
export type ReportVerdict = { ok: true; fingerprint: string; files: number } | { ok: false; problem: string };

/**
 * Checks a report folder with nothing but the folder: the Ed25519 signature over the manifest under the
 * folder's public key, every listed file's SHA-256, no file added or missing, and that the key is the one
 * report.json names.
 */
export function verifyReport(dir: string): ReportVerdict {
  const verdict = verifySignedFolder(dir, REPORT_FILES, 'report');
  if (!verdict.ok) return verdict;
  const facts = JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8')) as { signing?: { fingerprint?: string } };
  if (facts.signing?.fingerprint !== verdict.fingerprint) return { ok: false, problem: 'public-key.pem is not the key report.json names' };
  return { ok: true, fingerprint: verdict.fingerprint, files: verdict.files.length };
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

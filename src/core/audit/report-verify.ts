import type { Db } from '../store/index.js';
import { verifyChain } from '../ledger/index.js';
import { EngineError } from '../errors.js';
import { REPORT_FILES } from './report-export.js';
import { readFolderFile, verifySignedFolder, type FolderReadProblem } from './signed-folder.js';
import { keyring, type SigningKey } from './signing-key.js';

/** Codes a failed report check names, besides the free sentence: stable, for scripts and docs/cli.md. */
export type ReportProblemCode = FolderReadProblem['code'] | 'untrusted-key' | 'report-json-invalid';

/**
 * What `report verify` found: ok with the signer and whether that signer was checked against keys the
 * caller trusts (`trustedAs`: the name the trusted-keys file gives it), or the first thing that failed.
 */
export type ReportVerdict =
  | { ok: true; fingerprint: string; files: number; keyChecked: boolean; trustedAs?: string }
  | { ok: false; problem: string; code?: ReportProblemCode; fingerprint?: string };

/** Fingerprints the caller trusts, normalised (see `normalizeFingerprint`), each with a name for the output. */
export type TrustedKeys = ReadonlyMap<string, string>;

/**
 * A fingerprint as `custodian key show` prints it (64 lowercase hex digits), from what a person may type:
 * any case, with colons or spaces between the digits. @returns null when it is not 64 hex digits.
 */
export function normalizeFingerprint(text: string): string | null {
  const hex = text.replace(/[:\s]/gu, '').toLowerCase();
  return /^[0-9a-f]{64}$/u.test(hex) ? hex : null;
}

/**
 * Parses a trusted-keys file: one `fingerprint name` a line (the name may hold spaces), `#` comments and
 * blank lines ignored. @throws EngineError `invalid-argument` naming the first bad line's number.
 */
export function parseTrustedKeys(text: string, where = 'the trusted-keys file'): Map<string, string> {
  const keys = new Map<string, string>();
  text.split(/\r?\n/u).forEach((raw, i) => {
    const line = raw.replace(/#.*$/u, '').trim();
    if (!line) return;
    const m = /^(\S+)(?:\s+(.+))?$/u.exec(line);
    const fp = m ? normalizeFingerprint(m[1]!) : null;
    if (!fp || !m?.[2])
      throw new EngineError('invalid-argument', `Line ${i + 1} of ${where} is not "<fingerprint> <name>" (a 64-hex-digit fingerprint, then a name).`);
    keys.set(fp, m[2]);
  });
  return keys;
}

/** report.json's fields the checks read; anything else in it is the report's business. */
type ReportJson = { signing?: { fingerprint?: unknown }; ledger?: { head?: { seq?: unknown; hash?: unknown } } };

/** Reads and parses the facts file (report.json, release.json) through the hostile-folder checks; a file that is not a JSON object is `report-json-invalid`. */
function readReportJson(dir: string, name = 'report.json', what = 'report'): ReportJson | { ok: false; problem: string; code: ReportProblemCode } {
  const bytes = readFolderFile(dir, name);
  if ('code' in bytes) return { ok: false, problem: bytes.problem, code: bytes.code };
  try {
    const parsed: unknown = JSON.parse(bytes.toString('utf8'));
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as ReportJson;
  } catch {
    // A parse error's own text (positions, bytes) is no use to the recipient: the sentence below says what matters.
  }
  return { ok: false, problem: `report-json-invalid: ${name} is signed but is not a JSON object; the ${what} cannot be read`, code: 'report-json-invalid' };
}

/**
 * Checks a report folder with nothing but the folder: the Ed25519 signature over the manifest under the
 * folder's public key, every listed file's SHA-256, no file added or missing, and that the key is the one
 * report.json names. That proves only that whoever holds that key signed it: with `trusted` (fingerprints
 * obtained out of band), a signer not listed is `untrusted-key`; without, the verdict says `keyChecked: false`.
 * Never opens a data folder, never reads outside `dir`, follows no link, opens no special file.
 */
export function verifyReport(dir: string, trusted?: TrustedKeys): ReportVerdict {
  return verifySignedFacts(dir, { required: REPORT_FILES, facts: 'report.json', what: 'report' }, trusted);
}

/**
 * The check {@link verifyReport} makes, for any signed folder with a facts file naming its signer (a report's
 * report.json, a release's release.json): `required` files listed, the key the facts name, `trusted` as for reports.
 */
export function verifySignedFacts(dir: string, kind: { required: readonly string[]; facts: string; what: string }, trusted?: TrustedKeys): ReportVerdict {
  const verdict = verifySignedFolder(dir, kind.required, kind.what);
  if (!verdict.ok) return verdict;
  const facts = readReportJson(dir, kind.facts, kind.what);
  if ('ok' in facts) return facts;
  if (facts.signing?.fingerprint !== verdict.fingerprint) return { ok: false, problem: `public-key.pem is not the key ${kind.facts} names` };
  const base = { ok: true as const, fingerprint: verdict.fingerprint, files: verdict.files.length };
  if (!trusted) return { ...base, keyChecked: false };
  const name = trusted.get(verdict.fingerprint);
  if (name === undefined) return untrusted(verdict.fingerprint, 'is not one of the trusted keys given', kind.what);
  return { ...base, keyChecked: true, trustedAs: name };
}

function untrusted(fingerprint: string, why: string, what = 'report'): { ok: false; problem: string; code: 'untrusted-key'; fingerprint: string } {
  return { ok: false, problem: `untrusted-key: the ${what} is signed by ${fingerprint}, which ${why}`, code: 'untrusted-key', fingerprint };
}

/**
 * Proves the local ledger still holds, unchanged, the head a report recorded: the report verifies and was
 * signed by this workstation's current or a retired key (else `untrusted-key`: a folder anyone re-signed
 * proves nothing about this ledger), the chain verifies, and the entry at the report's head sequence has
 * the report's hash. A ledger truncated or rewritten since fails.
 */
export function verifyAgainstReport(
  db: Db,
  dataDir: string,
  key: () => SigningKey,
  dir: string,
): { ok: true; seq: number; fingerprint: string } | { ok: false; problem: string; code?: ReportProblemCode } {
  const verdict = verifyReport(dir);
  if (!verdict.ok) return { ok: false, problem: `the report does not verify: ${verdict.problem}`, ...(verdict.code ? { code: verdict.code } : {}) };
  const ours = keyring(dataDir, key());
  if (!ours.has(verdict.fingerprint)) return untrusted(verdict.fingerprint, "is not this workstation's signing key, current or retired");
  const facts = readReportJson(dir);
  if ('ok' in facts) return facts;
  const head = facts.ledger?.head;
  if (!head || typeof head.seq !== 'number' || typeof head.hash !== 'string')
    return { ok: false, problem: 'report-json-invalid: report.json names no ledger head', code: 'report-json-invalid' };
  const chain = verifyChain(db);
  if (!chain.ok) return { ok: false, problem: `the local ledger is broken at entry ${chain.firstBadSeq}: ${chain.reason}` };
  const { seq, hash } = head;
  const local = db.prepare('SELECT hash FROM ledger WHERE seq = ?').pluck().get(seq) as string | undefined;
  if (local === undefined) return { ok: false, problem: `the local ledger ends before entry ${seq}, which the report recorded: it was truncated` };
  if (local !== hash) return { ok: false, problem: `entry ${seq} is not the one the report recorded: the ledger was rewritten` };
  return { ok: true, seq, fingerprint: verdict.fingerprint };
}

import type { ReasonCode } from '../../shared/reason-codes.js';

/** Digest algorithms a custody manifest may use, by their BagIt names. */
export type DigestAlgorithm = 'sha256' | 'sha512' | 'sha1' | 'md5';

/** What a custody manifest says about one file. */
export type CustodyExpectation = {
  /** Hex digest per algorithm, for each manifest that lists the file. */
  digests: Partial<Record<DigestAlgorithm, string>>;
  /** Processing lane from custody-manifest.csv's optional `lane` column (public, pii, classified). */
  lane?: 'public' | 'pii' | 'classified';
  /** Retention value from custody-manifest.csv, lower-cased; absent for BagIt. */
  retention?: string;
};

/** A folder under custody: a BagIt bag or a folder with custody-manifest.csv. */
export type CustodyScope = {
  kind: 'bagit' | 'csv';
  /** Absolute path of the bag or folder. */
  root: string;
  /** Algorithms every payload file must be listed and match under. */
  algorithms: DigestAlgorithm[];
  /** Payload files by path relative to `root`, `/`-separated (`data/box1/p1.tif`). */
  payload: Map<string, CustodyExpectation>;
  /** Tag files a BagIt tag manifest lists. */
  tags: Map<string, CustodyExpectation>;
  /** Custody metadata files (relative paths) with the problems found reading them; an empty list means read cleanly. */
  metadata: Map<string, string[]>;
  /** BagIt `fetch.txt`: payload paths with the URL they would be fetched from (Custodian never fetches). */
  fetch: Map<string, string>;
  /** Problems of the scope that no walked file carries (a bag's missing `bagit.txt`), quarantined as items of their own. */
  problems: { relPath: string; code: ReasonCode; detail: Record<string, unknown> }[];
};

/** The verdict on one file checked against its scope. */
export type CustodyVerdict =
  { ok: true; retention: 'hold' | null; lane?: 'public' | 'pii' | 'classified' } | { ok: false; code: ReasonCode; detail: Record<string, unknown> };

/** True when `relPath` is custody metadata of the scope rather than a record. */
export function isCustodyMetadata(scope: CustodyScope, relPath: string): boolean {
  if (scope.metadata.has(relPath)) return true;
  return scope.kind === 'bagit' && !relPath.startsWith('data/');
}

const RETENTION_OK = new Set(['', 'active', 'permanent', 'retain']);

/**
 * Checks a payload file's digests (and retention) against the scope's manifests.
 * `digests` must include every algorithm in `scope.algorithms`.
 */
export function checkPayload(scope: CustodyScope, relPath: string, digests: Partial<Record<DigestAlgorithm, string>>): CustodyVerdict {
  const expected = scope.payload.get(relPath);
  if (!expected) return { ok: false, code: 'not-in-manifest', detail: { scope: scope.kind } };
  const unlisted = scope.algorithms.filter((a) => expected.digests[a] === undefined);
  if (unlisted.length > 0) return { ok: false, code: 'not-in-manifest', detail: { scope: scope.kind, missingFrom: unlisted } };
  for (const algorithm of scope.algorithms) {
    const want = expected.digests[algorithm];
    if (want !== digests[algorithm]) {
      return { ok: false, code: 'digest-mismatch', detail: { algorithm, expected: want, actual: digests[algorithm] } };
    }
  }
  const retention = expected.retention ?? '';
  const lane = expected.lane ? { lane: expected.lane } : {};
  if (retention === 'hold') return { ok: true, retention: 'hold', ...lane };
  if (RETENTION_OK.has(retention)) return { ok: true, retention: null, ...lane };
  return { ok: false, code: 'retention', detail: { retention } };
}

/** Checks a BagIt tag file against the tag manifests that list it; unlisted tag files pass. */
export function checkTagFile(scope: CustodyScope, relPath: string, digests: Partial<Record<DigestAlgorithm, string>>): CustodyVerdict {
  const problems = scope.metadata.get(relPath) ?? [];
  if (problems.length > 0) return { ok: false, code: 'manifest-invalid', detail: { problems } };
  const expected = scope.tags.get(relPath);
  for (const [algorithm, want] of Object.entries(expected?.digests ?? {}) as [DigestAlgorithm, string][]) {
    if (digests[algorithm] !== want) return { ok: false, code: 'digest-mismatch', detail: { algorithm, expected: want, actual: digests[algorithm] } };
  }
  return { ok: true, retention: null };
}

/** Every algorithm needed to check files of these scopes, besides SHA-256. */
export function algorithmsFor(scopes: readonly CustodyScope[]): DigestAlgorithm[] {
  const all = new Set<DigestAlgorithm>();
  for (const s of scopes) {
    for (const a of s.algorithms) all.add(a);
    for (const t of s.tags.values()) for (const a of Object.keys(t.digests) as DigestAlgorithm[]) all.add(a);
  }
  return [...all];
}

import type { ReasonCode } from '../../shared/reason-codes.js';
import type { Lane } from '../sensitive/index.js';
import { highestLane } from '../sensitive/index.js';
import { errnoCode } from '../errors.js';
import { algorithmsFor, checkPayload, checkTagFile, isCustodyMetadata } from '../custody/index.js';
import { detectFormat, type SupportedMediaType } from './detect-format.js';
import { hashFile } from './hash-file.js';
import type { WalkItem } from './walk.js';

/** The disposition of one walked entry, decided before anything is written. */
export type Evaluation =
  | { outcome: 'candidate'; sha256: string; size: number; mediaType: SupportedMediaType; hold: boolean; lane: Lane | null }
  | { outcome: 'custody-file'; sha256: string; size: number }
  | { outcome: 'unsupported'; code: ReasonCode; sha256: string; size: number }
  | { outcome: 'quarantined'; code: ReasonCode; detail: Record<string, unknown>; sha256: string | null; size: number | null };

/**
 * Hashes a walked file (one streaming pass, with every digest its custody scopes need) and decides:
 * custody failures first, then empty files, then format by content. Problems found by the walk pass through.
 * @param options.enforceCustody false when an operator releases an item: custody verdicts are then not applied.
 */
export async function evaluateItem(item: WalkItem, options: { onBytes?: (n: number) => void; enforceCustody?: boolean } = {}): Promise<Evaluation> {
  if (item.kind === 'problem') return { outcome: 'quarantined', code: item.code, detail: item.detail, sha256: null, size: null };
  let digest;
  try {
    digest = await hashFile(item.target ?? item.path, algorithmsFor(item.scopes.map((r) => r.scope)), options.onBytes);
  } catch (err) {
    const errno = errnoCode(err);
    // ELOOP (EMLINK on BSD): a link is where the walk saw a file; it is not followed, the file changed type.
    const code: ReasonCode = errno === 'ENOENT' || errno === 'ELOOP' || errno === 'EMLINK' ? 'vanished' : errno === 'ENOTREG' ? 'special-file' : 'unreadable';
    return { outcome: 'quarantined', code, detail: { errno: errno ?? 'unknown' }, sha256: null, size: null };
  }
  const { sha256 } = digest.digests;
  const size = digest.size;
  let hold = false;
  let lane: Lane | null = null;
  // The innermost scope decides whether this is custody metadata; every scope must accept the file.
  const innermost = item.scopes.at(-1);
  const metadata = options.enforceCustody !== false && innermost !== undefined && isCustodyMetadata(innermost.scope, innermost.relPath);
  if (options.enforceCustody !== false) {
    for (const ref of item.scopes) {
      const verdict = isCustodyMetadata(ref.scope, ref.relPath)
        ? checkTagFile(ref.scope, ref.relPath, digest.digests)
        : checkPayload(ref.scope, ref.relPath, digest.digests);
      if (!verdict.ok) return { outcome: 'quarantined', code: verdict.code, detail: verdict.detail, sha256, size };
      if (verdict.retention === 'hold') hold = true;
      if (verdict.lane) lane = highestLane(lane, verdict.lane);
    }
  }
  if (metadata) return { outcome: 'custody-file', sha256, size };
  if (size === 0) return { outcome: 'quarantined', code: 'empty-file', detail: {}, sha256, size };
  const mediaType = detectFormat(digest.head);
  if (!mediaType) return { outcome: 'unsupported', code: 'unsupported-format', sha256, size };
  return { outcome: 'candidate', sha256, size, mediaType, hold, lane };
}

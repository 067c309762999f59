import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';

/** `prev_hash` of the first entry: 64 zeros. */
export const GENESIS_HASH = '0'.repeat(64);

/** The fields that a ledger hash covers: the entry without its own hash, named as in the table. */
export type HashedFields = {
  seq: number;
  ts: string;
  trace_id: string;
  type: string;
  prev_hash: string;
  payload: unknown;
};

/** RFC 8785 (JCS) canonical JSON of a value. */
export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new TypeError('value has no JSON form');
  return text;
}

/**
 * `hash = SHA-256(prev_hash || JCS(entry without hash))`, hex. `prev_hash` is concatenated as its
 * 64-character hex text, then the canonical JSON, both UTF-8.
 */
export function entryHash(fields: HashedFields): string {
  return createHash('sha256').update(fields.prev_hash, 'utf8').update(canonicalJson(fields), 'utf8').digest('hex');
}

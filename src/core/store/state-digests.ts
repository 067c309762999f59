import { createHash } from 'node:crypto';

// The digests that bind stored state to the ledger. The page store puts them in its events as it writes the
// rows; `ledger verify` and `report export` recompute them from the rows. Each is over the stored column
// values exactly, so whatever an insider edits in a table no longer matches the event that wrote it.

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** SHA-256 of a page's stored text (`pages.text`), null when it holds none. */
export function textDigest(text: string | null): string | null {
  return text === null ? null : sha256(text);
}

/** SHA-256 of a page's stored words (`pages.words`, the JSON column as stored), null when it holds none. */
export function wordsDigest(words: string | null): string | null {
  return words === null ? null : sha256(words);
}

/** One stored finding, as its columns hold it (`bbox` is the stored JSON text). */
export type FindingColumns = { type: string; bbox: string | null; confidence: number; textHash: string; exemption: string };

/** SHA-256 of a page's finding set: order-free, over every stored column but ids and times. */
export function findingsDigest(findings: readonly FindingColumns[]): string {
  const lines = findings.map((f) => JSON.stringify([f.type, f.bbox, f.confidence, f.textHash, f.exemption])).sort();
  return sha256(lines.join('\n'));
}

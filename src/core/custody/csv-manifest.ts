import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import type { CustodyScope } from './custody-scope.js';
import { normalizeManifestPath } from './manifest-path.js';

/** File name of a plain folder's custody manifest. */
export const CSV_MANIFEST = 'custody-manifest.csv';

/**
 * Reads `custody-manifest.csv` (`path,sha256[,retention][,lane]`, with a header row) in `root`.
 * Rows that cannot be used are recorded as problems of the manifest; the good rows still apply.
 */
export async function loadCsvManifest(root: string): Promise<CustodyScope> {
  const scope: CustodyScope = {
    kind: 'csv',
    root,
    algorithms: ['sha256'],
    payload: new Map(),
    tags: new Map(),
    metadata: new Map(),
    fetch: new Map(),
    problems: [],
  };
  const problems: string[] = [];
  scope.metadata.set(CSV_MANIFEST, problems);
  let rows: Record<string, string>[];
  try {
    const text = (await readFile(path.join(root, CSV_MANIFEST), 'utf8')).replace(/^\uFEFF/, '');
    rows = parse(text, {
      columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()),
      skip_empty_lines: true,
      trim: true,
      relax_column_count: true,
    }) as Record<string, string>[];
  } catch (err) {
    problems.push(`unreadable: ${(err as Error).message}`);
    return scope;
  }
  rows.forEach((row, i) => {
    const line = i + 2; // header is line 1
    const rel = normalizeManifestPath(row.path ?? '');
    const sha256 = (row.sha256 ?? '').toLowerCase();
    if (!rel || rel === CSV_MANIFEST) return void problems.push(`row ${line}: path missing or outside the folder`);
    if (!/^[0-9a-f]{64}$/.test(sha256)) return void problems.push(`row ${line}: sha256 is not 64 hex digits`);
    if (scope.payload.has(rel)) return void problems.push(`row ${line}: ${JSON.stringify(rel)} listed twice`);
    const lane = (row.lane ?? '').toLowerCase();
    if (lane && lane !== 'public' && lane !== 'pii' && lane !== 'classified') return void problems.push(`row ${line}: lane must be public, pii or classified`);
    scope.payload.set(rel, {
      digests: { sha256 },
      retention: (row.retention ?? '').toLowerCase(),
      ...(lane ? { lane: lane as 'public' | 'pii' | 'classified' } : {}),
    });
  });
  return scope;
}

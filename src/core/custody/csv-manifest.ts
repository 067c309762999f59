import { parse } from 'csv-parse/sync';
import type { CustodyScope } from './custody-scope.js';
import { normalizeManifestPath } from './manifest-path.js';
import { ManifestRefused, readManifestBytes } from './read-manifest.js';

/** File name of a plain folder's custody manifest. */
export const CSV_MANIFEST = 'custody-manifest.csv';

/** Parses one physical line as one CSV record; a malformed line comes back as the parser's message. */
function parseLine(line: string): string[] | { error: string } {
  try {
    const [record] = parse(line, { trim: true, relax_column_count: true }) as string[][];
    return record ?? [];
  } catch (err) {
    // csv-parse messages end with "at line 1": the line number the clerk needs is ours, not the parser's.
    return { error: (err as Error).message.replace(/ at line 1\b/u, '') };
  }
}

/**
 * Reads `custody-manifest.csv` (`path,sha256[,retention][,lane]`, with a header row) in `root`, one record
 * per line: a bad line (an unbalanced quote, the wrong number of columns, a bad digest) is a problem of the
 * manifest naming its line number, and every other line still applies. The file is read only if it is a
 * regular file in `root` within the size cap (see {@link readManifestBytes}); otherwise the refusal is a
 * problem of the scope and the manifest lists nothing, so every file in the folder is `not-in-manifest`.
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
  let text: string;
  try {
    text = (await readManifestBytes(root, CSV_MANIFEST)).toString('utf8').replace(/^\uFEFF/u, '');
  } catch (err) {
    if (err instanceof ManifestRefused) scope.problems.push({ relPath: CSV_MANIFEST, code: err.code, detail: { problems: [err.message] } });
    else problems.push(`unreadable: ${(err as Error).message}`);
    return scope;
  }
  // One record per line, so one unbalanced quote cannot swallow the lines after it (a quoted field cannot span lines).
  const all = text.split(/\r\n|\n|\r/u);
  const headerAt = all.findIndex((l) => l.trim() !== '');
  if (headerAt < 0) return scope;
  const header = parseLine(all[headerAt]!);
  if (!Array.isArray(header)) {
    problems.push(`line ${headerAt + 1}: the header cannot be read: ${header.error}`);
    return scope;
  }
  const columns = header.map((h) => h.toLowerCase());
  for (let i = headerAt + 1; i < all.length; i++) {
    if (all[i]!.trim() === '') continue;
    const line = i + 1;
    const fields = parseLine(all[i]!);
    if (!Array.isArray(fields)) {
      problems.push(`line ${line}: ${fields.error}`);
      continue;
    }
    if (fields.length !== columns.length) {
      problems.push(`line ${line}: ${fields.length} columns, the header has ${columns.length}`);
      continue;
    }
    const row = Object.fromEntries(columns.map((c, k) => [c, fields[k]!])) as Record<string, string | undefined>;
    const rel = normalizeManifestPath(row.path ?? '');
    const sha256 = (row.sha256 ?? '').toLowerCase();
    if (!rel || rel === CSV_MANIFEST) problems.push(`line ${line}: path missing or outside the folder`);
    else if (!/^[0-9a-f]{64}$/u.test(sha256)) problems.push(`line ${line}: sha256 is not 64 hex digits`);
    else if (scope.payload.has(rel)) problems.push(`line ${line}: ${JSON.stringify(rel)} listed twice`);
    else {
      const lane = (row.lane ?? '').toLowerCase();
      if (lane && lane !== 'public' && lane !== 'pii' && lane !== 'classified') problems.push(`line ${line}: lane must be public, pii or classified`);
      else
        scope.payload.set(rel, {
          digests: { sha256 },
          retention: (row.retention ?? '').toLowerCase(),
          ...(lane ? { lane: lane as 'public' | 'pii' | 'classified' } : {}),
        });
    }
  }
  return scope;
}

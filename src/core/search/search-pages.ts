import path from 'node:path';
import type { Clock } from '../clock.js';
import { EngineError } from '../errors.js';
import { requireRequest } from '../deadlines/index.js';
import { authorizeView } from '../dispatch/index.js';
import type { Db } from '../store/index.js';
import type { Lane, SearchHit, SearchResult } from '../../shared/types.js';
import { toFtsQuery } from './query.js';

/** What to search: the officer's query (see {@link toFtsQuery}) and the filters. */
export type SearchOptions = {
  query: string;
  /** Only documents responsive to this request. */
  requestId?: string;
  lane?: Lane;
  /** Most hits returned (default 50, at most 1000). */
  limit?: number;
  /** Shows snippets of `pii` and `classified` hits too; each such document's viewing goes on the ledger. */
  reason?: string;
};

// Snippet markers FTS5 puts around a match: control characters no extracted page text keeps, split on below.
const OPEN = '\u0002';
const CLOSE = '\u0003';
/** Words of context a snippet shows around its matches. */
const SNIPPET_TOKENS = 16;
const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 1000;

type Row = { rowid: number; documentId: number; pageNo: number; lane: Lane; sha256: string; firstPath: string; rank: number; snippet: string | null };

/**
 * Searches every page's extracted text through the FTS5 index, best match first (bm25). Hits of `pii` and
 * `classified` documents name document and page but carry no snippet unless a reason is given; then each
 * such document shown writes `document.restricted-viewed` (the reason stays out of the ledger).
 * @throws EngineError `invalid-query` for a query that cannot be read, `not-found` for an unknown request.
 */
export function searchPages(db: Db, clock: Clock, options: SearchOptions): SearchResult {
  const match = toFtsQuery(options.query);
  const limit = Math.min(Math.max(1, Math.trunc(options.limit ?? DEFAULT_LIMIT)), MAX_LIMIT);
  if (options.requestId !== undefined) requireRequest(db, options.requestId);
  const reveal = Boolean(options.reason?.trim());
  // Ranked ids first, snippets after for the few shown: computed in the ranking query, FTS5 would build a
  // snippet for every matching page before the sort (a common word on 100,000 pages).
  const filtered = options.lane !== undefined || options.requestId !== undefined;
  // Unfiltered, the ranking runs on the bare index, where FTS5 keeps only the best `limit` rows while it
  // ranks (a join or a tie-break in ORDER BY makes SQLite sort every match: 10x slower on a common word).
  const ranked = db.prepare(
    filtered
      ? `SELECT f.rowid AS rowid, f.document_id AS documentId, f.page_no AS pageNo, d.lane, d.sha256, d.first_path AS firstPath, f.rank AS rank
           FROM pages_fts f JOIN documents d ON d.id = f.document_id
          WHERE pages_fts MATCH @match
            AND (@lane IS NULL OR d.lane = @lane)
            AND (@requestId IS NULL OR d.id IN (SELECT document_id FROM request_documents WHERE request_id = @requestId))
          ORDER BY f.rank
          LIMIT @limit`
      : `SELECT h.rowid AS rowid, h.document_id AS documentId, h.page_no AS pageNo, d.lane, d.sha256, d.first_path AS firstPath, h.rank AS rank
           FROM (SELECT rowid, document_id, page_no, rank FROM pages_fts WHERE pages_fts MATCH @match ORDER BY rank LIMIT @limit) h
           JOIN documents d ON d.id = h.document_id
          WHERE @lane IS NULL AND @requestId IS NULL
          ORDER BY h.rank`,
  );
  const snippetOf = db
    .prepare(`SELECT snippet(pages_fts, 0, @open, @close, '…', @tokens) FROM pages_fts WHERE pages_fts MATCH @match AND rowid = @rowid`)
    .pluck();
  let rows: Row[];
  try {
    rows = (ranked.all({ match, lane: options.lane ?? null, requestId: options.requestId ?? null, limit: limit + 1 }) as Omit<Row, 'snippet'>[]).map((r) => ({
      ...r,
      snippet: null,
    }));
  } catch (err) {
    // toFtsQuery hands FTS5 only quoted strings and checked operators; should FTS5 still refuse, say so plainly.
    if (/fts5/iu.test((err as Error).message))
      throw new EngineError('invalid-query', `The query "${options.query}" cannot be searched; check its quotes and operators.`);
    throw err;
  }
  const more = rows.length > limit;
  const shown = rows.slice(0, limit);
  for (const r of shown)
    if (r.lane === 'public' || reveal) r.snippet = snippetOf.get({ match, rowid: r.rowid, open: OPEN, close: CLOSE, tokens: SNIPPET_TOKENS }) as string;
  if (reveal) {
    const restricted = new Map(shown.filter((r) => r.lane !== 'public').map((r) => [r.documentId, r]));
    for (const r of restricted.values()) authorizeView(db, clock, { id: r.documentId, sha256: r.sha256, lane: r.lane }, options.reason);
  }
  const hits: SearchHit[] = shown.map((r) => ({
    documentId: r.documentId,
    name: path.basename(r.firstPath),
    sha256: r.sha256,
    lane: r.lane,
    pageNo: r.pageNo,
    // bm25 is lower for better matches; shown as a positive score, higher better.
    score: Math.round(-r.rank * 1000) / 1000,
    snippet: r.snippet === null ? null : snippetParts(r.snippet),
  }));
  return { hits, more, snippetsWithheld: hits.filter((h) => h.snippet === null).length };
}

/** Splits an FTS5 snippet into plain and matched runs, for the CLI to mark and the app to highlight. */
export function snippetParts(snippet: string): { text: string; match: boolean }[] {
  const parts: { text: string; match: boolean }[] = [];
  for (const piece of snippet.split(OPEN)) {
    const close = piece.indexOf(CLOSE);
    if (close < 0) {
      if (piece) parts.push({ text: piece, match: false });
      continue;
    }
    parts.push({ text: piece.slice(0, close), match: true });
    if (close + 1 < piece.length) parts.push({ text: piece.slice(close + 1), match: false });
  }
  return parts;
}

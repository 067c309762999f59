import type { Db } from './db.js';
import type { DocumentLane, DocumentPage, DocumentRow, DocumentSort, DocumentSummary } from '../../shared/types.js';

/** What the documents list asks for: filters, search, sort and one window of rows. */
export type DocumentQuery = {
  batchId?: string;
  requestId?: string;
  lane?: DocumentLane;
  state?: DocumentSummary['state'];
  /** Part of a path (case-insensitive) or a SHA-256 prefix. */
  search?: string;
  /** With `search`: the same words as an FTS5 expression (from `toFtsQuery`), so records whose page text matches are listed too. */
  textMatch?: string;
  sort?: DocumentSort;
  descending?: boolean;
  /** First row of the window (0-based) and how many rows, at most 500. */
  offset: number;
  limit: number;
};

// The file name is what follows the last separator: rtrim strips the name's characters, leaving the folder.
const NAME = `replace(d.first_path, rtrim(d.first_path, replace(replace(d.first_path, '/', ''), '\\', '')), '')`;
const STATE = `COALESCE(j.state, 'none')`;
// Detection runs over a record's text as it is extracted; until its job is done, "public" only means "nothing found yet".
const LANE = `CASE WHEN d.lane = 'public' AND ${STATE} <> 'done' THEN 'pending' ELSE d.lane END`;
const METHOD = `(CASE WHEN p.textLayer > 0 THEN 'text layer' ELSE '' END || CASE WHEN p.ocr > 0 THEN ' OCR' ELSE '' END || CASE WHEN p.fallback > 0 THEN ' fallback' ELSE '' END)`;

const ORDER: Record<DocumentSort, string> = {
  name: `${NAME} COLLATE NOCASE`,
  sha256: 'd.sha256',
  size: 'd.size',
  pages: 'd.page_count',
  method: METHOD,
  confidence: 'p.meanConfidence',
  lane: LANE,
  state: STATE,
  request: 'requestId',
  batch: 'b.roots',
  takenIn: 'd.created_at',
};

type Row = Omit<DocumentRow, 'legalHold' | 'methods' | 'paths' | 'batchRoot'> & {
  legalHold: number;
  textLayer: number | null;
  ocr: number | null;
  fallback: number | null;
  roots: string;
};

/**
 * One window of the documents list, filtered, searched and sorted in SQL so a 10,000-record list costs a
 * window's worth of rows, not the whole list. Ties sort by id, so windows never overlap or skip a row.
 */
export function queryDocuments(db: Db, query: DocumentQuery): DocumentPage {
  const where: string[] = [];
  const params: Record<string, unknown> = {};
  if (query.batchId) {
    where.push('d.id IN (SELECT document_id FROM intake_entries WHERE batch_id = @batchId AND document_id IS NOT NULL)');
    params.batchId = query.batchId;
  }
  if (query.requestId) {
    where.push('d.id IN (SELECT document_id FROM request_documents WHERE request_id = @requestId)');
    params.requestId = query.requestId;
  }
  if (query.lane) {
    where.push(`${LANE} = @lane`);
    params.lane = query.lane;
  }
  if (query.state) {
    where.push(`${STATE} = @state`);
    params.state = query.state;
  }
  const search = query.search?.trim();
  if (search) {
    const text = query.textMatch ? ' OR d.id IN (SELECT document_id FROM pages_fts WHERE pages_fts MATCH @textMatch)' : '';
    if (query.textMatch) params.textMatch = query.textMatch;
    where.push(`(d.first_path LIKE @like ESCAPE '!' OR d.sha256 LIKE @prefix ESCAPE '!'${text})`);
    const escaped = search.replace(/[!%_]/gu, (c) => `!${c}`);
    params.like = `%${escaped}%`;
    params.prefix = `${escaped.toLowerCase()}%`;
  }
  const from = `FROM documents d
    LEFT JOIN jobs j ON j.document_id = d.id
    LEFT JOIN batches b ON b.id = d.first_batch_id
    LEFT JOIN (SELECT document_id, SUM(method = 'text-layer') AS textLayer, SUM(method = 'ocr') AS ocr, SUM(method = 'fallback') AS fallback,
                      ROUND(AVG(confidence), 1) AS meanConfidence
                 FROM pages GROUP BY document_id) p ON p.document_id = d.id
    ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`;
  const total = db.prepare(`SELECT COUNT(*) ${from}`).pluck().get(params) as number;
  const all = db.prepare('SELECT COUNT(*) FROM documents').pluck().get() as number;
  const dir = query.descending ? 'DESC' : 'ASC';
  const rows = db
    .prepare(
      `SELECT d.id, d.sha256, d.size, d.media_type AS mediaType, d.first_path AS path, d.first_batch_id AS batchId, d.legal_hold AS legalHold,
              ${LANE} AS lane, d.created_at AS createdAt, ${STATE} AS state, d.page_count AS pages, b.roots,
              (SELECT MIN(request_id) FROM request_documents r WHERE r.document_id = d.id) AS requestId,
              p.textLayer, p.ocr, p.fallback, p.meanConfidence
         ${from}
        ORDER BY ${ORDER[query.sort ?? 'takenIn']} ${dir} NULLS LAST, d.id ${dir}
        LIMIT @limit OFFSET @offset`,
    )
    .all({ ...params, limit: Math.min(500, Math.max(0, query.limit)), offset: Math.max(0, query.offset) }) as Row[];
  const paths = pathCounts(
    db,
    rows.map((r) => r.id),
  );
  return {
    total,
    all,
    offset: query.offset,
    rows: rows.map(({ textLayer, ocr, fallback, roots, ...r }) => ({
      ...r,
      legalHold: r.legalHold === 1,
      methods: { textLayer: textLayer ?? 0, ocr: ocr ?? 0, fallback: fallback ?? 0 },
      paths: paths.get(r.id) ?? 0,
      batchRoot: (JSON.parse(roots ?? '[]') as string[])[0] ?? '',
    })),
  };
}

/** How many intake entries (paths, across batches) carry each document's bytes, for one window of ids. */
function pathCounts(db: Db, ids: number[]): Map<number, number> {
  if (ids.length === 0) return new Map();
  const rows = db
    .prepare(`SELECT document_id AS id, COUNT(*) AS n FROM intake_entries WHERE document_id IN (SELECT value FROM json_each(?)) GROUP BY document_id`)
    .all(JSON.stringify(ids)) as { id: number; n: number }[];
  return new Map(rows.map((r) => [r.id, r.n]));
}

import type { Db } from './db.js';
import { prepared } from './prepared.js';
import type { BatchProgress, BatchView, DocumentLane } from '../../shared/types.js';

type Opened = { kind: string; bytes: number; pages: number };

/** Media types whose page count cannot be known before the file is opened (a PNG or JPEG is always one page). */
const MULTI_PAGE = `d.media_type IN ('application/pdf', 'image/tiff')`;

/**
 * Progress of a batch over every record it will process, not only those opened so far: pages of opened
 * records are counted, pages of the others are estimated from their size at the bytes-per-page of records of
 * the same type already opened (this batch's first, else any batch's; one page each when none has been).
 */
export function batchProgress(db: Db, batchId: string): BatchProgress {
  const counts = prepared(
    db,
    // Quarantined and failed records will not be extracted: they count in no figure.
    `SELECT COUNT(*) AS records, COALESCE(SUM(j.state = 'done'), 0) AS recordsDone,
            COALESCE(SUM(d.page_count), 0) AS pagesKnown, COALESCE(SUM(d.page_count IS NULL), 0) AS recordsUnopened,
            COALESCE(SUM(d.page_count IS NULL AND NOT (${MULTI_PAGE})), 0) AS singlePageUnopened
       FROM jobs j JOIN documents d ON d.id = j.document_id WHERE j.batch_id = ? AND j.state IN ('queued', 'leased', 'done')`,
  ).get(batchId) as { records: number; recordsDone: number; pagesKnown: number; recordsUnopened: number; singlePageUnopened: number };
  const pagesExtracted = prepared(
    db,
    `SELECT COUNT(*) FROM jobs j JOIN pages p ON p.document_id = j.document_id
      WHERE j.batch_id = ? AND j.state IN ('queued', 'leased', 'done') AND p.method IS NOT NULL`,
  )
    .pluck()
    .get(batchId) as number;
  let estimated = counts.singlePageUnopened;
  if (counts.recordsUnopened > counts.singlePageUnopened) {
    const openedQuery = (scope: string): Opened[] =>
      prepared(
        db,
        `SELECT d.media_type AS kind, SUM(d.size) AS bytes, SUM(d.page_count) AS pages FROM jobs j JOIN documents d ON d.id = j.document_id
          WHERE ${scope} d.page_count IS NOT NULL AND ${MULTI_PAGE} GROUP BY d.media_type`,
      ).all(...(scope ? [batchId] : [])) as Opened[];
    const here = openedQuery('j.batch_id = ? AND');
    const anywhere = here.length ? here : openedQuery('');
    const ratio = new Map(anywhere.filter((o) => o.bytes > 0).map((o) => [o.kind, o.pages / o.bytes]));
    const unopened = prepared(
      db,
      `SELECT d.media_type AS kind, d.size FROM jobs j JOIN documents d ON d.id = j.document_id
        WHERE j.batch_id = ? AND j.state IN ('queued', 'leased') AND d.page_count IS NULL AND ${MULTI_PAGE}`,
    ).all(batchId) as { kind: string; size: number }[];
    for (const u of unopened) estimated += Math.max(1, Math.round(u.size * (ratio.get(u.kind) ?? 0)));
  }
  return {
    records: counts.records,
    recordsDone: counts.recordsDone,
    pagesExtracted,
    pagesKnown: counts.pagesKnown,
    recordsUnopened: counts.recordsUnopened,
    pagesTotal: counts.pagesKnown + estimated,
    exact: counts.recordsUnopened === 0,
  };
}

/**
 * A batch's records by the lane the app shows: `pending` until detection has run (the record's job is done).
 * Quarantined and failed records are left out, as in {@link batchProgress}: the quarantine figure counts them.
 */
export function batchShownLanes(db: Db, batchId: string): Record<DocumentLane, number> {
  const rows = prepared(
    db,
    `SELECT CASE WHEN d.lane = 'public' AND j.state <> 'done' THEN 'pending' ELSE d.lane END AS lane, COUNT(*) AS n
       FROM jobs j JOIN documents d ON d.id = j.document_id WHERE j.batch_id = ? AND j.state IN ('queued', 'leased', 'done') GROUP BY 1`,
  ).all(batchId) as { lane: DocumentLane; n: number }[];
  const lanes: Record<DocumentLane, number> = { pending: 0, public: 0, pii: 0, classified: 0 };
  for (const r of rows) lanes[r.lane] = r.n;
  return lanes;
}

/** A batch's quarantine items by state. */
export function batchQuarantineStates(db: Db, batchId: string): BatchView['quarantine'] {
  const rows = prepared(db, `SELECT state, COUNT(*) AS n FROM quarantine WHERE batch_id = ? GROUP BY state`).all(batchId) as {
    state: keyof BatchView['quarantine'];
    n: number;
  }[];
  const out = { held: 0, released: 0, resolved: 0 };
  for (const r of rows) out[r.state] = r.n;
  return out;
}

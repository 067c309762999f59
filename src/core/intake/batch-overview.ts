import { prepared, type Db } from '../store/index.js';
import type { BatchOverview, Lane } from '../../shared/types.js';
import { batchJobCounts } from '../queue/index.js';
import { intakeCounts } from './ingest-batch.js';

type BatchRow = Omit<BatchOverview, 'roots' | 'intake' | 'jobs' | 'pages' | 'lanes'> & { roots: string };

/**
 * The newest `limit` batches (default 50), newest first, each with its intake counts, job states, page
 * progress and lane counts — what the app's batch cards show. A few indexed queries per batch.
 */
export function batchOverviews(db: Db, options: { limit?: number; batchId?: string } = {}): BatchOverview[] {
  const rows = prepared(
    db,
    `SELECT id AS batchId, trace_id AS traceId, request_id AS requestId, lane, roots, state, hold, created_at AS createdAt, completed_at AS completedAt
       FROM batches WHERE @batchId IS NULL OR id = @batchId ORDER BY created_at DESC, rowid DESC LIMIT @limit`,
  ).all({ batchId: options.batchId ?? null, limit: options.limit ?? 50 }) as BatchRow[];
  return rows.map((b) => {
    const { files, registered, duplicates, quarantined, unsupported, custodyFiles, holds, bytes } = intakeCounts(db, b.batchId);
    const pages = prepared(
      db,
      // Quarantined and failed records will not be extracted: their pages count in neither figure.
      `SELECT COALESCE(SUM(d.page_count), 0) AS planned,
              (SELECT COUNT(*) FROM jobs j2 JOIN pages p ON p.document_id = j2.document_id
                WHERE j2.batch_id = @id AND j2.state IN ('queued', 'leased', 'done') AND p.method IS NOT NULL) AS extracted
         FROM jobs j JOIN documents d ON d.id = j.document_id WHERE j.batch_id = @id AND j.state IN ('queued', 'leased', 'done')`,
    ).get({ id: b.batchId }) as { planned: number; extracted: number };
    const laneRows = prepared(db, `SELECT d.lane, COUNT(*) AS n FROM jobs j JOIN documents d ON d.id = j.document_id WHERE j.batch_id = ? GROUP BY d.lane`).all(
      b.batchId,
    ) as { lane: Lane; n: number }[];
    const lanes: Record<Lane, number> = { public: 0, pii: 0, classified: 0 };
    for (const r of laneRows) lanes[r.lane] = r.n;
    return {
      ...b,
      roots: JSON.parse(b.roots) as string[],
      intake: { files, registered, duplicates, quarantined, unsupported, custodyFiles, holds, bytes },
      jobs: batchJobCounts(db, b.batchId),
      pages,
      lanes,
    };
  });
}

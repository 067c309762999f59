import type { Db } from '../store/db.js';
import type { DocumentSummary } from '../../shared/types.js';

type Row = Omit<DocumentSummary, 'legalHold'> & { legalHold: number };

/**
 * Registered documents, oldest first, each with its processing state and how many paths (custody
 * sightings) carry its bytes. With `batchId`, the documents that batch registered or saw again.
 */
export function listDocuments(db: Db, options: { batchId?: string } = {}): DocumentSummary[] {
  const rows = db
    .prepare(
      `SELECT d.id, d.sha256, d.size, d.media_type AS mediaType, d.first_path AS path, d.first_batch_id AS batchId, d.legal_hold AS legalHold,
              d.created_at AS createdAt, COALESCE(j.state, 'none') AS state,
              (SELECT COUNT(*) FROM intake_entries e WHERE e.document_id = d.id) AS paths
         FROM documents d LEFT JOIN jobs j ON j.document_id = d.id
        WHERE @batchId IS NULL OR d.id IN (SELECT document_id FROM intake_entries WHERE batch_id = @batchId AND document_id IS NOT NULL)
        ORDER BY d.id`,
    )
    .all({ batchId: options.batchId ?? null }) as Row[];
  return rows.map((r) => ({ ...r, legalHold: r.legalHold === 1 }));
}

import type { Db } from '../store/index.js';
import type { DocumentSummary } from '../../shared/types.js';

type Row = Omit<DocumentSummary, 'legalHold' | 'methods'> & { legalHold: number; textLayer: number | null; ocr: number | null; fallback: number | null };

/**
 * Registered documents, oldest first, each with its processing state and how many paths (custody
 * sightings) carry its bytes. With `batchId`, the documents that batch registered or saw again.
 */
export function listDocuments(db: Db, options: { batchId?: string } = {}): DocumentSummary[] {
  const rows = db
    .prepare(
      `SELECT d.id, d.sha256, d.size, d.media_type AS mediaType, d.first_path AS path, d.first_batch_id AS batchId, d.legal_hold AS legalHold, d.lane,
              d.created_at AS createdAt, COALESCE(j.state, 'none') AS state, d.page_count AS pages,
              (SELECT COUNT(*) FROM intake_entries e WHERE e.document_id = d.id) AS paths,
              p.textLayer, p.ocr, p.fallback, p.meanConfidence
         FROM documents d LEFT JOIN jobs j ON j.document_id = d.id
         LEFT JOIN (SELECT document_id, SUM(method = 'text-layer') AS textLayer, SUM(method = 'ocr') AS ocr, SUM(method = 'fallback') AS fallback,
                           ROUND(AVG(confidence), 1) AS meanConfidence
                      FROM pages GROUP BY document_id) p ON p.document_id = d.id
        WHERE @batchId IS NULL OR d.id IN (SELECT document_id FROM intake_entries WHERE batch_id = @batchId AND document_id IS NOT NULL)
        ORDER BY d.id`,
    )
    .all({ batchId: options.batchId ?? null }) as Row[];
  return rows.map(({ textLayer, ocr, fallback, ...r }) => ({
    ...r,
    legalHold: r.legalHold === 1,
    methods: { textLayer: textLayer ?? 0, ocr: ocr ?? 0, fallback: fallback ?? 0 },
  }));
}

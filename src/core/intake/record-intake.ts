import { prepared, type Db } from '../store/index.js';
import type { Clock } from '../clock.js';
import { reasonMessage } from '../../shared/reason-codes.js';
import { appendEvent } from '../ledger/index.js';
import { enqueueJob } from '../queue/index.js';
import { PIPELINE_VERSION } from '../pipeline.js';
import type { Evaluation } from './evaluate-item.js';
import type { Lane } from '../sensitive/index.js';
import { highestLane, raiseLane } from '../sensitive/index.js';

/** The batch an entry is recorded under. */
export type BatchRef = { id: string; traceId: string };

/** The intake outcome recorded for one path. */
export type RecordedOutcome = 'registered' | 'duplicate' | 'quarantined' | 'unsupported' | 'custody-file';

/**
 * Registers a document (or notes a duplicate) and queues its job, inside the caller's transaction.
 * Content-addressed: the first path with these bytes (for this pipeline version) registers the record;
 * every later one, in any batch, is a duplicate that keeps its path for custody and queues nothing.
 */
export function registerOrDuplicate(
  db: Db,
  clock: Clock,
  batch: BatchRef,
  entry: { path: string; sha256: string; size: number; mediaType: string; hold: boolean; lane?: Lane | null },
): { outcome: 'registered' | 'duplicate'; documentId: number } {
  const now = clock.now().toISOString();
  // The batch's request (if it exists) and lane (`ingest --lane`).
  const { requestId, batchLane } = prepared(
    db,
    'SELECT r.id AS requestId, b.lane AS batchLane FROM batches b LEFT JOIN requests r ON r.id = b.request_id WHERE b.id = ?',
  ).get(batch.id) as { requestId: string | null; batchLane: Lane | null };
  const existing = prepared(db, 'SELECT id FROM documents WHERE sha256 = ? AND pipeline_version = ?').get(entry.sha256, PIPELINE_VERSION) as
    { id: number } | undefined;
  // The lane set at intake: the batch's or the manifest's, whichever is higher.
  const lane = highestLane(batchLane, entry.lane);
  if (existing) {
    if (entry.hold) prepared(db, 'UPDATE documents SET legal_hold = 1 WHERE id = ?').run(existing.id);
    raiseLane(db, clock, batch.traceId, existing.id, lane, { cause: 'intake' });
    if (requestId) attachToRequest(db, requestId, existing.id);
    return { outcome: 'duplicate', documentId: existing.id };
  }
  const { lastInsertRowid } = prepared(
    db,
    `INSERT INTO documents (sha256, pipeline_version, size, media_type, first_batch_id, first_path, legal_hold, lane, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(entry.sha256, PIPELINE_VERSION, entry.size, entry.mediaType, batch.id, entry.path, entry.hold ? 1 : 0, lane, now);
  const documentId = Number(lastInsertRowid);
  if (requestId) attachToRequest(db, requestId, documentId);
  enqueueJob(db, clock, { documentId, batchId: batch.id, traceId: batch.traceId, requestId });
  return { outcome: 'registered', documentId };
}

/**
 * Attaches a document to a records request. A document seen again for a request is attached too, and its
 * still-queued job takes that request's place in the deadline-first queue if it had none.
 */
function attachToRequest(db: Db, requestId: string, documentId: number): void {
  prepared(db, 'INSERT OR IGNORE INTO request_documents (request_id, document_id) VALUES (?, ?)').run(requestId, documentId);
  prepared(db, `UPDATE jobs SET request_id = ? WHERE document_id = ? AND state = 'queued' AND request_id IS NULL`).run(requestId, documentId);
}

/**
 * Records what intake decided for one path, with its ledger events, in one immediate transaction.
 * Idempotent per (batch, path): a path already recorded for the batch is left as it is, which is what
 * makes a resumed walk finish a batch without recording or queueing anything twice.
 * @returns the outcome, or null when the path was already recorded.
 */
export function recordIntake(db: Db, clock: Clock, batch: BatchRef, filePath: string, evaluation: Evaluation): RecordedOutcome | null {
  return db
    .transaction((): RecordedOutcome | null => {
      const seen = prepared(db, 'SELECT 1 FROM intake_entries WHERE batch_id = ? AND path = ?').get(batch.id, filePath);
      if (seen) return null;
      const now = clock.now().toISOString();
      const insertEntry = prepared(
        db,
        `INSERT INTO intake_entries (batch_id, path, outcome, reason_code, sha256, size, media_type, document_id, retention, created_at)
         VALUES (@batchId, @path, @outcome, @code, @sha256, @size, @mediaType, @documentId, @retention, @now)`,
      );
      const base = { batchId: batch.id, path: filePath, code: null, sha256: null, size: null, mediaType: null, documentId: null, retention: null, now };
      const { traceId, id: batchId } = batch;

      switch (evaluation.outcome) {
        case 'candidate': {
          const { outcome, documentId } = registerOrDuplicate(db, clock, batch, { path: filePath, ...evaluation });
          const entryId = Number(
            insertEntry.run({
              ...base,
              outcome,
              sha256: evaluation.sha256,
              size: evaluation.size,
              mediaType: evaluation.mediaType,
              documentId,
              retention: evaluation.hold ? 'hold' : null,
            }).lastInsertRowid,
          );
          appendEvent(db, clock, {
            traceId,
            type: outcome === 'registered' ? 'file.registered' : 'file.duplicate',
            payload: {
              batchId,
              entryId,
              documentId,
              sha256: evaluation.sha256,
              size: evaluation.size,
              mediaType: evaluation.mediaType,
              ...(evaluation.hold ? { retention: 'hold' as const } : {}),
              // The lane a new record starts in, so `ledger verify` can hold the documents table to it.
              ...(outcome === 'registered' ? { lane: prepared(db, 'SELECT lane FROM documents WHERE id = ?').pluck().get(documentId) as Lane } : {}),
            },
          });
          return outcome;
        }
        case 'custody-file':
        case 'unsupported': {
          const code = evaluation.outcome === 'unsupported' ? evaluation.code : null;
          const entryId = Number(
            insertEntry.run({ ...base, outcome: evaluation.outcome, code, sha256: evaluation.sha256, size: evaluation.size }).lastInsertRowid,
          );
          appendEvent(db, clock, {
            traceId,
            type: evaluation.outcome === 'unsupported' ? 'file.unsupported' : 'file.custody-metadata',
            payload: { batchId, entryId, sha256: evaluation.sha256, size: evaluation.size, ...(code ? { code } : {}) },
          });
          return evaluation.outcome;
        }
        case 'quarantined': {
          const entryId = Number(
            insertEntry.run({ ...base, outcome: 'quarantined', code: evaluation.code, sha256: evaluation.sha256, size: evaluation.size }).lastInsertRowid,
          );
          const quarantineId = Number(
            prepared(
              db,
              `INSERT INTO quarantine (batch_id, trace_id, intake_entry_id, path, sha256, reason_code, message, detail, state, created_at)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'held', ?)`,
            ).run(
              batch.id,
              batch.traceId,
              entryId,
              filePath,
              evaluation.sha256,
              evaluation.code,
              reasonMessage(evaluation.code),
              JSON.stringify(evaluation.detail),
              now,
            ).lastInsertRowid,
          );
          appendEvent(db, clock, {
            traceId,
            type: 'file.quarantined',
            payload: { batchId, entryId, quarantineId, code: evaluation.code, sha256: evaluation.sha256, size: evaluation.size },
          });
          return 'quarantined';
        }
      }
    })
    .immediate();
}

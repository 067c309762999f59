import type { Db } from '../store/index.js';
import type { QuarantineItem } from '../../shared/types.js';
import type { ReasonCode } from '../../shared/reason-codes.js';
import { EngineError } from '../errors.js';

type Row = Omit<QuarantineItem, 'detail' | 'reasonCode'> & { detail: string; reasonCode: string; jobId: number | null; intakeEntryId: number | null };

const SELECT = `SELECT id, batch_id AS batchId, trace_id AS traceId, path, sha256, document_id AS documentId, reason_code AS reasonCode, message, detail,
                       state, created_at AS createdAt, resolved_at AS resolvedAt, resolution, job_id AS jobId, intake_entry_id AS intakeEntryId
                  FROM quarantine`;

/** A quarantine item with the links the engine needs to act on it. */
export type QuarantineRecord = QuarantineItem & { jobId: number | null; intakeEntryId: number | null };

function toItem(row: Row): QuarantineRecord {
  return { ...row, reasonCode: row.reasonCode as ReasonCode, detail: JSON.parse(row.detail) as Record<string, unknown> };
}

/** Quarantine items, oldest first; by default only those still held. */
export function listQuarantine(db: Db, options: { all?: boolean; batchId?: string } = {}): QuarantineRecord[] {
  const where: string[] = [];
  const args: string[] = [];
  if (!options.all) where.push(`state = 'held'`);
  if (options.batchId) {
    where.push('batch_id = ?');
    args.push(options.batchId);
  }
  const sql = `${SELECT}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY id`;
  return (db.prepare(sql).all(...args) as Row[]).map(toItem);
}

/** One quarantine item. @throws EngineError `not-found`. */
export function getQuarantineItem(db: Db, id: number): QuarantineRecord {
  const row = db.prepare(`${SELECT} WHERE id = ?`).get(id) as Row | undefined;
  if (!row) throw new EngineError('not-found', `No quarantine item ${id}.`);
  return toItem(row);
}

import type { Db } from '../store/index.js';
import type { Clock } from '../clock.js';
import { reasonMessage } from '../../shared/reason-codes.js';
import { appendEvent } from '../ledger/index.js';
import { EngineError } from '../errors.js';
import { evaluateItem, getBatch, registerOrDuplicate, walkAll, type Evaluation, type WalkItem } from '../intake/index.js';
import { getQuarantineItem, type QuarantineRecord } from './quarantine-store.js';

/** What a retry or release came to. */
export type QuarantineActionResult = { item: QuarantineRecord; outcome: 'passed' | 'still-held' | 'requeued' | 'released'; documentId: number | null };

function requireHeld(db: Db, id: number): QuarantineRecord {
  const item = getQuarantineItem(db, id);
  if (item.state !== 'held') throw new EngineError('invalid-state', `Quarantine item ${id} is already ${item.state}.`);
  return item;
}

/** Inside a transaction: a finished batch that gets work again goes back to processing. */
function reopenBatch(db: Db, clock: Clock, item: QuarantineRecord): void {
  const reopened = db.prepare(`UPDATE batches SET state = 'processing', completed_at = NULL WHERE id = ? AND state = 'done'`).run(item.batchId).changes;
  if (reopened) appendEvent(db, clock, { traceId: item.traceId, type: 'batch.reopened', payload: { batchId: item.batchId, quarantineId: item.id } });
}

/** Inside a transaction: applies an accepted evaluation to the item's intake entry (registering the file when it is a record). */
function settleIntake(db: Db, clock: Clock, item: QuarantineRecord, evaluation: Evaluation): { outcome: string; documentId: number | null } {
  if (evaluation.outcome === 'candidate') {
    const batch = { id: item.batchId, traceId: item.traceId };
    const { outcome, documentId } = registerOrDuplicate(db, clock, batch, { path: item.path, ...evaluation });
    db.prepare(
      `UPDATE intake_entries SET outcome = ?, reason_code = NULL, sha256 = ?, size = ?, media_type = ?, document_id = ?, retention = ? WHERE id = ?`,
    ).run(outcome, evaluation.sha256, evaluation.size, evaluation.mediaType, documentId, evaluation.hold ? 'hold' : null, item.intakeEntryId);
    if (outcome === 'registered') reopenBatch(db, clock, item);
    return { outcome, documentId };
  }
  const outcome = evaluation.outcome === 'quarantined' ? 'released' : evaluation.outcome;
  db.prepare('UPDATE intake_entries SET outcome = ?, sha256 = ?, size = ? WHERE id = ?').run(outcome, evaluation.sha256, evaluation.size, item.intakeEntryId);
  return { outcome, documentId: null };
}

async function currentWalkItem(db: Db, item: QuarantineRecord): Promise<WalkItem> {
  const batch = getBatch(db, item.batchId);
  const found = batch ? (await walkAll(batch.roots)).find((w) => w.path === item.path) : undefined;
  return found ?? { kind: 'problem', path: item.path, code: 'vanished', detail: { errno: 'ENOENT' }, scopes: [] };
}

/**
 * Tries a quarantined item again. A job goes back in the queue. An intake item is examined afresh, as
 * intake would now (file, custody manifests and all): if it passes it is registered, otherwise it stays
 * held with the reason found now. Either way a `quarantine.retried` event records the result.
 */
export async function retryQuarantine(db: Db, clock: Clock, id: number): Promise<QuarantineActionResult> {
  const item = requireHeld(db, id);
  if (item.jobId !== null) {
    db.transaction(() => {
      db.prepare(`UPDATE jobs SET state = 'queued', last_error = NULL, updated_at = ? WHERE id = ? AND state = 'quarantined'`).run(
        clock.now().toISOString(),
        item.jobId,
      );
      db.prepare(`UPDATE quarantine SET state = 'resolved', resolved_at = ?, resolution = 'retried' WHERE id = ?`).run(clock.now().toISOString(), id);
      reopenBatch(db, clock, item);
      appendEvent(db, clock, {
        traceId: item.traceId,
        type: 'quarantine.retried',
        payload: { quarantineId: id, code: item.reasonCode, jobId: item.jobId, result: 'requeued' },
      });
    }).immediate();
    return { item: getQuarantineItem(db, id), outcome: 'requeued', documentId: item.documentId };
  }
  const evaluation = await evaluateItem(await currentWalkItem(db, item));
  return db
    .transaction((): QuarantineActionResult => {
      requireHeld(db, id);
      const now = clock.now().toISOString();
      if (evaluation.outcome === 'quarantined') {
        db.prepare('UPDATE quarantine SET reason_code = ?, message = ?, detail = ?, sha256 = ? WHERE id = ?').run(
          evaluation.code,
          reasonMessage(evaluation.code),
          JSON.stringify(evaluation.detail),
          evaluation.sha256,
          id,
        );
        appendEvent(db, clock, {
          traceId: item.traceId,
          type: 'quarantine.retried',
          payload: { quarantineId: id, code: evaluation.code, result: 'still-held' },
        });
        return { item: getQuarantineItem(db, id), outcome: 'still-held', documentId: null };
      }
      const settled = settleIntake(db, clock, item, evaluation);
      db.prepare(`UPDATE quarantine SET state = 'resolved', resolved_at = ?, resolution = 'retried' WHERE id = ?`).run(now, id);
      appendEvent(db, clock, {
        traceId: item.traceId,
        type: 'quarantine.retried',
        payload: {
          quarantineId: id,
          code: item.reasonCode,
          result: 'passed',
          outcome: settled.outcome,
          documentId: settled.documentId,
          sha256: evaluation.sha256,
        },
      });
      return { item: getQuarantineItem(db, id), outcome: 'passed', documentId: settled.documentId };
    })
    .immediate();
}

/**
 * Releases a held item on an operator's recorded reason. A file that is still there and is a record is
 * registered as it is now (custody verdicts set aside by the operator); anything else is acknowledged.
 * The original file is never moved or deleted.
 * @throws EngineError `invalid-argument` without a reason.
 */
export async function releaseQuarantine(db: Db, clock: Clock, id: number, reason: string): Promise<QuarantineActionResult> {
  const why = reason.trim();
  if (!why) throw new EngineError('invalid-argument', 'A release needs a reason (--reason "<text>"); it is recorded in the ledger.');
  const item = requireHeld(db, id);
  const evaluation = item.jobId === null ? await evaluateItem({ kind: 'file', path: item.path, size: 0, scopes: [] }, { enforceCustody: false }) : null;
  return db
    .transaction((): QuarantineActionResult => {
      requireHeld(db, id);
      const settled = evaluation ? settleIntake(db, clock, item, evaluation) : { outcome: 'released', documentId: item.documentId };
      db.prepare(`UPDATE quarantine SET state = 'released', resolved_at = ?, resolution = ? WHERE id = ?`).run(clock.now().toISOString(), why, id);
      appendEvent(db, clock, {
        traceId: item.traceId,
        type: 'quarantine.released',
        payload: { quarantineId: id, code: item.reasonCode, reason: why, outcome: settled.outcome, documentId: settled.documentId },
      });
      return { item: getQuarantineItem(db, id), outcome: 'released', documentId: settled.documentId };
    })
    .immediate();
}

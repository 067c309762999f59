import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { deleteSettings, readSetting, writeSetting, type Db } from '../store/index.js';
import type { Clock } from '../clock.js';
import { appendEvent } from '../ledger/index.js';
import { EngineError } from '../errors.js';
import type { RequestRecord } from './deadline-book.js';
import type { DeadlineFigures } from './due-date.js';
import type { Escalation } from '../../shared/types.js';

/** How far a request's clock has gone: on track, at risk (80% of its window), overdue. */
export type EscalationLevel = RequestRecord['escalation'];

const RANK: Record<EscalationLevel, number> = { 'on-track': 0, 'at-risk': 1, overdue: 2 };
const OFFICE_SUPERVISOR = 'deadlines.supervisor';

/** Why a request escalated: its clock crossed 80% or its due date, or its unprocessed pages will not be done before 80% of it. */
export type EscalationCause = 'window' | 'projected';

/** An escalation no one has acknowledged yet: the inbox. */
export type OpenEscalation = Escalation;

/** The office's default supervisor (`settings supervisor`), who gets escalations of requests that name none. */
export function officeSupervisor(db: Db): string | null {
  return readSetting(db, OFFICE_SUPERVISOR) ?? null;
}

function cleanName(name: string | null | undefined): string | null {
  const n = name?.trim();
  if (n === undefined || n === '') return null;
  if (n.length > 120 || /[\p{Cc}]/u.test(n)) throw new EngineError('invalid-argument', 'A supervisor is a name of at most 120 characters, on one line.');
  return n;
}

/** Sets (or with null, clears) the office's default supervisor; the ledger records it. */
export function setOfficeSupervisor(db: Db, clock: Clock, name: string | null): string | null {
  const supervisor = cleanName(name);
  db.transaction(() => {
    if (supervisor) writeSetting(db, OFFICE_SUPERVISOR, supervisor);
    else deleteSettings(db, OFFICE_SUPERVISOR);
    appendEvent(db, clock, { traceId: randomUUID(), type: 'supervisor.set', payload: { requestId: null, supervisor } });
  }).immediate();
  return supervisor;
}

/** Names the supervisor of one request (null: the office default); the ledger records it. */
export function setRequestSupervisor(db: Db, clock: Clock, requestId: string, name: string | null): string | null {
  const supervisor = cleanName(name);
  db.transaction(() => {
    db.prepare('UPDATE requests SET supervisor = ? WHERE id = ?').run(supervisor, requestId);
    appendEvent(db, clock, { traceId: randomUUID(), type: 'supervisor.set', payload: { requestId, supervisor } });
  }).immediate();
  return supervisor;
}

/**
 * Records that a request's clock reached `level` (one ledger event per crossing upward, naming who it goes
 * to and why). Safe when the app and a scheduled sweep run at once: the level moves only from the value
 * this sweep read, in one write transaction, so exactly one of them writes the event.
 * @returns true when this call wrote an escalation event.
 */
export function escalate(db: Db, clock: Clock, request: RequestRecord, level: EscalationLevel, f: DeadlineFigures, cause: EscalationCause): boolean {
  if (level === request.escalation) return false;
  const wrote = db
    .transaction((): boolean | null => {
      const moved = db.prepare('UPDATE requests SET escalation = ? WHERE id = ? AND escalation = ?').run(level, request.id, request.escalation).changes;
      if (moved === 0) return null; // another sweep got here first
      // Moved back (an extension, a toll): reset quietly, so a later crossing is recorded again, and acknowledged again.
      if (level === 'on-track' || RANK[level] < RANK[request.escalation]) {
        db.prepare('UPDATE requests SET acknowledged = NULL WHERE id = ?').run(request.id);
        return false;
      }
      appendEvent(db, clock, {
        traceId: randomUUID(),
        type: level === 'overdue' ? 'deadline.overdue' : 'deadline.at-risk',
        payload: {
          requestId: request.id,
          dueDate: f.dueDate,
          daysElapsed: f.daysElapsed,
          allowedDays: f.allowedDays,
          percentUsed: f.percentUsed,
          cause,
          supervisor: request.supervisor ?? officeSupervisor(db),
        },
      });
      return true;
    })
    .immediate();
  if (wrote === null) {
    request.escalation = (db.prepare('SELECT escalation FROM requests WHERE id = ?').pluck().get(request.id) as EscalationLevel) ?? request.escalation;
    return false;
  }
  request.escalation = level;
  return wrote;
}

/** Escalations waiting for a person: an open request at risk or overdue above what someone acknowledged. */
export function openEscalations(db: Db): OpenEscalation[] {
  const rows = db
    .prepare(
      `SELECT id AS requestId, escalation AS level, supervisor, title, acknowledged FROM requests
        WHERE escalation IN ('at-risk', 'overdue')
          -- An answered request needs no one any more, whatever its clock said before.
          AND NOT EXISTS (SELECT 1 FROM request_events e WHERE e.request_id = requests.id AND e.type = 'close')
        ORDER BY escalation = 'overdue' DESC, received, id`,
    )
    .all() as (OpenEscalation & { acknowledged: EscalationLevel | null })[];
  const office = officeSupervisor(db);
  return rows
    .filter((r) => !r.acknowledged || RANK[r.acknowledged] < RANK[r.level])
    .map(({ acknowledged: _a, ...r }) => ({ ...r, supervisor: r.supervisor ?? office }));
}

/**
 * A person acknowledges a request's escalation, with a note (what will be done); the ledger records who,
 * the level and the note. A later, higher escalation (overdue after at-risk) waits for its own acknowledgement.
 * @throws EngineError `invalid-state` when the request has no escalation waiting.
 */
export function acknowledgeEscalation(db: Db, clock: Clock, requestId: string, note: string, operator = os.userInfo().username): OpenEscalation {
  const text = note.trim();
  if (!text) throw new EngineError('invalid-argument', 'A note is required: what will be done about the deadline. It goes into the audit ledger.');
  return db
    .transaction((): OpenEscalation => {
      const open = openEscalations(db).find((e) => e.requestId === requestId);
      if (!open) throw new EngineError('invalid-state', `Request ${requestId} has no escalation waiting to be acknowledged.`);
      db.prepare('UPDATE requests SET acknowledged = ? WHERE id = ?').run(open.level, requestId);
      appendEvent(db, clock, { traceId: randomUUID(), type: 'deadline.acknowledged', payload: { requestId, level: open.level, operator, note: text } });
      return open;
    })
    .immediate();
}

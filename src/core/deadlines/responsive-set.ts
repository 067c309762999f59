import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { Clock } from '../clock.js';
import { EngineError, requireReason } from '../errors.js';
import { appendEvent } from '../ledger/index.js';
import { documentRef, type Db } from '../store/index.js';

/** How documents came into a request's responsive set, besides intake (`ingest --request`). */
export type ResponsiveVia = 'operator' | 'search';

/** @throws EngineError `not-found` when there is no request `requestId`. */
export function requireRequest(db: Db, requestId: string): void {
  if (!db.prepare('SELECT 1 FROM requests WHERE id = ?').get(requestId)) throw new EngineError('not-found', `No request ${requestId}.`);
}

/** Document ids for refs (numeric id or SHA-256), in order, without repeats. @throws EngineError `not-found` naming the first unknown. */
function documentIds(db: Db, refs: readonly (string | number)[]): number[] {
  return [...new Set(refs.map((r) => documentRef(db, String(r)).id))];
}

/**
 * Runs `sql` (one row of request_documents, bound to request and document id) for each document, in one
 * immediate transaction, and writes `event` with the ids it changed (none changed: no event).
 * @returns the ids changed and how many were given.
 */
function changeSet(
  db: Db,
  clock: Clock,
  requestId: string,
  refs: readonly (string | number)[],
  sql: string,
  event: (changed: number[]) => Parameters<typeof appendEvent>[2],
): { changed: number; unchanged: number } {
  return db
    .transaction(() => {
      requireRequest(db, requestId);
      const ids = documentIds(db, refs);
      const statement = db.prepare(sql);
      const changed = ids.filter((id) => statement.run(requestId, id).changes === 1).sort((a, b) => a - b);
      if (changed.length) appendEvent(db, clock, event(changed));
      return { changed: changed.length, unchanged: ids.length - changed.length };
    })
    .immediate();
}

/**
 * Adds documents to a request's responsive set; `request.documents-added` lists the ones new to it (who and
 * how). @returns how many were added and how many were already in the set. @throws EngineError `not-found`.
 */
export function addResponsive(
  db: Db,
  clock: Clock,
  requestId: string,
  refs: readonly (string | number)[],
  via: ResponsiveVia,
  operator = os.userInfo().username,
): { added: number; already: number } {
  const r = changeSet(db, clock, requestId, refs, 'INSERT OR IGNORE INTO request_documents (request_id, document_id) VALUES (?, ?)', (documentIds) => ({
    traceId: randomUUID(),
    type: 'request.documents-added',
    payload: { requestId, documentIds, via, operator },
  }));
  return { added: r.changed, already: r.unchanged };
}

/**
 * Takes documents out of a request's responsive set, on the operator's reason (`request.documents-removed`).
 * @returns how many were removed and how many were not in the set. @throws EngineError `not-found`, `invalid-argument` without a reason.
 */
export function removeResponsive(
  db: Db,
  clock: Clock,
  requestId: string,
  refs: readonly (string | number)[],
  reason: string | undefined,
  operator = os.userInfo().username,
): { removed: number; notInSet: number } {
  const why = requireReason(reason);
  const r = changeSet(db, clock, requestId, refs, 'DELETE FROM request_documents WHERE request_id = ? AND document_id = ?', (documentIds) => ({
    traceId: randomUUID(),
    type: 'request.documents-removed',
    payload: { requestId, documentIds, reason: why, operator },
  }));
  return { removed: r.changed, notInSet: r.unchanged };
}

/** The documents responsive to a request, by id. @throws EngineError `not-found`. */
export function responsiveDocuments(db: Db, requestId: string): number[] {
  requireRequest(db, requestId);
  return db.prepare('SELECT document_id FROM request_documents WHERE request_id = ? ORDER BY document_id').pluck().all(requestId) as number[];
}

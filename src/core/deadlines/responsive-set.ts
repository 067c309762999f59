import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { Clock } from '../clock.js';
import { EngineError, requireReason } from '../errors.js';
import { appendEvent } from '../ledger/index.js';
import { documentRef, type Db } from '../store/index.js';

/** How documents came into a request's responsive set, besides intake (`ingest --request`). */
export type ResponsiveVia = 'operator' | 'search';

function requireRequest(db: Db, requestId: string): void {
  if (!db.prepare('SELECT 1 FROM requests WHERE id = ?').get(requestId)) throw new EngineError('not-found', `No request ${requestId}.`);
}

/** Document ids for refs (numeric id or SHA-256), in order, without repeats. @throws EngineError `not-found` naming the first unknown. */
function documentIds(db: Db, refs: readonly (string | number)[]): number[] {
  return [...new Set(refs.map((r) => documentRef(db, String(r)).id))];
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
  return db
    .transaction(() => {
      requireRequest(db, requestId);
      const ids = documentIds(db, refs);
      const insert = db.prepare('INSERT OR IGNORE INTO request_documents (request_id, document_id) VALUES (?, ?)');
      const added = ids.filter((id) => insert.run(requestId, id).changes === 1);
      if (added.length)
        appendEvent(db, clock, {
          traceId: randomUUID(),
          type: 'request.documents-added',
          payload: { requestId, documentIds: added.sort((a, b) => a - b), via, operator },
        });
      return { added: added.length, already: ids.length - added.length };
    })
    .immediate();
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
  return db
    .transaction(() => {
      requireRequest(db, requestId);
      const ids = documentIds(db, refs);
      const del = db.prepare('DELETE FROM request_documents WHERE request_id = ? AND document_id = ?');
      const removed = ids.filter((id) => del.run(requestId, id).changes === 1);
      if (removed.length)
        appendEvent(db, clock, {
          traceId: randomUUID(),
          type: 'request.documents-removed',
          payload: { requestId, documentIds: removed.sort((a, b) => a - b), reason: why, operator },
        });
      return { removed: removed.length, notInSet: ids.length - removed.length };
    })
    .immediate();
}

/** The documents responsive to a request, by id. @throws EngineError `not-found`. */
export function responsiveDocuments(db: Db, requestId: string): number[] {
  requireRequest(db, requestId);
  return db.prepare('SELECT document_id FROM request_documents WHERE request_id = ? ORDER BY document_id').pluck().all(requestId) as number[];
}

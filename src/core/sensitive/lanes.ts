import { prepared, type Db } from '../store/index.js';
import type { Clock } from '../clock.js';
import { appendEvent } from '../ledger/index.js';
import { LANE_RANK, type Lane } from './detect.js';

/** The highest of some lanes (absent ones ignored); `public` when there are none. */
export function highestLane(...lanes: (Lane | null | undefined)[]): Lane {
  return lanes.reduce<Lane>((a, b) => (b && LANE_RANK[b] > LANE_RANK[a] ? b : a), 'public');
}

/**
 * Raises a document's lane to `lane` if that is higher (lanes are never lowered automatically), with a
 * `document.lane-raised` ledger event, inside the caller's transaction. @returns the document's lane now.
 */
export function raiseLane(
  db: Db,
  clock: Clock,
  traceId: string,
  documentId: number,
  lane: Lane,
  detail: { cause: 'intake' | 'detection'; pageNo?: number },
): Lane {
  const current = prepared(db, 'SELECT lane FROM documents WHERE id = ?').pluck().get(documentId) as Lane;
  if (LANE_RANK[lane] <= LANE_RANK[current]) return current;
  prepared(db, 'UPDATE documents SET lane = ? WHERE id = ?').run(lane, documentId);
  appendEvent(db, clock, { traceId, type: 'document.lane-raised', payload: { documentId, from: current, to: lane, ...detail } });
  return lane;
}

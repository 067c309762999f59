import { randomUUID } from 'node:crypto';
import type { Db } from '../store/index.js';
import type { Clock } from '../clock.js';
import { appendEvent } from '../ledger/index.js';
import { dayNumber, localDateOf, parseCivilDate, type CivilDate } from './civil-date.js';
import type { DeadlineBook, RequestRecord } from './deadline-book.js';
import type { DeadlineFigures } from './due-date.js';
import { EngineError } from '../errors.js';

/** One open request's clock and workload, as `custodian deadlines` shows it. */
export type DeadlineRow = {
  requestId: string;
  jurisdiction: string;
  title: string | null;
  received: CivilDate;
  dueDate: CivilDate;
  dayKind: 'business' | 'calendar';
  daysElapsed: number;
  daysRemaining: number;
  allowedDays: number;
  extensionDays: number;
  percentUsed: number;
  status: Exclude<DeadlineFigures['status'], 'closed'>;
  tolled: boolean;
  documents: number;
  unprocessedDocuments: number;
  /** Pages still to extract (a document not yet opened counts as one page). */
  unprocessedPages: number;
  /** Set when the unprocessed pages, at the measured rate, would not be done by the end of the due date. */
  backlogWarning: string | null;
};

/** Pages per minute the pool has been doing, from the durations of the last 500 extracted pages. */
export function measuredPagesPerMinute(db: Db, threads: number): number | null {
  const r = db
    .prepare(
      `SELECT COUNT(*) AS n, AVG(MAX(duration_ms, 1)) AS ms FROM (SELECT duration_ms FROM pages WHERE state = 'done' AND duration_ms IS NOT NULL ORDER BY updated_at DESC LIMIT 500)`,
    )
    .get() as { n: number; ms: number | null };
  if (r.n < 5 || !r.ms) return null;
  return (threads * 60_000) / r.ms;
}

const RANK = { 'on-track': 0, 'at-risk': 1, overdue: 2 } as const;

/**
 * The open requests with their clocks on `asOf` (default today), most urgent first. Without `asOf` this is
 * the real clock: a request that has crossed into `at-risk` or `overdue` since the last look gets one
 * `deadline.at-risk` / `deadline.overdue` ledger event (a request that an extension moved back is reset
 * quietly, so a later crossing is recorded again).
 */
export function deadlineReport(db: Db, clock: Clock, book: DeadlineBook, options: { asOf?: string; threads: number }): DeadlineRow[] {
  const now = clock.now();
  const today = localDateOf(now);
  let asOf: CivilDate;
  try {
    asOf = options.asOf === undefined ? today : parseCivilDate(options.asOf);
  } catch (err) {
    throw new EngineError('invalid-argument', `--as-of: ${(err as Error).message}`);
  }
  const rate = measuredPagesPerMinute(db, options.threads);
  const requests = db.prepare('SELECT id, jurisdiction, received, title, escalation FROM requests ORDER BY received, id').all() as RequestRecord[];
  const workload = db.prepare(
    `SELECT COUNT(*) AS documents,
                SUM(j.state IN ('queued', 'leased')) AS unprocessed,
                SUM(CASE WHEN j.state IN ('queued', 'leased') THEN COALESCE(d.page_count - (SELECT COUNT(*) FROM pages p WHERE p.document_id = d.id AND p.state = 'done'), 1) ELSE 0 END) AS pages
           FROM request_documents rd JOIN documents d ON d.id = rd.document_id JOIN jobs j ON j.document_id = d.id
          WHERE rd.request_id = ?`,
  );
  const rows: DeadlineRow[] = [];
  for (const request of requests) {
    if (request.received > asOf) continue;
    const f = book.figures(request, asOf);
    if (f.status === 'closed') continue;
    const work = workload.get(request.id) as { documents: number; unprocessed: number | null; pages: number | null };
    const unprocessedPages = work.pages ?? 0;
    let backlogWarning: string | null = null;
    if (unprocessedPages > 0 && rate) {
      const minutesNeeded = unprocessedPages / rate;
      const from = options.asOf === undefined ? now.getTime() : new Date(`${asOf}T00:00:00`).getTime();
      const endOfDue = new Date(`${f.dueDate}T23:59:59`).getTime();
      if (from + minutesNeeded * 60_000 > endOfDue) {
        backlogWarning = `${unprocessedPages} page(s) left at ${Math.round(rate)} pages/min need ${Math.ceil(minutesNeeded)} min: they will not be done by the end of ${f.dueDate}`;
      }
    }
    const status = f.status as DeadlineRow['status'];
    if (options.asOf === undefined || asOf === today) escalate(db, clock, request, status, f);
    rows.push({
      requestId: request.id,
      jurisdiction: request.jurisdiction,
      title: request.title,
      received: request.received,
      dueDate: f.dueDate,
      dayKind: book.jurisdiction(request.jurisdiction).period.kind,
      daysElapsed: f.daysElapsed,
      daysRemaining: f.daysRemaining,
      allowedDays: f.allowedDays,
      extensionDays: f.extensionDays,
      percentUsed: f.percentUsed,
      status,
      tolled: f.tolled,
      documents: work.documents,
      unprocessedDocuments: work.unprocessed ?? 0,
      unprocessedPages,
      backlogWarning,
    });
  }
  return rows.sort((a, b) => dayNumber(a.dueDate) - dayNumber(b.dueDate) || a.requestId.localeCompare(b.requestId));
}

function escalate(db: Db, clock: Clock, request: RequestRecord, status: DeadlineRow['status'], f: DeadlineFigures): void {
  if (status === request.escalation) return;
  db.transaction(() => {
    db.prepare('UPDATE requests SET escalation = ? WHERE id = ?').run(status, request.id);
    if (status !== 'on-track' && RANK[status] > RANK[request.escalation]) {
      appendEvent(db, clock, {
        traceId: randomUUID(),
        type: `deadline.${status}`,
        payload: { requestId: request.id, dueDate: f.dueDate, daysElapsed: f.daysElapsed, allowedDays: f.allowedDays, percentUsed: f.percentUsed },
      });
    }
  }).immediate();
  request.escalation = status;
}

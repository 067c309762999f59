import type { Db } from '../store/index.js';
import type { Clock } from '../clock.js';
import { dayNumber, localDateOf, parseCivilDate, type CivilDate } from './civil-date.js';
import type { DeadlineBook, RequestRecord } from './deadline-book.js';
import { escalate } from './escalations.js';
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
  /** Documents in the request's responsive set. */
  documents: number;
  /** Of those, marked reviewed, and under review. */
  reviewed: number;
  inReview: number;
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

/**
 * The open requests with their clocks on `asOf` (default today), most urgent first. Without `asOf` this is
 * the real clock: a request that has crossed into `at-risk` or `overdue` since the last look gets one
 * `deadline.at-risk` / `deadline.overdue` ledger event (a request that an extension moved back is reset
 * quietly, so a later crossing is recorded again). A request whose unprocessed pages, at the pace measured
 * over the last 500 pages, will not be done before 80% of its window escalates as at risk now (`projected`).
 */
export function deadlineReport(
  db: Db,
  clock: Clock,
  book: DeadlineBook,
  options: {
    asOf?: string;
    threads: number;
    /** Called for each escalation event this call wrote. */ onEscalation?: (requestId: string, level: string) => void;
  },
): DeadlineRow[] {
  const now = clock.now();
  const today = localDateOf(now);
  let asOf: CivilDate;
  try {
    asOf = options.asOf === undefined ? today : parseCivilDate(options.asOf);
  } catch (err) {
    throw new EngineError('invalid-argument', `--as-of: ${(err as Error).message}`);
  }
  const rate = measuredPagesPerMinute(db, options.threads);
  const requests = db.prepare('SELECT id, jurisdiction, received, title, escalation, supervisor FROM requests ORDER BY received, id').all() as RequestRecord[];
  const workload = db.prepare(
    `SELECT COUNT(*) AS documents,
                SUM(d.review = 'reviewed') AS reviewed,
                SUM(d.review = 'in-review') AS inReview,
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
    const work = workload.get(request.id) as {
      documents: number;
      reviewed: number | null;
      inReview: number | null;
      unprocessed: number | null;
      pages: number | null;
    };
    const unprocessedPages = work.pages ?? 0;
    let backlogWarning: string | null = null;
    let projectedAtRisk = false;
    if (unprocessedPages > 0 && rate) {
      const minutesNeeded = unprocessedPages / rate;
      const from = options.asOf === undefined ? now.getTime() : new Date(`${asOf}T00:00:00`).getTime();
      const finish = from + minutesNeeded * 60_000;
      const endOfDue = new Date(`${f.dueDate}T23:59:59`).getTime();
      if (finish > endOfDue) {
        backlogWarning = `${unprocessedPages} page(s) left at ${Math.round(rate)} pages/min need ${Math.ceil(minutesNeeded)} min: they will not be done by the end of ${f.dueDate}`;
      }
      // The clock as it will stand when the work is done: past 80% of the window (or overdue) escalates now.
      projectedAtRisk = book.figures(request, localDateOf(new Date(finish))).status !== 'on-track';
    }
    const status = f.status as DeadlineRow['status'];
    const level = status === 'on-track' && projectedAtRisk ? 'at-risk' : status;
    if (options.asOf === undefined || asOf === today) {
      if (escalate(db, clock, request, level, f, level === status ? 'window' : 'projected')) options.onEscalation?.(request.id, level);
    }
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
      reviewed: work.reviewed ?? 0,
      inReview: work.inReview ?? 0,
      unprocessedDocuments: work.unprocessed ?? 0,
      unprocessedPages,
      backlogWarning,
    });
  }
  return rows.sort((a, b) => dayNumber(a.dueDate) - dayNumber(b.dueDate) || a.requestId.localeCompare(b.requestId));
}

/** What one sweep did: how many open requests it looked at, the escalations it wrote, and those still waiting for a person. */
export type SweepResult = { at: string; requests: number; escalated: { requestId: string; level: string }[] };

/**
 * One deadline sweep on the real clock (the app's hourly and after-midnight timer, `custodian deadlines
 * sweep` from an OS scheduler): every crossing since the last look written once, whoever sweeps.
 */
export function sweepDeadlines(db: Db, clock: Clock, book: DeadlineBook, threads: number): SweepResult {
  const escalated: SweepResult['escalated'] = [];
  const rows = deadlineReport(db, clock, book, { threads, onEscalation: (requestId, level) => escalated.push({ requestId, level }) });
  return { at: clock.now().toISOString(), requests: rows.length, escalated };
}

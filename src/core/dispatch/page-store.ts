import { findingsDigest, prepared, textDigest, wordsDigest, type Db, type FindingColumns } from '../store/index.js';
import type { Clock } from '../clock.js';
import { appendEvent, type ResourceFigures } from '../ledger/index.js';
import type { LeasedJob } from '../queue/index.js';
import type { ExtractResult, WorkerFigures } from '../extract/index.js';
import { highestLane, laneFor, raiseLane, type Lane } from '../sensitive/index.js';

type PageDone = Extract<ExtractResult, { kind: 'page'; ok: true }>;

/** Sanitized resource figures for the ledger. */
export function figuresPayload(f: WorkerFigures): ResourceFigures {
  return { threadId: f.threadId, lane: f.lane, rssMb: f.rssMb, heapMb: f.heapMb, cpuMs: f.cpuMs, wallMs: f.wallMs };
}

/** Records a document's page count and creates its page work units, with `document.planned`. Idempotent. */
export function recordPlan(db: Db, clock: Clock, job: LeasedJob, pages: number, figures: WorkerFigures): void {
  db.transaction(() => {
    prepared(db, 'UPDATE documents SET page_count = ? WHERE id = ?').run(pages, job.documentId);
    const insert = prepared(db, `INSERT OR IGNORE INTO pages (document_id, page_no, state) VALUES (?, ?, 'pending')`);
    for (let p = 1; p <= pages; p++) insert.run(job.documentId, p);
    appendEvent(db, clock, {
      traceId: job.traceId,
      type: 'document.planned',
      payload: { jobId: job.id, documentId: job.documentId, pages, ...figuresPayload(figures) },
    });
  }).immediate();
}

/** A leased document's lane, and its page count once planned (null: the plan task has not run yet). */
export function documentPlan(db: Db, documentId: number): { lane: Lane; planned: number | null } {
  return prepared(db, 'SELECT lane, page_count AS planned FROM documents WHERE id = ?').get(documentId) as { lane: Lane; planned: number | null };
}

/** OCR gave up on a page whose fallback text is stored: the fallback becomes its text (`page.ocr-gave-up`). */
export function keepFallback(db: Db, clock: Clock, job: LeasedJob, pageNo: number): void {
  db.transaction(() => {
    appendEvent(db, clock, { traceId: job.traceId, type: 'page.ocr-gave-up', payload: { documentId: job.documentId, pageNo, kept: 'fallback' } });
    prepared(db, `UPDATE pages SET state = 'done' WHERE document_id = ? AND page_no = ?`).run(job.documentId, pageNo);
  }).immediate();
}

/** Page numbers of a document still to extract, and those holding only fallback text (OCR to redo). */
export function pagesToRun(db: Db, documentId: number): { pending: number[]; fallback: number[] } {
  const rows = prepared(db, `SELECT page_no AS pageNo, state FROM pages WHERE document_id = ? AND state != 'done' ORDER BY page_no`).all(documentId) as {
    pageNo: number;
    state: string;
  }[];
  return { pending: rows.filter((r) => r.state === 'pending').map((r) => r.pageNo), fallback: rows.filter((r) => r.state === 'fallback').map((r) => r.pageNo) };
}

/**
 * Stores one page's extraction (text, method, confidence, word boxes, size, duration) with its ledger
 * event, in one transaction. `final: false` with method `fallback` keeps the page open for OCR later.
 */
export function recordPage(db: Db, clock: Clock, job: LeasedJob, result: PageDone, attempt: number, state: 'done' | 'fallback'): Lane {
  return db
    .transaction((): Lane => {
      const words = JSON.stringify(result.words.map((w) => [w.text, w.x0, w.y0, w.x1, w.y1, w.confidence]));
      prepared(
        db,
        `UPDATE pages SET state = ?, method = ?, text = ?, confidence = ?, words = ?, width = ?, height = ?, dpi = ?, blank = ?, ocr_languages = ?, rotation = ?, duration_ms = ?, attempts = attempts + ?, updated_at = ?
        WHERE document_id = ? AND page_no = ?`,
      ).run(
        state,
        result.method,
        result.text,
        result.confidence,
        words,
        result.width,
        result.height,
        result.dpi,
        result.blank ? 1 : 0,
        result.languages ?? null,
        result.rotation ?? 0,
        result.figures.wallMs,
        attempt,
        clock.now().toISOString(),
        job.documentId,
        result.pageNo,
      );
      appendEvent(db, clock, {
        traceId: job.traceId,
        type: result.method === 'fallback' ? 'page.fallback' : 'page.extracted',
        payload: {
          jobId: job.id,
          documentId: job.documentId,
          pageNo: result.pageNo,
          method: result.method,
          confidence: result.confidence === null ? null : Math.round(result.confidence),
          words: result.words.length,
          textSha256: textDigest(result.text),
          wordsSha256: wordsDigest(words),
          ...(result.blank && { blank: true as const }),
          ...(result.languages && { languages: result.languages }),
          ...(result.rotation && { rotation: result.rotation }),
          attempt,
          ...figuresPayload(result.figures),
        },
      });
      if (result.figures.recycled) {
        appendEvent(db, clock, { traceId: job.traceId, type: 'worker.recycled', payload: { cause: 'pages-or-rss', ...figuresPayload(result.figures) } });
      }
      return recordFindings(db, clock, job, result);
    })
    .immediate();
}

/**
 * Replaces a page's findings with this extraction's and raises the document's lane if they call for it
 * (never lowers it). The ledger gets counts by type and the lane change, never matched text.
 * @returns the document's lane now.
 */
function recordFindings(db: Db, clock: Clock, job: LeasedJob, result: PageDone): Lane {
  const removed = prepared(db, 'DELETE FROM findings WHERE document_id = ? AND page_no = ?').run(job.documentId, result.pageNo);
  const insert = prepared(
    db,
    'INSERT INTO findings (document_id, page_no, type, bbox, confidence, text_hash, exemption, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const now = clock.now().toISOString();
  const stored: FindingColumns[] = result.findings.map((f) => ({
    type: f.type,
    bbox: f.bbox ? JSON.stringify(f.bbox) : null,
    confidence: f.confidence,
    textHash: f.textHash,
    exemption: f.suggestedExemption,
  }));
  for (const f of stored) insert.run(job.documentId, result.pageNo, f.type, f.bbox, f.confidence, f.textHash, f.exemption, now);
  // A page's set is on the ledger whenever it holds findings or loses them (a redone page with none).
  if (stored.length > 0 || removed.changes > 0) {
    const counts: Record<string, number> = {};
    for (const f of stored) counts[f.type] = (counts[f.type] ?? 0) + 1;
    appendEvent(db, clock, {
      traceId: job.traceId,
      type: 'page.findings',
      payload: { documentId: job.documentId, pageNo: result.pageNo, counts, findingsSha256: findingsDigest(stored) },
    });
  }
  const wanted = highestLane(...result.findings.map((f) => laneFor(f.type)));
  return raiseLane(db, clock, job.traceId, job.documentId, wanted, { pageNo: result.pageNo, cause: 'detection' });
}

/** A document's page figures: how many pages, by how their text was obtained, and the mean OCR confidence. */
export type PageSummary = { pages: number; textLayer: number; ocr: number; fallback: number; meanConfidence: number | null };

/** Per-document page figures, for `job.done` and `custodian docs`. */
export function pageSummary(db: Db, documentId: number): PageSummary {
  const r = prepared(
    db,
    `SELECT COUNT(*) AS pages, SUM(method = 'text-layer') AS textLayer, SUM(method = 'ocr') AS ocr, SUM(method = 'fallback') AS fallback, AVG(confidence) AS meanConfidence
       FROM pages WHERE document_id = ?`,
  ).get(documentId) as { pages: number; textLayer: number | null; ocr: number | null; fallback: number | null; meanConfidence: number | null };
  return {
    pages: r.pages,
    textLayer: r.textLayer ?? 0,
    ocr: r.ocr ?? 0,
    fallback: r.fallback ?? 0,
    meanConfidence: r.meanConfidence === null ? null : Math.round(r.meanConfidence * 10) / 10,
  };
}

import { randomUUID } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Db } from '../store/index.js';
import type { Clock } from '../clock.js';
import { appendEvent } from '../ledger/index.js';
import { EngineError, requireReason } from '../errors.js';
import type { Finding } from '../../shared/types.js';
import { LANE_RANK, type Lane } from './detect.js';
import { agencyTerms } from './terms.js';
import { documentRef, type DocRow } from '../store/index.js';

/** A document's findings in page order. */
export function listFindings(db: Db, documentId: number): Finding[] {
  const rows = db
    .prepare(
      'SELECT type, page_no AS page, bbox, confidence, exemption AS suggestedExemption, text_hash AS textHash FROM findings WHERE document_id = ? ORDER BY page_no, id',
    )
    .all(documentId) as (Omit<Finding, 'bbox'> & { bbox: string | null })[];
  return rows.map((r) => ({ ...r, bbox: r.bbox ? (JSON.parse(r.bbox) as Finding['bbox']) : null }));
}

/**
 * Sets a document's lane on an operator's decision (lowering needs one: detection only ever raises).
 * @throws EngineError without a reason or with an unknown lane.
 */
export function setLane(db: Db, clock: Clock, ref: string, lane: string, reason: string | undefined): { documentId: number; from: Lane; to: Lane } {
  if (!isLane(lane)) throw new EngineError('invalid-argument', `A lane is public, pii or classified, not ${lane}.`);
  const why = requireReason(reason);
  const doc = documentRef(db, ref);
  db.transaction(() => {
    db.prepare('UPDATE documents SET lane = ? WHERE id = ?').run(lane, doc.id);
    appendEvent(db, clock, { traceId: randomUUID(), type: 'document.lane-set', payload: { documentId: doc.id, from: doc.lane, to: lane, reason: why } });
  }).immediate();
  return { documentId: doc.id, from: doc.lane, to: lane };
}

function isLane(lane: string): lane is Lane {
  return lane in LANE_RANK;
}

/** What a redaction export wrote. */
export type RedactionExport = { dir: string; documents: number; findings: number; byType: Record<string, number>; byLane: Record<string, number> };

/**
 * Writes a redaction worklist per flagged document (a restricted lane, or any finding) of a batch or a
 * request: `<sha256>.json` with the document hash, pages and findings (boxes, confidences, exemption codes),
 * and `summary.json`. Files are written whole (temp file, then rename). Nothing of the text goes out.
 */
export function exportRedaction(db: Db, clock: Clock, scope: { batchId?: string; requestId?: string }, outDir: string): RedactionExport {
  if (!scope.batchId === !scope.requestId) throw new EngineError('invalid-argument', 'Give exactly one of --batch or --request.');
  const docs = (
    scope.batchId
      ? db
          .prepare(
            'SELECT DISTINCT d.id, d.sha256, d.lane, d.page_count AS pages, d.media_type AS mediaType, d.first_path AS path FROM documents d JOIN intake_entries e ON e.document_id = d.id WHERE e.batch_id = ? ORDER BY d.id',
          )
          .all(scope.batchId)
      : db
          .prepare(
            'SELECT d.id, d.sha256, d.lane, d.page_count AS pages, d.media_type AS mediaType, d.first_path AS path FROM documents d JOIN request_documents r ON r.document_id = d.id WHERE r.request_id = ? ORDER BY d.id',
          )
          .all(scope.requestId)
  ) as DocRow[];
  if (docs.length === 0) throw new EngineError('not-found', `No documents for ${scope.batchId ? `batch ${scope.batchId}` : `request ${scope.requestId}`}.`);
  mkdirSync(outDir, { recursive: true });
  const write = (name: string, value: unknown): void => {
    const tmp = path.join(outDir, `.${name}.${process.pid}.tmp`);
    writeFileSync(tmp, `${JSON.stringify(value, null, 2)}\n`);
    renameSync(tmp, path.join(outDir, name));
  };
  const byType: Record<string, number> = {};
  const byLane: Record<string, number> = {};
  let documents = 0;
  let findings = 0;
  const listed: { sha256: string; lane: Lane; findings: number; file: string }[] = [];
  for (const doc of docs) {
    const list = listFindings(db, doc.id);
    if (list.length === 0 && doc.lane === 'public') continue;
    documents++;
    findings += list.length;
    byLane[doc.lane] = (byLane[doc.lane] ?? 0) + 1;
    for (const f of list) byType[f.type] = (byType[f.type] ?? 0) + 1;
    const file = `${doc.sha256}.json`;
    write(file, { document: { id: doc.id, sha256: doc.sha256, mediaType: doc.mediaType, lane: doc.lane, pages: doc.pages }, findings: list });
    listed.push({ sha256: doc.sha256, lane: doc.lane, findings: list.length, file });
  }
  write('summary.json', {
    generatedAt: clock.now().toISOString(),
    scope,
    documentsScanned: docs.length,
    flagged: documents,
    findings,
    byType,
    byLane,
    documents: listed,
  });
  appendEvent(db, clock, { traceId: randomUUID(), type: 'redaction.exported', payload: { ...scope, documents, findings, byType } });
  return { dir: outDir, documents, findings, byType, byLane };
}

/** The agency's term list. */
export function listTerms(db: Db): { term: string; statute: string | null }[] {
  return agencyTerms(db).map((t) => ({ term: t.term, statute: t.statute ?? null }));
}

/** Adds (or updates) an agency term; the ledger records that the list changed, not the term. */
export function addTerm(db: Db, clock: Clock, term: string, statute?: string): void {
  const t = term.trim();
  if (!t) throw new EngineError('invalid-argument', 'A term cannot be empty.');
  db.transaction(() => {
    db.prepare('INSERT INTO agency_terms (term, statute, created_at) VALUES (?, ?, ?) ON CONFLICT(term) DO UPDATE SET statute = excluded.statute').run(
      t,
      statute?.trim() || null,
      clock.now().toISOString(),
    );
    appendEvent(db, clock, { traceId: randomUUID(), type: 'terms.changed', payload: { action: 'add', terms: listTerms(db).length } });
  }).immediate();
}

/** Removes an agency term. @throws EngineError `not-found`. */
export function removeTerm(db: Db, clock: Clock, term: string): void {
  db.transaction(() => {
    if (db.prepare('DELETE FROM agency_terms WHERE term = ?').run(term.trim()).changes === 0)
      throw new EngineError('not-found', `No term ${JSON.stringify(term)}.`);
    appendEvent(db, clock, { traceId: randomUUID(), type: 'terms.changed', payload: { action: 'remove', terms: listTerms(db).length } });
  }).immediate();
}

import os from 'node:os';
import path from 'node:path';
import type { Db } from '../store/index.js';
import { EngineError } from '../errors.js';
import { parseCivilDate } from '../deadlines/index.js';
import type { DeadlineRow } from '../deadlines/index.js';
import type { Checkpoint } from './checkpoints.js';

/** What a report covers: everything, a request, a batch, and/or the documents registered between two dates. */
export type ReportScope = { requestId?: string; batchId?: string; from?: string; to?: string };

/** Everything a report states, as report.json holds it (the PDF renders the same facts). */
export type ReportFacts = {
  format: 'custodian-report/1';
  generatedAt: string;
  workstation: string;
  operator: string;
  scope: ReportScope & { description: string };
  summary: {
    documents: number;
    pages: number;
    byLane: Record<string, number>;
    byState: Record<string, number>;
    quarantined: number;
    findingsByType: Record<string, number>;
  };
  documents: {
    id: number;
    sha256: string;
    name: string;
    batchId: string;
    pages: number | null;
    methods: { ocr: number; textLayer: number; fallback: number };
    lane: string;
    status: string;
    legalHold: boolean;
    findings: Record<string, number>;
  }[];
  quarantine: { id: number; reasonCode: string; message: string; state: string; name: string; sha256: string | null }[];
  deadlines: DeadlineRow[];
  escalations: { ts: string; type: string; requestId: string; dueDate: string; supervisor: string | null; acknowledged: boolean }[];
  /** Requests at risk or overdue that no person has acknowledged when the report was made. */
  unacknowledgedEscalations: { requestId: string; level: string; supervisor: string | null }[];
  ledger: { head: { seq: number; hash: string }; entriesInScope: number };
  checkpoint: Checkpoint;
  signing: { algorithm: 'Ed25519'; fingerprint: string };
};

/** Finding counts by type for each document that has findings (a report's facts; never the matched text). */
export function findingCountsByDocument(db: Db): Map<number, Record<string, number>> {
  const byDocument = new Map<number, Record<string, number>>();
  for (const r of db.prepare('SELECT document_id AS id, type, COUNT(*) AS n FROM findings GROUP BY document_id, type').all() as {
    id: number;
    type: string;
    n: number;
  }[]) {
    byDocument.set(r.id, { ...(byDocument.get(r.id) ?? {}), [r.type]: r.n });
  }
  return byDocument;
}

/** A ledger row as ledger.jsonl carries it. */
export type LedgerLine = { seq: number; ts: string; trace_id: string; type: string; prev_hash: string; hash: string; payload: unknown };

/** Document ids, batch trace ids and the time window the scope selects (null: no restriction). */
export function resolveScope(
  db: Db,
  scope: ReportScope,
): { documentIds: Set<number> | null; traceIds: Set<string> | null; window: [string, string] | null; description: string } {
  const parts: string[] = [];
  let documentIds: Set<number> | null = null;
  let traceIds: Set<string> | null = null;
  const intersect = (ids: number[]): void => {
    documentIds = documentIds === null ? new Set(ids) : new Set(ids.filter((i) => documentIds!.has(i)));
  };
  if (scope.requestId) {
    if (!db.prepare('SELECT 1 FROM requests WHERE id = ?').get(scope.requestId)) throw new EngineError('not-found', `No request ${scope.requestId}.`);
    intersect(db.prepare('SELECT document_id FROM request_documents WHERE request_id = ?').pluck().all(scope.requestId) as number[]);
    traceIds = new Set(db.prepare('SELECT trace_id FROM batches WHERE request_id = ?').pluck().all(scope.requestId) as string[]);
    parts.push(`request ${scope.requestId}`);
  }
  if (scope.batchId) {
    const trace = db.prepare('SELECT trace_id FROM batches WHERE id = ?').pluck().get(scope.batchId) as string | undefined;
    if (!trace) throw new EngineError('not-found', `No batch ${scope.batchId}.`);
    intersect(
      db.prepare('SELECT DISTINCT document_id FROM intake_entries WHERE batch_id = ? AND document_id IS NOT NULL').pluck().all(scope.batchId) as number[],
    );
    traceIds = new Set([...(traceIds ?? []), trace]);
    parts.push(`batch ${scope.batchId}`);
  }
  let window: [string, string] | null = null;
  if (scope.from || scope.to) {
    let from: string;
    let to: string;
    try {
      from = parseCivilDate(scope.from ?? '1970-01-01');
      to = parseCivilDate(scope.to ?? '9999-12-31');
    } catch (err) {
      throw new EngineError('invalid-argument', `--from/--to: ${(err as Error).message}`);
    }
    if (to < from) throw new EngineError('invalid-argument', `--to ${to} is before --from ${from}.`);
    // Local dates, compared on the stored UTC instants' local dates.
    window = [new Date(`${from}T00:00:00`).toISOString(), new Date(`${to}T23:59:59.999`).toISOString()];
    intersect(db.prepare('SELECT id FROM documents WHERE created_at BETWEEN ? AND ?').pluck().all(window[0], window[1]) as number[]);
    parts.push(`registered ${from} to ${to}`);
  }
  return { documentIds, traceIds, window, description: parts.length ? parts.join(', ') : 'all records' };
}

/** The ledger entries a scope covers: its batches' trace ids and request events, within the window. */
export function ledgerInScope(db: Db, scope: ReportScope, resolved: ReturnType<typeof resolveScope>): LedgerLine[] {
  const rows = db.prepare('SELECT seq, ts, trace_id, type, prev_hash, hash, payload FROM ledger ORDER BY seq').all() as (Omit<LedgerLine, 'payload'> & {
    payload: string;
  })[];
  return rows
    .filter((r) => {
      if (resolved.window && (r.ts < resolved.window[0] || r.ts > resolved.window[1])) return false;
      if (!resolved.traceIds) return true;
      if (resolved.traceIds.has(r.trace_id)) return true;
      return scope.requestId !== undefined && (JSON.parse(r.payload) as { requestId?: string }).requestId === scope.requestId;
    })
    .map((r) => ({ ...r, payload: JSON.parse(r.payload) as unknown }));
}

/** Workstation and operator names for the report header. */
export function whoAndWhere(): { workstation: string; operator: string } {
  let operator = 'unknown';
  try {
    operator = os.userInfo().username;
  } catch {
    // no passwd entry (containers): keep "unknown"
  }
  return { workstation: os.hostname(), operator };
}

/** A path's last component, for reports (full paths stay on the workstation). */
export const nameOf = (p: string): string => path.basename(p);

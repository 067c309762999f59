import { randomUUID } from 'node:crypto';
import type { Db } from '../store/index.js';
import type { Clock } from '../clock.js';
import { EngineError } from '../errors.js';
import { appendEvent } from '../ledger/index.js';
import type { DocumentSummary, LedgerVerifyResult } from '../../shared/types.js';
import type { QuarantineRecord } from '../quarantine/index.js';
import type { DeadlineRow, OpenEscalation } from '../deadlines/index.js';
import { signCheckpoint } from './checkpoints.js';
import { ledgerInScope, nameOf, resolveScope, whoAndWhere, type ReportFacts, type ReportScope } from './report-facts.js';
import { renderReportPdf } from './report-pdf.js';
import type { SigningKey } from './signing-key.js';
import { writeSignedFolder } from './signed-folder.js';
import { verificationReadme } from './report-readme.js';

/** Files a report holds; the manifest covers the first five, the signature covers the manifest. */
export const REPORT_FILES = ['report.pdf', 'report.json', 'ledger.jsonl', 'public-key.pem', 'README.txt'] as const;

/** Inputs the engine gathers for a report. */
export type ReportInputs = {
  documents: DocumentSummary[];
  quarantine: QuarantineRecord[];
  deadlines: DeadlineRow[];
  findingsByDocument: Map<number, Record<string, number>>;
  /** Escalations no person has acknowledged yet (the deadline inbox). */
  openEscalations: OpenEscalation[];
};

/**
 * Writes `custodian-report-<UTC timestamp>/` into `outDir`: report.pdf, report.json, ledger.jsonl,
 * public-key.pem, README.txt, manifest-sha256.txt and signature.ed25519, as a signed folder (see
 * {@link writeSignedFolder}: a full disk, a read-only target or a pulled drive leaves no folder with the
 * report's name).
 * @throws EngineError `io-error` saying what failed.
 */
export async function exportReport(
  db: Db,
  clock: Clock,
  key: SigningKey,
  scope: ReportScope,
  snapshot: { gather: () => ReportInputs; verify: () => LedgerVerifyResult },
  outDir: string,
): Promise<{ dir: string; facts: ReportFacts }> {
  // One snapshot: the verification, every fact, the ledger lines and the signed head are read inside one
  // write-locked transaction, so an ingest in another process cannot commit between them (a report never
  // lists as queued a document its own ledger.jsonl shows done).
  const { inputs, resolved, ledger, checkpoint } = db
    .transaction(() => {
      const verdict = snapshot.verify();
      if (!verdict.ok) {
        throw new EngineError('ledger-unverified', `Nothing was signed: ${verdict.reason}. Run \`custodian ledger verify\` for the details.`);
      }
      const resolved = resolveScope(db, scope);
      const ledger = ledgerInScope(db, scope, resolved);
      const inputs = snapshot.gather();
      const checkpoint = signCheckpoint(db, clock, key, 'export');
      if (!checkpoint) throw new EngineError('invalid-state', 'The ledger is empty: there is nothing to report.');
      return { inputs, resolved, ledger, checkpoint };
    })
    .immediate();
  const inScope = (id: number): boolean => resolved.documentIds === null || resolved.documentIds.has(id);
  const now = clock.now();
  const documents = inputs.documents
    .filter((d) => inScope(d.id))
    .map((d) => ({
      id: d.id,
      sha256: d.sha256,
      name: nameOf(d.path),
      batchId: d.batchId,
      pages: d.pages,
      methods: d.methods,
      lane: d.lane,
      status: d.state,
      legalHold: d.legalHold,
      findings: inputs.findingsByDocument.get(d.id) ?? {},
    }));
  const count = <T>(xs: T[], key: (x: T) => string): Record<string, number> =>
    xs.reduce<Record<string, number>>((m, x) => ({ ...m, [key(x)]: (m[key(x)] ?? 0) + 1 }), {});
  const findingsByType: Record<string, number> = {};
  for (const d of documents) for (const [t, n] of Object.entries(d.findings)) findingsByType[t] = (findingsByType[t] ?? 0) + n;
  const quarantine = inputs.quarantine
    .filter(
      (q) => resolved.documentIds === null || (scope.batchId !== undefined && q.batchId === scope.batchId) || (q.documentId !== null && inScope(q.documentId)),
    )
    .map((q) => ({ id: q.id, reasonCode: q.reasonCode, message: q.message, state: q.state, name: nameOf(q.path), sha256: q.sha256 }));
  const deadlines = scope.requestId ? inputs.deadlines.filter((d) => d.requestId === scope.requestId) : scope.batchId ? [] : inputs.deadlines;
  // An escalation counts as acknowledged when a later `deadline.acknowledged` names its request and level.
  const acknowledgements = ledger
    .filter((l) => l.type === 'deadline.acknowledged')
    .map((l) => ({ seq: l.seq, ...(l.payload as { requestId: string; level: string }) }));
  const escalations = ledger
    .filter((l) => l.type === 'deadline.at-risk' || l.type === 'deadline.overdue')
    .map((l) => {
      const p = l.payload as { requestId: string; dueDate: string; supervisor?: string | null };
      const level = l.type.slice('deadline.'.length);
      const acknowledged = acknowledgements.some((a) => a.seq > l.seq && a.requestId === p.requestId && (a.level === level || a.level === 'overdue'));
      return { ts: l.ts, type: l.type, requestId: p.requestId, dueDate: p.dueDate, supervisor: p.supervisor ?? null, acknowledged };
    });
  const unacknowledged = inputs.openEscalations.filter((e) => !scope.requestId || e.requestId === scope.requestId);
  const facts: ReportFacts = {
    format: 'custodian-report/1',
    generatedAt: now.toISOString(),
    ...whoAndWhere(),
    scope: { ...scope, description: resolved.description },
    summary: {
      documents: documents.length,
      pages: documents.reduce((s, d) => s + (d.pages ?? 0), 0),
      byLane: count(documents, (d) => d.lane),
      byState: count(documents, (d) => d.status),
      quarantined: quarantine.length,
      findingsByType,
    },
    documents,
    quarantine,
    deadlines,
    escalations,
    unacknowledgedEscalations: unacknowledged,
    ledger: { head: { seq: checkpoint.seq, hash: checkpoint.hash }, entriesInScope: ledger.length },
    checkpoint,
    signing: { algorithm: 'Ed25519', fingerprint: key.fingerprint },
  };

  const name = `custodian-report-${now.toISOString().replace(/[:.]/gu, '-')}`;
  const files: Record<(typeof REPORT_FILES)[number], string | Uint8Array> = {
    'report.pdf': await renderReportPdf(facts),
    'report.json': `${JSON.stringify(facts, null, 2)}\n`,
    'ledger.jsonl': ledger.map((l) => JSON.stringify(l)).join('\n') + (ledger.length ? '\n' : ''),
    'public-key.pem': key.publicPem,
    'README.txt': verificationReadme(key.fingerprint),
  };
  // A drive pulled mid-write is a crash point for the tests.
  const dir = await writeSignedFolder({ outDir, name, key, files, what: 'report', failpointName: 'report.mid-write' });
  appendEvent(db, clock, {
    traceId: randomUUID(),
    type: 'report.exported',
    payload: { folder: name, documents: documents.length, ledgerEntries: ledger.length, checkpointSeq: checkpoint.seq, fingerprint: key.fingerprint },
  });
  return { dir, facts };
}

import { createHash, randomUUID } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import type { Db } from '../store/index.js';
import type { Clock } from '../clock.js';
import { EngineError, errnoCode } from '../errors.js';
import { appendEvent } from '../ledger/index.js';
import { failpoint } from '../failpoints.js';
import type { DocumentSummary } from '../../shared/types.js';
import type { QuarantineRecord } from '../quarantine/index.js';
import type { DeadlineRow } from '../deadlines/index.js';
import { signCheckpoint } from './checkpoints.js';
import { ledgerInScope, nameOf, resolveScope, whoAndWhere, type ReportFacts, type ReportScope } from './report-facts.js';
import { renderReportPdf } from './report-pdf.js';
import { signBytes, type SigningKey } from './signing-key.js';
import { verificationReadme } from './report-readme.js';

/** Files a report holds; the manifest covers the first five, the signature covers the manifest. */
export const REPORT_FILES = ['report.pdf', 'report.json', 'ledger.jsonl', 'public-key.pem', 'README.txt'] as const;

function writeDurable(dir: string, name: string, data: string | Uint8Array): void {
  const fd = openSync(path.join(dir, name), 'wx', 0o644);
  try {
    const bytes = typeof data === 'string' ? Buffer.from(data) : data;
    for (let off = 0; off < bytes.length;) off += writeSync(fd, bytes, off, bytes.length - off);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

const sha256 = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex');

/** Inputs the engine gathers for a report. */
export type ReportInputs = {
  documents: DocumentSummary[];
  quarantine: QuarantineRecord[];
  deadlines: DeadlineRow[];
  findingsByDocument: Map<number, Record<string, number>>;
};

/**
 * Writes `custodian-report-<UTC timestamp>/` into `outDir`: report.pdf, report.json, ledger.jsonl,
 * public-key.pem, README.txt, manifest-sha256.txt and signature.ed25519. It is written into a hidden
 * temporary folder on the same device, every file and the folder fsynced, then renamed: a full disk, a
 * read-only target or a pulled drive leaves no folder with the report's name.
 * @throws EngineError `io-error` saying what failed.
 */
export async function exportReport(
  db: Db,
  clock: Clock,
  key: SigningKey,
  scope: ReportScope,
  inputs: ReportInputs,
  outDir: string,
): Promise<{ dir: string; facts: ReportFacts }> {
  const resolved = resolveScope(db, scope);
  const inScope = (id: number): boolean => resolved.documentIds === null || resolved.documentIds.has(id);
  const checkpoint = signCheckpoint(db, clock, key, 'export');
  if (!checkpoint) throw new EngineError('invalid-state', 'The ledger is empty: there is nothing to report.');
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
  const ledger = ledgerInScope(db, scope, resolved);
  const deadlines = scope.requestId ? inputs.deadlines.filter((d) => d.requestId === scope.requestId) : scope.batchId ? [] : inputs.deadlines;
  const escalations = ledger
    .filter((l) => l.type.startsWith('deadline.'))
    .map((l) => {
      const p = l.payload as { requestId: string; dueDate: string };
      return { ts: l.ts, type: l.type, requestId: p.requestId, dueDate: p.dueDate };
    });
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
    ledger: { head: { seq: checkpoint.seq, hash: checkpoint.hash }, entriesInScope: ledger.length },
    checkpoint,
    signing: { algorithm: 'Ed25519', fingerprint: key.fingerprint },
  };

  const name = `custodian-report-${now.toISOString().replace(/[:.]/gu, '-')}`;
  const final = path.join(outDir, name);
  const tmp = path.join(outDir, `.${name}.partial`);
  try {
    mkdirSync(outDir, { recursive: true });
    mkdirSync(tmp);
    const files: Record<(typeof REPORT_FILES)[number], string | Uint8Array> = {
      'report.pdf': await renderReportPdf(facts),
      'report.json': `${JSON.stringify(facts, null, 2)}\n`,
      'ledger.jsonl': ledger.map((l) => JSON.stringify(l)).join('\n') + (ledger.length ? '\n' : ''),
      'public-key.pem': key.publicPem,
      'README.txt': verificationReadme(key.fingerprint),
    };
    for (const [file, data] of Object.entries(files)) {
      writeDurable(tmp, file, data);
      failpoint('report.mid-write'); // a drive pulled mid-write, for the tests
    }
    const manifest = REPORT_FILES.map((f) => `${sha256(files[f])}  ${f}\n`).join('');
    writeDurable(tmp, 'manifest-sha256.txt', manifest);
    writeDurable(tmp, 'signature.ed25519', signBytes(key, manifest));
    fsyncDir(tmp);
    renameSync(tmp, final);
    fsyncDir(outDir);
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    const code = errnoCode(err);
    const why =
      code === 'ENOSPC'
        ? 'the drive is full'
        : code === 'EROFS' || code === 'EACCES' || code === 'EPERM'
          ? 'the drive cannot be written'
          : code === 'EIO' || code === 'ENODEV' || code === 'ENOENT'
            ? 'the drive went away'
            : (err as Error).message;
    throw new EngineError('io-error', `The report could not be written to ${outDir}: ${why}. Nothing was left that looks like a report.`, { cause: err });
  }
  appendEvent(db, clock, {
    traceId: randomUUID(),
    type: 'report.exported',
    payload: { folder: name, documents: documents.length, ledgerEntries: ledger.length, checkpointSeq: checkpoint.seq, fingerprint: key.fingerprint },
  });
  return { dir: final, facts };
}

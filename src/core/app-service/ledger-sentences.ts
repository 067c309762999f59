import type { LedgerEntry, LedgerLine } from '../../shared/types.js';
import type { EventType } from '../ledger/index.js';

type Payload = Record<string, unknown>;

const n = (v: unknown): string => (typeof v === 'number' ? v.toLocaleString('en-US') : String(v ?? '?'));
const short = (v: unknown): string => (typeof v === 'string' ? v.slice(0, 8) : '?');
const doc = (p: Payload): string => (p.documentId !== undefined ? `record ${n(p.documentId)}` : 'a record');
const job = (p: Payload): string => (p.jobId !== undefined ? `processing job ${n(p.jobId)}` : 'a processing job');

/** One sentence per ledger event type of the catalogue (the compiler holds them equal), for a clerk; payloads hold only codes, counts and ids. */
const SENTENCES: Record<EventType, (p: Payload) => string> = {
  'batch.started': (p) => `Batch ${short(p.batchId)} started.`,
  'batch.walked': (p) =>
    `Batch ${short(p.batchId)} taken in: ${n(p.files)} files, ${n(p.registered)} new records, ${n(p.duplicates)} duplicates, ${n(p.quarantined)} quarantined.`,
  'batch.completed': (p) => `Batch ${short(p.batchId)} finished processing.`,
  'batch.paused': (p) => `Batch ${short(p.batchId)} paused by an operator.`,
  'batch.cancelled': (p) =>
    p.code ? `Batch ${short(p.batchId)} cancelled: its walk failed (${p.code}).` : `Batch ${short(p.batchId)} cancelled by an operator.`,
  'batch.continued': (p) => `Batch ${short(p.batchId)} resumed by an operator.`,
  'batch.resumed': (p) => `Batch ${short(p.batchId)} taken up again after an interruption.`,
  'batch.reopened': (p) => `Batch ${short(p.batchId)} reopened for a retried quarantine item.`,
  'file.registered': (p) => `A file was registered as ${doc(p)}.`,
  'file.duplicate': (p) => `A file was recognised as a copy of ${doc(p)}.`,
  'file.quarantined': (p) => `A file was quarantined (${String(p.code ?? 'reason recorded')}).`,
  'file.unsupported': () => 'A file that is not a scan or PDF was set aside.',
  'file.custody-metadata': () => 'A custody manifest was read and checked.',
  'job.queued': (p) => `${doc(p)[0]!.toUpperCase()}${doc(p).slice(1)} queued for text extraction.`,
  'job.leased': (p) => `Work on ${job(p)} started (attempt ${n(p.attempt)}).`,
  'job.reclaimed': (p) =>
    `${job(p)[0]!.toUpperCase()}${job(p).slice(1)} returned to the queue (${p.cause === 'shutdown' ? 'the app was closing' : p.cause === 'restored' ? 'restored from a backup' : 'its worker stopped'}).`,
  'job.done': (p) => `Text extraction of ${doc(p)} finished.`,
  'job.quarantined': (p) => `Processing of ${doc(p)} stopped and it was quarantined (${String(p.code ?? 'reason recorded')}).`,
  'document.planned': (p) => `${doc(p)[0]!.toUpperCase()}${doc(p).slice(1)} opened: ${n(p.pages)} ${p.pages === 1 ? 'page' : 'pages'}.`,
  'document.lane-raised': (p) =>
    `${doc(p)[0]!.toUpperCase()}${doc(p).slice(1)} moved to the ${String(p.to ?? p.lane ?? 'restricted')} lane${p.cause === 'detection' ? ' after identifiers or markings were found' : ''}.`,
  'document.lane-set': (p) => `An operator set the lane of ${doc(p)} to ${String(p.to ?? '?')}.`,
  'document.restricted-viewed': (p) => `An operator read the text of ${doc(p)} (${String(p.lane)} lane), giving a reason.`,
  'page.extracted': (p) =>
    `Page ${n(p.pageNo)} of ${doc(p)}: text ${p.method === 'text-layer' ? 'read from the text layer' : `recognised (OCR${typeof p.confidence === 'number' ? `, ${p.confidence}% confidence` : ''})`}.`,
  'page.fallback': (p) => `Page ${n(p.pageNo)} of ${doc(p)}: recognition failed, the text layer was kept instead.`,
  'page.findings': (p) => `Page ${n(p.pageNo)} of ${doc(p)}: sensitive content found.`,
  'page.retry': (p) => `Page ${n(p.pageNo)} of ${doc(p)} is being tried again.`,
  'page.ocr-gave-up': (p) => `Text recognition gave up on page ${n(p.pageNo)} of ${doc(p)}.`,
  'page.requeued-for-ocr': (p) => `Page ${n(p.pageNo)} of ${doc(p)} queued again for text recognition.`,
  'quarantine.retried': (p) =>
    `A quarantined file was retried: ${
      p.result === 'requeued'
        ? 'it went back to processing'
        : p.result === 'still-held'
          ? 'it is still held'
          : p.result === 'passed'
            ? 'it passed and was taken in'
            : 'result recorded'
    }.`,
  'quarantine.released': () => 'An operator released a quarantined file, giving a reason.',
  'request.added': (p) => `Request ${String(p.requestId)} added (received ${String(p.received)}).`,
  'request.tolled': (p) => `The clock of request ${String(p.requestId)} was stopped from ${String(p.from)}.`,
  'request.resumed': (p) => `The clock of request ${String(p.requestId)} restarted on ${String(p.on)}.`,
  'request.extended': (p) => `Request ${String(p.requestId)} was extended by ${n(p.days)} ${p.days === 1 ? 'day' : 'days'}.`,
  'request.closed': (p) => `Request ${String(p.requestId)} was closed on ${String(p.on)}.`,
  'request.documents-added': (p) =>
    `${String(p.operator)} added ${(p.documentIds as unknown[]).length} document(s) to request ${String(p.requestId)}${p.via === 'search' ? ' from a search' : ''}.`,
  'request.documents-removed': (p) =>
    `${String(p.operator)} took ${(p.documentIds as unknown[]).length} document(s) out of request ${String(p.requestId)}: ${String(p.reason)}.`,
  'review.decided': (p) => {
    const decisions = p.decisions as { action: string; code: string | null; pageNo: number }[];
    const label: Record<string, string> = { redact: 'redacted', release: 'released', box: 'box(es) drawn', 'withhold-page': 'page(s) withheld' };
    const tally = new Map<string, number>();
    for (const d of decisions) tally.set(d.action, (tally.get(d.action) ?? 0) + 1);
    const counts = [...tally].map(([a, k]) => `${k} ${label[a] ?? a}`);
    return `${String(p.operator)} reviewed document ${String(p.documentId)}: ${counts.join(', ')}${p.reason ? ` (${String(p.reason)})` : ''}.`;
  },
  'review.done': (p) => `${String(p.operator)} marked document ${String(p.documentId)} reviewed (${n(p.decisions)} decisions).`,
  'review.reopened': (p) => `${String(p.operator)} reopened the review of document ${String(p.documentId)}: ${String(p.reason)}.`,
  'deadline.at-risk': (p) => `Request ${String(p.requestId)} became at risk (due ${String(p.dueDate)}).`,
  'deadline.overdue': (p) => `Request ${String(p.requestId)} became overdue (due ${String(p.dueDate)}).`,
  'deadline.acknowledged': (p) => `${String(p.operator)} acknowledged that request ${String(p.requestId)} is ${String(p.level)}: ${String(p.note)}`,
  'supervisor.set': (p) =>
    p.requestId
      ? `Escalations of request ${String(p.requestId)} now go to ${String(p.supervisor ?? 'the office supervisor')}.`
      : `The office supervisor is now ${String(p.supervisor ?? 'nobody')}.`,
  'closure.added': (p) => `${String(p.date)} declared an agency closure day (${String(p.jurisdiction)}).`,
  'pool.started': (p) => `Text extraction started with ${n(p.threads)} workers.`,
  'pool.lane-started': (p) => `Workers for the ${String(p.lane)} lane started.`,
  'ocr.languages-set': (p) => `The office's OCR languages were set to ${String(p.languages)}.`,
  'pool.throttled': (p) =>
    `Memory ran short (${n(p.rssMb)} MB used, ${n(p.availableMb)} MB free): ${n(p.to)} page${p.to === 1 ? '' : 's'} at a time, intake waits.`,
  'pool.restored': (p) => `Memory freed (${n(p.rssMb)} MB used): ${n(p.to)} pages at a time again.`,
  'worker.recycled': () => 'A worker was restarted to free memory.',
  'intake.paused': (p) => `Intake waited: ${n(p.queueDepth)} records were queued.`,
  'intake.resumed': () => 'Intake went on: the queue had room again.',
  'breaker.opened': () => 'Text recognition kept failing: it was paused for a moment.',
  'breaker.half-open': () => 'Text recognition is being tried again.',
  'breaker.closed': () => 'Text recognition works again.',
  'key.rotated': () => 'The signing key was replaced; the old key endorsed the new one.',
  'db.key-shown': () => 'An administrator had the database key shown.',
  'db.sql-run': () => 'An administrator ran SQL directly on the database.',
  'db.encrypted': () => 'The database, stored unencrypted until now, was encrypted.',
  'ledger.checkpoint': () => 'The ledger head was signed (a checkpoint).',
  'release.exported': (p) =>
    `A release of request ${String(p.requestId)} was exported: Bates ${String(p.batesFirst)} to ${String(p.batesLast)}, ${n(p.redactions)} redaction(s), ${n(p.withheldPages)} page(s) withheld.`,
  'report.exported': () => 'A signed audit report was exported.',
  'redaction.exported': () => 'Redaction worklists were exported.',
  'terms.changed': () => "The agency's term list changed.",
  'backup.created': (p) => `A signed backup was made (${n(p.documents)} records, ledger up to entry ${n(p.headSeq)}).`,
  'restore.completed': (p) =>
    `This workstation was restored from a backup of ${String(p.backupCreatedAt).slice(0, 10)} (ledger up to entry ${n(p.fromHeadSeq)}).`,
  'ship.configured': (p) => `The ledger is now sent to the collector ${String(p.target)}.`,
  'ship.disabled': () => 'Sending the ledger to the collector was turned off.',
};

/** The sentence a clerk reads for a ledger entry (an unknown type is named as it is stored). */
export function ledgerSentence(entry: Pick<LedgerEntry, 'type' | 'payload'>): string {
  const make = (SENTENCES as Record<string, ((p: Payload) => string) | undefined>)[entry.type];
  return make ? make(entry.payload) : `Recorded: ${entry.type}.`;
}

/** Ledger entries with their sentences. */
export function ledgerLines(entries: LedgerEntry[]): LedgerLine[] {
  return entries.map((e) => ({ ...e, sentence: ledgerSentence(e) }));
}

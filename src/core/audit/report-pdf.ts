import { PDFDocument, StandardFonts, type PDFFont, type PDFPage } from 'pdf-lib';
import type { ReportFacts } from './report-facts.js';

const PAGE: [number, number] = [612, 792];
const MARGIN = 54;
const SIZE = 9;
const LEAD = 12.5;

/** Text the standard Helvetica can draw (WinAnsi); anything else becomes `?` rather than failing the report. */
export const winAnsi = (s: string): string => s.replace(/[^\x20-\x7E\xA0-\xFF]/gu, '?');

/** A paginating line writer: header on every page, page numbers added at the end. */
class Writer {
  private page!: PDFPage;
  private y = 0;
  readonly pages: PDFPage[] = [];

  constructor(
    private readonly doc: PDFDocument,
    private readonly font: PDFFont,
    private readonly bold: PDFFont,
    private readonly mono: PDFFont,
    private readonly header: string,
  ) {
    this.newPage();
  }

  private newPage(): void {
    this.page = this.doc.addPage(PAGE);
    this.pages.push(this.page);
    this.page.drawText(winAnsi(this.header), { x: MARGIN, y: PAGE[1] - 36, size: 8, font: this.font });
    this.y = PAGE[1] - MARGIN - 10;
  }

  /** One line; `mono` for table rows, whose columns are padded with spaces. */
  line(text: string, options: { bold?: boolean; mono?: boolean; size?: number; indent?: number } = {}): void {
    const size = options.size ?? (options.mono ? 7.5 : SIZE);
    if (this.y < MARGIN + size) this.newPage();
    const font = options.mono ? this.mono : options.bold ? this.bold : this.font;
    const maxWidth = PAGE[0] - 2 * MARGIN - (options.indent ?? 0);
    let t = winAnsi(text);
    while (t.length > 4 && font.widthOfTextAtSize(t, size) > maxWidth) t = `${t.slice(0, -4)}...`;
    this.page.drawText(t, { x: MARGIN + (options.indent ?? 0), y: this.y, size, font });
    this.y -= size >= 12 ? size * 1.6 : LEAD;
  }

  gap(): void {
    this.y -= LEAD / 2;
  }
}

/** The report for people: the same facts as report.json, paginated, legible for 10,000 documents. */
export async function renderReportPdf(facts: ReportFacts): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle(`Custodian audit report ${facts.generatedAt}`);
  doc.setProducer('Custodian');
  doc.setCreationDate(new Date(facts.generatedAt));
  doc.setModificationDate(new Date(facts.generatedAt));
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const mono = await doc.embedFont(StandardFonts.Courier);
  const w = new Writer(
    doc,
    font,
    bold,
    mono,
    `Custodian audit report - ${facts.workstation} - ${facts.generatedAt} - key ${facts.signing.fingerprint.slice(0, 16)}`,
  );
  w.line('Custodian audit report', { bold: true, size: 16 });
  w.line(`Generated ${facts.generatedAt} on workstation ${facts.workstation} by operator ${facts.operator}`);
  w.line(`Scope: ${facts.scope.description}`);
  w.line('Signing key fingerprint (SHA-256 of the Ed25519 public key):');
  w.line(facts.signing.fingerprint, { mono: true, indent: 12 });
  w.line(`Ledger head: entry ${facts.ledger.head.seq}, hash`);
  w.line(facts.ledger.head.hash, { mono: true, indent: 12 });
  w.line(`Signed checkpoint: entry ${facts.checkpoint.seq} at ${facts.checkpoint.ts}`);
  w.gap();
  w.line('Summary', { bold: true, size: 12 });
  const s = facts.summary;
  w.line(
    `${s.documents} documents, ${s.pages} pages; lanes: ${
      Object.entries(s.byLane)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ') || '-'
    }`,
  );
  w.line(
    `States: ${
      Object.entries(s.byState)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ') || '-'
    }; quarantine items: ${s.quarantined}`,
  );
  w.line(
    `Findings (counts only): ${
      Object.entries(s.findingsByType)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ') || 'none'
    }`,
  );
  w.gap();
  w.line('Documents', { bold: true, size: 12 });
  w.line(`${'sha256 (first 16)'.padEnd(17)} ${'pages'.padStart(5)}  ${'ocr/text/fb'.padEnd(11)}  ${'lane'.padEnd(10)}  ${'status'.padEnd(11)}  name`, {
    mono: true,
  });
  // Grouped by the batch that registered each document, batches in the order they came.
  const batches = [...new Set(facts.documents.map((d) => d.batchId))];
  const ordered = [...facts.documents].sort((a, b) => batches.indexOf(a.batchId) - batches.indexOf(b.batchId) || a.id - b.id);
  let batch: string | null = null;
  for (const d of ordered) {
    if (d.batchId !== batch) {
      batch = d.batchId;
      w.line(`Batch ${batch}: ${ordered.filter((x) => x.batchId === batch).length} document(s)`, { bold: true });
    }
    const m = `${d.methods.ocr}/${d.methods.textLayer}/${d.methods.fallback}`;
    const f = Object.values(d.findings).reduce((a, b) => a + b, 0);
    const row = `${d.sha256.slice(0, 16).padEnd(17)} ${String(d.pages ?? '-').padStart(5)}  ${m.padEnd(11)}  ${d.lane.padEnd(10)}  ${d.status.padEnd(11)}  ${d.name}`;
    w.line(`${row}${f ? `  (${f} finding${f === 1 ? '' : 's'})` : ''}`, { mono: true });
  }
  w.gap();
  w.line('Quarantine', { bold: true, size: 12 });
  if (facts.quarantine.length === 0) w.line('None.');
  for (const q of facts.quarantine) w.line(`#${q.id}  ${q.reasonCode}  ${q.state}  ${q.name}: ${q.message}`);
  w.gap();
  w.line('Deadlines', { bold: true, size: 12 });
  if (facts.deadlines.length === 0) w.line('No open requests in scope.');
  for (const d of facts.deadlines) {
    w.line(
      `${d.requestId} (${d.jurisdiction}) received ${d.received}, due ${d.dueDate}: ${d.status}, ${d.daysElapsed}/${d.allowedDays} days used, ${d.unprocessedDocuments} unprocessed`,
    );
  }
  for (const e of facts.escalations)
    w.line(
      `Escalation ${e.ts}: ${e.type} ${e.requestId} (due ${e.dueDate})${e.supervisor ? ` to ${e.supervisor}` : ''}${e.acknowledged ? ', acknowledged' : ', NOT ACKNOWLEDGED'}`,
      { indent: 12 },
    );
  if (facts.unacknowledgedEscalations.length) {
    w.line(`Escalations waiting for a person: ${facts.unacknowledgedEscalations.length}`, { bold: true });
    for (const e of facts.unacknowledgedEscalations) w.line(`${e.requestId}: ${e.level}, for ${e.supervisor ?? 'no supervisor named'}`, { indent: 12 });
  }
  w.gap();
  w.line('Verification', { bold: true, size: 12 });
  w.line('This folder carries manifest-sha256.txt, signature.ed25519 and public-key.pem; README.txt shows how to check');
  w.line('them with OpenSSL 3 alone, or run: custodian report verify <folder>.');
  const total = w.pages.length;
  w.pages.forEach((p, i) => p.drawText(`page ${i + 1} of ${total}`, { x: PAGE[0] - MARGIN - 60, y: 30, size: 8, font }));
  return doc.save({ useObjectStreams: true });
}

import { StandardFonts } from 'pdf-lib';
import { winAnsi } from '../audit/index.js';
import { releaseDocument, saveBare } from './release-pdf.js';
import type { ExemptionCode } from '../../shared/types.js';
import type { PlannedDocument } from './release-plan.js';

/** One line of the exemption log: a redaction box or a page withheld in full, with its Bates page and basis. */
export type LogEntry = {
  bates: string;
  documentId: number;
  documentSha256: string;
  sourcePage: number;
  kind: 'redaction' | 'withheld-page';
  box: [number, number, number, number] | null;
  code: string;
  citation: string;
  basis: string;
  /** What was redacted: a finding's type, `drawn` for a box drawn by hand, `unreviewed` under --allow-unreviewed. */
  what: string;
  reason: string;
};

/** Every redaction and withheld page of a release, in Bates order, with the statute and basis of its code. */
export function exemptionLog(documents: PlannedDocument[]): LogEntry[] {
  const out: LogEntry[] = [];
  for (const d of documents) {
    const basis = (code: string): ExemptionCode | undefined => d.codes.find((c) => c.code === code);
    for (const p of d.pages) {
      const base = { bates: p.bates, documentId: d.documentId, documentSha256: d.sha256, sourcePage: p.pageNo };
      if (p.withheld) {
        const c = basis(p.withheld.code);
        out.push({
          ...base,
          kind: 'withheld-page',
          box: null,
          code: p.withheld.code,
          citation: c?.citation ?? '',
          basis: c?.title ?? '',
          what: 'page',
          reason: p.withheld.auto ?? p.withheld.reason ?? '',
        });
        continue;
      }
      for (const r of p.redactions) {
        const c = basis(r.code);
        out.push({
          ...base,
          kind: 'redaction',
          box: r.box,
          code: r.code,
          citation: c?.citation ?? '',
          basis: c?.title ?? '',
          what: r.source === 'box' ? 'drawn' : r.source === 'unreviewed' ? `${r.findingType} (unreviewed)` : (r.findingType ?? ''),
          reason: r.reason ?? '',
        });
      }
    }
  }
  return out;
}

/** Counts of log entries per exemption code. */
export function countsByCode(entries: LogEntry[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const e of entries) counts[e.code] = (counts[e.code] ?? 0) + 1;
  return counts;
}

const csvField = (v: string | number): string => {
  const s = String(v);
  // A leading = + - @ would be a formula in a spreadsheet: quote it as text.
  const safe = /^[=+\-@\t\r]/u.test(s) ? `'${s}` : s;
  return /[",\n\r]/u.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
};

/** `exemption-log.csv`: one row per entry (RFC 4180), boxes as `x0 y0 x1 y1` in source page-image pixels. */
export function exemptionLogCsv(entries: LogEntry[]): string {
  const head = ['bates', 'document_id', 'document_sha256', 'source_page', 'kind', 'box', 'exemption', 'citation', 'basis', 'what', 'reason'];
  const rows = entries.map((e) =>
    [e.bates, e.documentId, e.documentSha256, e.sourcePage, e.kind, e.box ? e.box.join(' ') : '', e.code, e.citation, e.basis, e.what, e.reason]
      .map(csvField)
      .join(','),
  );
  return `${[head.join(','), ...rows].join('\r\n')}\r\n`;
}

/** `exemption-log.pdf`: the same entries for people, with the counts per exemption first. */
export async function exemptionLogPdf(entries: LogEntry[], meta: { title: string; at: Date; range: string }): Promise<Uint8Array> {
  const pdf = await releaseDocument(meta);
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  const mono = await pdf.embedFont(StandardFonts.Courier);
  const monoBold = await pdf.embedFont(StandardFonts.CourierBold);
  const [W, H, M] = [792, 612, 40];
  let page = pdf.addPage([W, H]);
  let y = H - M;
  const line = (text: string, opts: { bold?: boolean; mono?: boolean; size?: number; x?: number } = {}): void => {
    const size = opts.size ?? 8;
    if (y < M + size) {
      page = pdf.addPage([W, H]);
      y = H - M;
    }
    const f = opts.mono ? (opts.bold ? monoBold : mono) : opts.bold ? bold : font;
    let t = winAnsi(text);
    while (t.length > 4 && f.widthOfTextAtSize(t, size) > W - 2 * M - (opts.x ?? 0)) t = `${t.slice(0, -4)}...`;
    page.drawText(t, { x: M + (opts.x ?? 0), y, size, font: f });
    y -= size * 1.5;
  };
  line(meta.title, { bold: true, size: 14 });
  line(`Bates ${meta.range} · ${entries.length} entr${entries.length === 1 ? 'y' : 'ies'} · generated ${meta.at.toISOString()}`, { size: 9 });
  y -= 6;
  line('Counts per exemption', { bold: true, size: 10 });
  const counts = countsByCode(entries);
  for (const [code, n] of Object.entries(counts)) {
    const e = entries.find((x) => x.code === code)!;
    line(`${code}  ${n}  ${e.citation}${e.basis ? ` - ${e.basis}` : ''}`, { x: 10 });
  }
  y -= 6;
  line('Bates page      Document  Page  Kind            Box (source pixels)   Exemption    What / reason', { bold: true, mono: true, size: 7 });
  for (const e of entries)
    line(
      `${e.bates.padEnd(16)}${String(e.documentId).padEnd(10)}${String(e.sourcePage).padEnd(6)}${e.kind.padEnd(16)}${(e.box ? e.box.join(' ') : '-').padEnd(22)}${e.code.padEnd(13)}${e.what}${e.reason ? `: ${e.reason}` : ''}`,
      { mono: true, size: 7 },
    );
  return saveBare(pdf);
}

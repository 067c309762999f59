import { describe, expect, it } from 'vitest';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { renderReportPdf } from './report-pdf.js';
import type { ReportFacts } from './report-facts.js';

function facts(n: number): ReportFacts {
  return {
    format: 'custodian-report/1',
    generatedAt: '2026-11-30T12:00:00.000Z',
    workstation: 'records-ws-01',
    operator: 'clerk',
    scope: { description: 'all records' },
    summary: { documents: n, pages: n * 2, byLane: { public: n - 1, pii: 1 }, byState: { done: n }, quarantined: 1, findingsByType: { ssn: 1 } },
    documents: Array.from({ length: n }, (_, i) => ({
      id: i + 1,
      sha256: i.toString(16).padStart(64, '0'),
      name: `box-${Math.floor(i / 100)}/scan-${i}.tif`,
      batchId: 'b',
      pages: 2,
      methods: { ocr: 2, textLayer: 0, fallback: 0 },
      lane: i === 0 ? 'pii' : 'public',
      status: 'done',
      legalHold: false,
      findings: (i === 0 ? { ssn: 1 } : {}) as Record<string, number>,
    })),
    quarantine: [
      {
        id: 1,
        reasonCode: 'digest-mismatch',
        message: 'The file does not match the digest in its custody manifest.',
        state: 'held',
        name: 'linn.png',
        sha256: null,
      },
    ],
    deadlines: [],
    escalations: [],
    unacknowledgedEscalations: [],
    ledger: { head: { seq: 99, hash: 'a'.repeat(64) }, entriesInScope: 99 },
    checkpoint: { seq: 99, hash: 'a'.repeat(64), ts: '2026-11-30T12:00:00.000Z', reason: 'export', fingerprint: 'f'.repeat(64), signature: 'x' },
    signing: { algorithm: 'Ed25519', fingerprint: 'f'.repeat(64) },
  };
}

describe('report.pdf', () => {
  it('paginates 10,000 documents legibly: every document on a page, numbered pages, counts only for findings', async () => {
    const bytes = await renderReportPdf(facts(10_000));
    const task = getDocument({ data: bytes, verbosity: 0 });
    const pdf = await task.promise;
    expect(pdf.numPages).toBeGreaterThan(150);
    expect(pdf.numPages).toBeLessThan(260);
    const text = async (p: number) => ((await (await pdf.getPage(p)).getTextContent()).items as { str: string }[]).map((i) => i.str).join(' ');
    expect(await text(1)).toContain('Custodian audit report');
    expect(await text(1)).toContain('Findings (counts only): ssn 1');
    expect(await text(pdf.numPages)).toContain(`page ${pdf.numPages} of ${pdf.numPages}`);
    const all = (await Promise.all(Array.from({ length: pdf.numPages }, (_, i) => text(i + 1)))).join('\n');
    expect(all).toContain('scan-9999.tif');
    expect(all.match(/scan-\d+\.tif/gu)).toHaveLength(10_000);
    await task.destroy();
  }, 120_000);
});

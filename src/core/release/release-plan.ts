import path from 'node:path';
import { EngineError } from '../errors.js';
import { documentReview, type ReviewDeps } from '../review/index.js';
import type { Db } from '../store/index.js';
import type { DocumentReview, ExemptionCode, Lane, PageBox, PageText } from '../../shared/types.js';

/** A box a release destroys, and why. */
export type PlannedRedaction = {
  box: PageBox;
  code: string;
  /** A finding redacted (its type), a box drawn by hand, or a finding left undecided under `--allow-unreviewed`. */
  source: 'finding' | 'box' | 'unreviewed';
  findingType: string | null;
  decisionId: number | null;
  reason: string | null;
};

/** One released page, planned: where it comes from, what is destroyed on it, the words its text layer keeps. */
export type PlannedPage = {
  documentId: number;
  sha256: string;
  path: string;
  mediaType: string;
  pageNo: number;
  width: number;
  height: number;
  dpi: number;
  redactions: PlannedRedaction[];
  withheld: { code: string; reason: string | null; decisionId: number | null; auto: string | null } | null;
  /** OCR or text-layer words that touch no redaction box (none for a withheld page). */
  words: PageText['words'];
  bates: string;
};

/** One responsive document of the release. */
export type PlannedDocument = { documentId: number; sha256: string; lane: Lane; review: DocumentReview['state']; codes: ExemptionCode[]; pages: PlannedPage[] };

/** Release options that change the plan. */
export type PlanOptions = { batesPrefix: string; batesStart: number; allowUnreviewed: boolean };

/** Digits of a Bates number. */
const BATES_DIGITS = 6;

/** `PREFIX-000001`. */
export const batesNumber = (prefix: string, n: number): string => `${prefix}-${String(n).padStart(BATES_DIGITS, '0')}`;

const touches = (w: PageText['words'][number], b: PageBox, pad: number): boolean =>
  w[1]! < b[2] + pad && w[3]! > b[0] - pad && w[2]! < b[3] + pad && w[4]! > b[1] - pad;

/**
 * What a release of a request's responsive documents holds, page by page, from the review decisions in
 * force: redacted findings' boxes and hand-drawn boxes with their codes, withheld pages, the words kept for
 * the text layer, and consecutive Bates numbers. Refuses (nothing exported) a document not yet processed, not
 * reviewed (unless `allowUnreviewed`: its undecided findings are then redacted under their suggestions), a
 * classified document with a page without an explicit page decision, and a request with no responsive documents.
 * @throws EngineError `not-found`, `invalid-state` naming every document that blocks the release.
 */
export function planRelease(deps: ReviewDeps, requestId: string, options: PlanOptions): PlannedDocument[] {
  const db: Db = deps.db;
  if (!db.prepare('SELECT 1 FROM requests WHERE id = ?').get(requestId)) throw new EngineError('not-found', `No request ${requestId}.`);
  const ids = db.prepare('SELECT document_id FROM request_documents WHERE request_id = ? ORDER BY document_id').pluck().all(requestId) as number[];
  if (ids.length === 0) throw new EngineError('invalid-state', `Request ${requestId} has no responsive documents: nothing to release.`);
  const blocked: string[] = [];
  const pageRows = db.prepare('SELECT page_no AS pageNo, state, width, height, dpi, words FROM pages WHERE document_id = ? ORDER BY page_no');
  const docRow = db.prepare('SELECT first_path AS path, media_type AS mediaType, page_count AS pages FROM documents WHERE id = ?');
  const out: PlannedDocument[] = [];
  let bates = options.batesStart;
  for (const id of ids) {
    const review = documentReview(deps, String(id));
    const doc = docRow.get(id) as { path: string; mediaType: string; pages: number | null };
    const pages = pageRows.all(id) as {
      pageNo: number;
      state: string;
      width: number | null;
      height: number | null;
      dpi: number | null;
      words: string | null;
    }[];
    const name = `document ${id} (${path.basename(doc.path)})`;
    if (doc.pages === null || pages.length !== doc.pages || pages.some((p) => p.state === 'pending' || !p.width || !p.height)) {
      blocked.push(`${name} is not fully processed yet`);
      continue;
    }
    if (review.state !== 'reviewed' && !options.allowUnreviewed) {
      blocked.push(`${name} is ${review.state}${review.undecided ? ` (${review.undecided} finding(s) without a decision)` : ''}`);
      continue;
    }
    const pageDecided = new Set([...review.withheldPages, ...review.releasedPages].map((d) => d.pageNo));
    if (review.lane === 'classified') {
      const open = pages.filter((p) => !pageDecided.has(p.pageNo)).map((p) => p.pageNo);
      if (open.length) {
        blocked.push(`${name} is classified: page(s) ${open.join(', ')} have no page decision (release-page or withhold)`);
        continue;
      }
    }
    const planned: PlannedPage[] = pages.map((p) => {
      const redactions: PlannedRedaction[] = [];
      let auto: string | null = null;
      let autoCode: string | null = null;
      for (const item of review.items.filter((i) => i.pageNo === p.pageNo)) {
        const d = item.decision;
        if (d?.action === 'release') continue;
        const code = d?.code ?? item.suggestedCode;
        const source = d ? 'finding' : 'unreviewed';
        if (item.boxes.length === 0) {
          // Redacted but not located on the page image (no word boxes): only withholding the page is safe.
          auto = `a redacted ${item.type} could not be located on the page`;
          autoCode ??= code;
        }
        for (const box of item.boxes) redactions.push({ box, code, source, findingType: item.type, decisionId: null, reason: d?.reason ?? null });
      }
      for (const b of review.boxes.filter((x) => x.pageNo === p.pageNo))
        redactions.push({ box: b.box!, code: b.code!, source: 'box', findingType: null, decisionId: b.id, reason: b.reason });
      const w = review.withheldPages.find((x) => x.pageNo === p.pageNo);
      const withheld = w
        ? { code: w.code!, reason: w.reason, decisionId: w.id, auto: null }
        : auto
          ? { code: autoCode!, reason: null, decisionId: null, auto }
          : null;
      const words = withheld
        ? []
        : (p.words ? (JSON.parse(p.words) as PageText['words']) : []).filter((word) => !redactions.some((r) => touches(word, r.box, 3)));
      return {
        documentId: id,
        sha256: review.sha256,
        path: doc.path,
        mediaType: doc.mediaType,
        pageNo: p.pageNo,
        width: p.width!,
        height: p.height!,
        dpi: p.dpi ?? 300,
        redactions: withheld ? [] : redactions,
        withheld,
        words,
        bates: batesNumber(options.batesPrefix, bates++),
      };
    });
    out.push({ documentId: id, sha256: review.sha256, lane: review.lane, review: review.state, codes: review.codes, pages: planned });
  }
  if (blocked.length)
    throw new EngineError(
      'invalid-state',
      `Nothing was released: ${blocked.join('; ')}. Review each (custodian review <doc>), or export with --allow-unreviewed --reason <text> to redact undecided findings under their suggested codes.`,
    );
  return out;
}

import { randomUUID } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import type { Clock } from '../clock.js';
import type { Jurisdiction } from '../deadlines/index.js';
import { EngineError, requireReason } from '../errors.js';
import { appendEvent } from '../ledger/index.js';
import type { ReviewDecisionFacts } from '../ledger/index.js';
import { documentRef, requirePage, type Db, type DocRow } from '../store/index.js';
import type { DocumentReview, PageBox, ReviewDecision, ReviewItem, ReviewState } from '../../shared/types.js';
import { reviewCodes, type ReviewCodes } from './exemptions.js';
import { reviewItems, type FindingRow } from './review-items.js';

/** What review needs from the engine. */
export type ReviewDeps = { db: Db; clock: Clock; jurisdiction: (code: string) => Jurisdiction; operator?: string };

/** A decision before it is stored. */
type NewDecision = Omit<ReviewDecision, 'id' | 'operator' | 'at'>;

const DECISION_COLUMNS = 'id, action, finding_id AS findingId, page_no AS pageNo, box, code, reason, operator, created_at AS at';

function decisionsOf(db: Db, documentId: number): ReviewDecision[] {
  return (
    db.prepare(`SELECT ${DECISION_COLUMNS} FROM review_decisions WHERE document_id = ? ORDER BY id`).all(documentId) as (Omit<ReviewDecision, 'box'> & {
      box: string | null;
    })[]
  ).map((d) => ({ ...d, box: d.box ? (JSON.parse(d.box) as PageBox) : null }));
}

function findingsOf(db: Db, documentId: number): FindingRow[] {
  return (
    db
      .prepare(
        'SELECT id, page_no AS pageNo, type, bbox, confidence, text_hash AS textHash, exemption AS basis FROM findings WHERE document_id = ? ORDER BY page_no, id',
      )
      .all(documentId) as (Omit<FindingRow, 'bbox'> & { bbox: string | null })[]
  ).map((f) => ({ ...f, bbox: f.bbox ? (JSON.parse(f.bbox) as PageBox) : null }));
}

type Loaded = { doc: DocRow & { review: ReviewState; name: string }; codes: ReviewCodes; items: ReviewItem[]; decisions: ReviewDecision[] };

function load(deps: ReviewDeps, ref: string): Loaded {
  const { db } = deps;
  const doc = documentRef(db, ref);
  const review = db.prepare('SELECT review FROM documents WHERE id = ?').pluck().get(doc.id) as ReviewState;
  const codes = reviewCodes(db, deps.jurisdiction, doc.id);
  const decisions = decisionsOf(db, doc.id);
  return {
    doc: { ...doc, review, name: path.basename(doc.path) },
    codes,
    decisions,
    items: reviewItems(findingsOf(db, doc.id), decisions, codes.suggest),
  };
}

/** A document's review: findings as items with their suggested codes and decisions, boxes, withheld pages. @throws EngineError `not-found`. */
export function documentReview(deps: ReviewDeps, ref: string): DocumentReview {
  const { doc, codes, items, decisions } = load(deps, ref);
  const pageDecision = new Map<number, ReviewDecision>();
  for (const d of decisions) if (d.action === 'withhold-page' || d.action === 'release-page') pageDecision.set(d.pageNo, d);
  const pagesWhere = (action: ReviewDecision['action']): ReviewDecision[] =>
    [...pageDecision.values()].filter((d) => d.action === action).sort((a, b) => a.pageNo - b.pageNo);
  return {
    documentId: doc.id,
    sha256: doc.sha256,
    name: doc.name,
    lane: doc.lane,
    pages: doc.pages,
    state: doc.review,
    jurisdictions: codes.jurisdictions,
    codes: codes.codes,
    items,
    boxes: decisions.filter((d) => d.action === 'box'),
    withheldPages: pagesWhere('withhold-page'),
    releasedPages: pagesWhere('release-page'),
    undecided: items.filter((i) => i.decision === null).length,
    decisions,
  };
}

/**
 * Stores decisions and writes one `review.decided` with each (box, code, page, finding), the operator and
 * the reason; a first decision moves the document to `in-review`. One immediate transaction.
 */
function decide(deps: ReviewDeps, loaded: Loaded, decisions: NewDecision[], reason: string | null): DocumentReview {
  const { db, clock } = deps;
  const { doc } = loaded;
  if (doc.review === 'reviewed')
    throw new EngineError('invalid-state', `Document ${doc.id} is marked reviewed; reopen it first (custodian review ${doc.id} reopen --reason <text>).`);
  const operator = deps.operator ?? os.userInfo().username;
  const at = clock.now().toISOString();
  db.transaction(() => {
    const insert = db.prepare(
      'INSERT INTO review_decisions (document_id, action, finding_id, page_no, box, code, reason, operator, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const facts: ReviewDecisionFacts[] = decisions.map((d) => {
      const id = Number(
        insert.run(doc.id, d.action, d.findingId, d.pageNo, d.box ? JSON.stringify(d.box) : null, d.code, reason, operator, at).lastInsertRowid,
      );
      return { decisionId: id, action: d.action, findingId: d.findingId, pageNo: d.pageNo, box: d.box, code: d.code };
    });
    if (doc.review === 'unreviewed') db.prepare("UPDATE documents SET review = 'in-review' WHERE id = ?").run(doc.id);
    appendEvent(db, clock, {
      traceId: randomUUID(),
      type: 'review.decided',
      payload: { documentId: doc.id, sha256: doc.sha256, decisions: facts, reason, operator },
    });
  }).immediate();
  return documentReview(deps, String(doc.id));
}

/** The items named by finding ids (any id of an item names it), each once. @throws EngineError `not-found` naming an id the document has no finding for. */
function itemsNamed(loaded: Loaded, ids: readonly number[]): ReviewItem[] {
  const out = new Set<ReviewItem>();
  for (const id of ids) {
    const item = loaded.items.find((i) => i.findingIds.includes(id));
    if (!item) throw new EngineError('not-found', `Document ${loaded.doc.id} has no finding ${id}; \`custodian review ${loaded.doc.id}\` lists them.`);
    out.add(item);
  }
  return [...out];
}

/** One decision per finding of each item, each with that finding's box. */
function perFinding(item: ReviewItem, findings: FindingRow[], d: Pick<NewDecision, 'action' | 'code'>): NewDecision[] {
  return item.findingIds.map((id) => ({ ...d, findingId: id, pageNo: item.pageNo, box: findings.find((f) => f.id === id)?.bbox ?? null, reason: null }));
}

/**
 * Redacts findings (or, with `'all'`, every finding still without a decision) under `code`, or each under
 * its suggested code. @throws EngineError `not-found`, `invalid-argument` (code), `invalid-state` (reviewed).
 */
export function redactFindings(
  deps: ReviewDeps,
  ref: string,
  ids: readonly number[] | 'all',
  options: { code?: string; reason?: string } = {},
): DocumentReview {
  const loaded = load(deps, ref);
  const items = ids === 'all' ? loaded.items.filter((i) => i.decision === null) : itemsNamed(loaded, ids);
  if (items.length === 0) throw new EngineError('invalid-argument', `Document ${loaded.doc.id} has no finding left without a decision.`);
  const code = options.code === undefined ? null : loaded.codes.resolve(options.code);
  const findings = findingsOf(deps.db, loaded.doc.id);
  const decisions = items.flatMap((i) => perFinding(i, findings, { action: 'redact', code: code ?? i.suggestedCode }));
  return decide(deps, loaded, decisions, options.reason?.trim() || null);
}

/** Releases findings (they stay visible in the release), with the officer's reason. @throws EngineError `not-found`, `invalid-argument` (no reason), `invalid-state`. */
export function releaseFindings(deps: ReviewDeps, ref: string, ids: readonly number[], reason: string | undefined): DocumentReview {
  const why = requireReason(reason);
  const loaded = load(deps, ref);
  if (ids.length === 0) throw new EngineError('invalid-argument', 'Name the findings to release (their ids from `custodian review <doc>`).');
  const findings = findingsOf(deps.db, loaded.doc.id);
  const decisions = itemsNamed(loaded, ids).flatMap((i) => perFinding(i, findings, { action: 'release', code: null }));
  return decide(deps, loaded, decisions, why);
}

/** The stored size of a page image, pixels, when the page has been extracted. */
function pageSize(db: Db, documentId: number, pageNo: number): { width: number; height: number } | null {
  const row = db.prepare('SELECT width, height FROM pages WHERE document_id = ? AND page_no = ?').get(documentId, pageNo) as
    { width: number | null; height: number | null } | undefined;
  return row?.width && row.height ? { width: row.width, height: row.height } : null;
}

/**
 * A box drawn by hand over what detection missed, in page-image pixels (as word boxes are), with its code.
 * @throws EngineError `invalid-argument` for a box that is empty or off the page, or an unknown code.
 */
export function drawBox(deps: ReviewDeps, ref: string, pageNo: number, box: PageBox, code: string, reason?: string): DocumentReview {
  const loaded = load(deps, ref);
  requirePage(loaded.doc, pageNo);
  const [x0, y0, x1, y1] = box;
  if (!box.every((v) => Number.isSafeInteger(v) && v >= 0) || x1 <= x0 || y1 <= y0)
    throw new EngineError('invalid-argument', `A box is x0,y0,x1,y1 in whole pixels with x0 < x1 and y0 < y1 (got ${box.join(',')}).`);
  const size = pageSize(deps.db, loaded.doc.id, pageNo);
  if (size && (x1 > size.width || y1 > size.height))
    throw new EngineError('invalid-argument', `The box ${box.join(',')} goes past page ${pageNo}, which is ${size.width}x${size.height} pixels.`);
  return decide(deps, loaded, [{ action: 'box', findingId: null, pageNo, box, code: loaded.codes.resolve(code), reason: null }], reason?.trim() || null);
}

/** Withholds a page in full, under a code, with the officer's reason. @throws EngineError `not-found`, `invalid-argument`, `invalid-state`. */
export function withholdPage(deps: ReviewDeps, ref: string, pageNo: number, code: string, reason: string | undefined): DocumentReview {
  const why = requireReason(reason);
  const loaded = load(deps, ref);
  requirePage(loaded.doc, pageNo);
  return decide(deps, loaded, [{ action: 'withhold-page', findingId: null, pageNo, box: null, code: loaded.codes.resolve(code), reason: null }], why);
}

/**
 * Releases a page as reviewed: the explicit page decision a classified record needs on every page before it
 * can be released (a later one supersedes a withholding of the page). @throws EngineError `not-found`, `invalid-argument`, `invalid-state`.
 */
export function releasePage(deps: ReviewDeps, ref: string, pageNo: number, reason: string | undefined): DocumentReview {
  const why = requireReason(reason);
  const loaded = load(deps, ref);
  requirePage(loaded.doc, pageNo);
  return decide(deps, loaded, [{ action: 'release-page', findingId: null, pageNo, box: null, code: null, reason: null }], why);
}

/** Marks a document reviewed (`review.done`). @throws EngineError `invalid-state` while a finding has no decision, or when already reviewed. */
export function finishReview(deps: ReviewDeps, ref: string): DocumentReview {
  const { db, clock } = deps;
  const loaded = load(deps, ref);
  const { doc } = loaded;
  if (doc.review === 'reviewed') throw new EngineError('invalid-state', `Document ${doc.id} is already marked reviewed.`);
  const open = loaded.items.filter((i) => i.decision === null);
  if (open.length)
    throw new EngineError(
      'invalid-state',
      `Document ${doc.id} cannot be marked reviewed: ${open.length} finding(s) have no decision (${open.map((i) => `${i.id} ${i.type} p${i.pageNo}`).join(', ')}). Redact or release each first.`,
    );
  const operator = deps.operator ?? os.userInfo().username;
  db.transaction(() => {
    db.prepare("UPDATE documents SET review = 'reviewed' WHERE id = ?").run(doc.id);
    appendEvent(db, clock, {
      traceId: randomUUID(),
      type: 'review.done',
      payload: { documentId: doc.id, sha256: doc.sha256, decisions: loaded.decisions.length, operator },
    });
  }).immediate();
  return documentReview(deps, String(doc.id));
}

/** Reopens a reviewed document (`review.reopened`, with the reason). @throws EngineError `invalid-state` unless it is reviewed, `invalid-argument` without a reason. */
export function reopenReview(deps: ReviewDeps, ref: string, reason: string | undefined): DocumentReview {
  const why = requireReason(reason);
  const { db, clock } = deps;
  const { doc } = load(deps, ref);
  if (doc.review !== 'reviewed') throw new EngineError('invalid-state', `Document ${doc.id} is ${doc.review}, not reviewed: there is nothing to reopen.`);
  const operator = deps.operator ?? os.userInfo().username;
  db.transaction(() => {
    db.prepare("UPDATE documents SET review = 'in-review' WHERE id = ?").run(doc.id);
    appendEvent(db, clock, { traceId: randomUUID(), type: 'review.reopened', payload: { documentId: doc.id, sha256: doc.sha256, reason: why, operator } });
  }).immediate();
  return documentReview(deps, String(doc.id));
}

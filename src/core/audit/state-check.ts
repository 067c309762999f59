import { findingsDigest, textDigest, wordsDigest, type Db, type FindingColumns } from '../store/index.js';
import type { LedgerPayloads } from '../ledger/index.js';
import type { StateMismatch } from '../../shared/types.js';

// `ledger verify` and `report export` hold the tables a report states to the ledger that wrote them: each
// fact is recomputed from its rows and compared with the newest event about it. A row edited, inserted or
// deleted by hand (sqlite3 on the data folder) no longer matches and is named, table and id.

/** What the state check found: every disagreement, and how many facts older ledgers do not bind. */
export type StateCheck = { mismatches: StateMismatch[]; checked: number; unbound: number };

type Lane = LedgerPayloads['document.lane-set']['to'];
type DocFacts = { seq: number; lane?: { value: Lane; seq: number }; hold: boolean };
type PageFacts = { seq: number; textSha256?: string | null; wordsSha256?: string | null };
type FindingFacts = { seq: number; sha?: string; counts: Record<string, number> };
type QuarantineFacts = { seq: number; code: string; state: 'held' | 'released' | 'resolved' };
type DecisionFacts = { seq: number; documentId: number; fact: string };
type ReviewFacts = { seq: number; state: 'in-review' | 'reviewed' };
type RequestFacts = { seq: number; jurisdiction: string; received: string; events: Record<string, number> };

const TYPES = [
  'file.registered',
  'file.duplicate',
  'document.lane-raised',
  'document.lane-set',
  'page.extracted',
  'page.fallback',
  'page.findings',
  'file.quarantined',
  'job.quarantined',
  'quarantine.retried',
  'quarantine.released',
  'request.added',
  'request.tolled',
  'request.resumed',
  'request.extended',
  'request.closed',
  'review.decided',
  'review.done',
  'review.reopened',
] as const;

const REQUEST_EVENT_TYPE: Record<string, string> = {
  'request.tolled': 'toll',
  'request.resumed': 'resume',
  'request.extended': 'extend',
  'request.closed': 'close',
};

/** A review decision's fields in one comparable string. */
function decisionFact(...fields: unknown[]): string {
  return JSON.stringify(fields);
}

/** Replays the ledger's facts and compares the tables with them. Runs inside the caller's transaction, if any. */
export function checkState(db: Db): StateCheck {
  const docs = new Map<number, DocFacts>();
  const pages = new Map<string, PageFacts>();
  const findings = new Map<string, FindingFacts>();
  const quarantine = new Map<number, QuarantineFacts>();
  const requests = new Map<string, RequestFacts>();
  const decisions = new Map<number, DecisionFacts>();
  const reviews = new Map<number, ReviewFacts>();
  const placeholders = TYPES.map(() => '?').join(', ');
  const rows = db
    .prepare(`SELECT seq, type, payload FROM ledger WHERE type IN (${placeholders}) ORDER BY seq`)
    .raw()
    .iterate(...TYPES) as IterableIterator<[number, string, string]>;
  for (const [seq, type, text] of rows) {
    const p = JSON.parse(text) as Record<string, unknown>;
    switch (type) {
      case 'file.registered':
      case 'file.duplicate': {
        const e = p as LedgerPayloads['file.registered'];
        const d = docs.get(e.documentId) ?? { seq, hold: false };
        if (type === 'file.registered' && e.lane) d.lane = { value: e.lane, seq };
        if (e.retention === 'hold') d.hold = true;
        docs.set(e.documentId, d);
        break;
      }
      case 'document.lane-raised':
      case 'document.lane-set': {
        const e = p as LedgerPayloads['document.lane-set'];
        const d = docs.get(e.documentId) ?? { seq, hold: false };
        d.lane = { value: e.to, seq };
        docs.set(e.documentId, d);
        break;
      }
      case 'page.extracted':
      case 'page.fallback': {
        const e = p as LedgerPayloads['page.extracted'];
        pages.set(`${e.documentId}/${e.pageNo}`, { seq, textSha256: e.textSha256, wordsSha256: e.wordsSha256 });
        break;
      }
      case 'page.findings': {
        const e = p as LedgerPayloads['page.findings'];
        findings.set(`${e.documentId}/${e.pageNo}`, { seq, sha: e.findingsSha256, counts: e.counts });
        break;
      }
      case 'file.quarantined':
      case 'job.quarantined': {
        const e = p as { quarantineId: number; code: string };
        quarantine.set(e.quarantineId, { seq, code: e.code, state: 'held' });
        break;
      }
      case 'quarantine.retried':
      case 'quarantine.released': {
        const e = p as { quarantineId: number; code: string; result?: string; documentId?: number | null };
        // A retry that passed, or a release, registers the file: that event is the document's registration.
        if (e.documentId && !docs.has(e.documentId)) docs.set(e.documentId, { seq, hold: false });
        const q = quarantine.get(e.quarantineId) ?? { seq, code: e.code, state: 'held' };
        q.seq = seq;
        if (type === 'quarantine.released') q.state = 'released';
        else if (e.result === 'still-held') q.code = e.code;
        else q.state = 'resolved';
        quarantine.set(e.quarantineId, q);
        break;
      }
      case 'request.added': {
        const e = p as LedgerPayloads['request.added'];
        requests.set(e.requestId, { seq, jurisdiction: e.jurisdiction, received: e.received, events: {} });
        break;
      }
      case 'review.decided': {
        const e = p as LedgerPayloads['review.decided'];
        for (const d of e.decisions)
          decisions.set(d.decisionId, {
            seq,
            documentId: e.documentId,
            fact: decisionFact(e.documentId, d.action, d.findingId, d.pageNo, d.box, d.code, e.reason, e.operator),
          });
        if (!reviews.has(e.documentId)) reviews.set(e.documentId, { seq, state: 'in-review' });
        break;
      }
      case 'review.done':
      case 'review.reopened': {
        const e = p as { documentId: number };
        reviews.set(e.documentId, { seq, state: type === 'review.done' ? 'reviewed' : 'in-review' });
        break;
      }
      default: {
        const e = p as { requestId: string };
        const r = requests.get(e.requestId);
        const kind = REQUEST_EVENT_TYPE[type]!;
        if (r) r.events[kind] = (r.events[kind] ?? 0) + 1;
      }
    }
  }

  const mismatches: StateMismatch[] = [];
  let checked = 0;
  let unbound = 0;
  const mismatch = (table: string, id: string, message: string, seq: number | null): void => {
    mismatches.push({ table, id, message, seq });
  };

  // documents: every row registered; lane and legal hold as the ledger last set them.
  const docRows = db.prepare('SELECT id, lane, legal_hold AS hold, review FROM documents').all() as { id: number; lane: Lane; hold: number; review: string }[];
  for (const row of docRows) {
    checked++;
    const d = docs.get(row.id);
    if (!d) {
      mismatch('documents', String(row.id), 'no file.registered event wrote this document', null);
      continue;
    }
    if (!d.lane) unbound++;
    else if (d.lane.value !== row.lane) mismatch('documents', String(row.id), `lane is ${row.lane}, the ledger says ${d.lane.value}`, d.lane.seq);
    if (Boolean(row.hold) !== d.hold) {
      mismatch('documents', String(row.id), `legal hold is ${row.hold ? 'on' : 'off'}, the ledger says ${d.hold ? 'on' : 'off'}`, d.seq);
    }
    const review = reviews.get(row.id);
    if ((review?.state ?? 'unreviewed') !== row.review)
      mismatch('documents', String(row.id), `review state is ${row.review}, the ledger says ${review?.state ?? 'unreviewed'}`, review?.seq ?? d.seq);
  }
  const docIds = new Set(docRows.map((r) => r.id));
  for (const [id, d] of docs) if (!docIds.has(id)) mismatch('documents', String(id), 'the ledger registered this document; its row is gone', d.seq);

  // pages: stored text and words as the last extraction event hashed them.
  const pageRows = db.prepare('SELECT document_id AS documentId, page_no AS pageNo, text, words FROM pages').iterate() as IterableIterator<{
    documentId: number;
    pageNo: number;
    text: string | null;
    words: string | null;
  }>;
  const seenPages = new Set<string>();
  for (const row of pageRows) {
    const key = `${row.documentId}/${row.pageNo}`;
    seenPages.add(key);
    const e = pages.get(key);
    if (!e) {
      if (row.text !== null || row.words !== null) mismatch('pages', key, 'holds text no page.extracted event wrote', null);
      continue;
    }
    checked++;
    if (e.textSha256 === undefined) {
      unbound++;
      continue;
    }
    if (textDigest(row.text) !== e.textSha256) mismatch('pages', key, 'text does not match the SHA-256 its extraction event recorded', e.seq);
    else if (wordsDigest(row.words) !== e.wordsSha256) mismatch('pages', key, 'words do not match the SHA-256 its extraction event recorded', e.seq);
  }
  for (const [key, e] of pages) if (!seenPages.has(key) && e.textSha256) mismatch('pages', key, 'the ledger recorded this page; its row is gone', e.seq);

  // findings: each page's set as its last page.findings hashed it (counts, for ledgers before the hash).
  const sets = new Map<string, FindingColumns[]>();
  const findingRows = db
    .prepare('SELECT document_id AS documentId, page_no AS pageNo, type, bbox, confidence, text_hash AS textHash, exemption FROM findings')
    .iterate() as IterableIterator<FindingColumns & { documentId: number; pageNo: number }>;
  for (const { documentId, pageNo, ...f } of findingRows) {
    const key = `${documentId}/${pageNo}`;
    const set = sets.get(key);
    if (set) set.push(f);
    else sets.set(key, [f]);
  }
  for (const key of new Set([...sets.keys(), ...findings.keys()])) {
    checked++;
    const stored = sets.get(key) ?? [];
    const e = findings.get(key);
    if (!e) {
      mismatch('findings', key, `${stored.length} finding(s) no page.findings event recorded`, null);
      continue;
    }
    if (e.sha !== undefined) {
      if (findingsDigest(stored) !== e.sha)
        mismatch('findings', key, `the page's ${stored.length} finding(s) do not match the set its page.findings recorded`, e.seq);
      continue;
    }
    const counts: Record<string, number> = {};
    for (const f of stored) counts[f.type] = (counts[f.type] ?? 0) + 1;
    const same = Object.keys({ ...counts, ...e.counts }).every((t) => (counts[t] ?? 0) === (e.counts[t] ?? 0));
    if (!same) mismatch('findings', key, "the page's findings do not match the counts its page.findings recorded", e.seq);
  }

  // review decisions: each row exactly as its review.decided recorded it (box, code, finding, operator, reason).
  const decisionRows = db
    .prepare('SELECT id, document_id AS documentId, action, finding_id AS findingId, page_no AS pageNo, box, code, reason, operator FROM review_decisions')
    .iterate() as IterableIterator<{
    id: number;
    documentId: number;
    action: string;
    findingId: number | null;
    pageNo: number;
    box: string | null;
    code: string | null;
    reason: string | null;
    operator: string;
  }>;
  const seenDecisions = new Set<number>();
  for (const row of decisionRows) {
    checked++;
    seenDecisions.add(row.id);
    const e = decisions.get(row.id);
    const fact = decisionFact(
      row.documentId,
      row.action,
      row.findingId,
      row.pageNo,
      row.box ? (JSON.parse(row.box) as unknown) : null,
      row.code,
      row.reason,
      row.operator,
    );
    if (!e) mismatch('review_decisions', String(row.id), 'no review.decided event recorded this decision', null);
    else if (e.fact !== fact) mismatch('review_decisions', String(row.id), 'the decision differs from what its review.decided recorded', e.seq);
  }
  for (const [id, e] of decisions)
    if (!seenDecisions.has(id)) mismatch('review_decisions', String(id), 'the ledger recorded this decision; its row is gone', e.seq);

  // quarantine: every item written by an event, its reason code and state as the ledger last set them.
  const quarantineRows = db.prepare('SELECT id, reason_code AS code, state FROM quarantine').all() as { id: number; code: string; state: string }[];
  for (const row of quarantineRows) {
    checked++;
    const q = quarantine.get(row.id);
    if (!q) mismatch('quarantine', String(row.id), 'no event quarantined this item', null);
    else if (q.state !== row.state) mismatch('quarantine', String(row.id), `state is ${row.state}, the ledger says ${q.state}`, q.seq);
    else if (q.code !== row.code) mismatch('quarantine', String(row.id), `reason code is ${row.code}, the ledger says ${q.code}`, q.seq);
  }
  const quarantineIds = new Set(quarantineRows.map((r) => r.id));
  for (const [id, q] of quarantine) if (!quarantineIds.has(id)) mismatch('quarantine', String(id), 'the ledger quarantined this item; its row is gone', q.seq);

  // requests: registered as the ledger says, with the clock events it recorded.
  const requestRows = db.prepare('SELECT id, jurisdiction, received FROM requests').all() as { id: string; jurisdiction: string; received: string }[];
  const clockRows = db.prepare('SELECT request_id AS id, type, COUNT(*) AS n FROM request_events GROUP BY request_id, type').all() as {
    id: string;
    type: string;
    n: number;
  }[];
  const clockCounts = new Map<string, Record<string, number>>();
  for (const c of clockRows) clockCounts.set(c.id, { ...clockCounts.get(c.id), [c.type]: c.n });
  for (const row of requestRows) {
    checked++;
    const r = requests.get(row.id);
    if (!r) {
      mismatch('requests', row.id, 'no request.added event registered this request', null);
      continue;
    }
    if (r.jurisdiction !== row.jurisdiction || r.received !== row.received) {
      mismatch('requests', row.id, `jurisdiction/received are ${row.jurisdiction} ${row.received}, the ledger says ${r.jurisdiction} ${r.received}`, r.seq);
    }
    const stored = clockCounts.get(row.id) ?? {};
    for (const kind of Object.values(REQUEST_EVENT_TYPE)) {
      if ((stored[kind] ?? 0) !== (r.events[kind] ?? 0)) {
        mismatch('request_events', row.id, `${stored[kind] ?? 0} ${kind} row(s), the ledger recorded ${r.events[kind] ?? 0}`, r.seq);
      }
    }
  }
  const requestIds = new Set(requestRows.map((r) => r.id));
  for (const [id, r] of requests) if (!requestIds.has(id)) mismatch('requests', id, 'the ledger registered this request; its row is gone', r.seq);

  return { mismatches, checked, unbound };
}

/** The triggers that keep the ledger and its checkpoint rows append-only, and the search index in step with the pages. */
export const REQUIRED_TRIGGERS = [
  'ledger_refuse_update',
  'ledger_refuse_delete',
  'checkpoints_refuse_update',
  'checkpoints_refuse_delete',
  // Without these the search index falls out of step and a search silently misses pages.
  'pages_fts_insert',
  'pages_fts_update',
  'pages_fts_delete',
  // Review decisions are the basis of a release: their history must not be rewritten in place.
  'review_decisions_refuse_update',
  'review_decisions_refuse_delete',
] as const;

/** Required triggers that are not in the schema (dropped by hand). */
export function missingTriggers(db: Db): string[] {
  const present = new Set(db.prepare(`SELECT name FROM sqlite_master WHERE type = 'trigger'`).pluck().all() as string[]);
  return REQUIRED_TRIGGERS.filter((t) => !present.has(t));
}

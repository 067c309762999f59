import { useCallback, useDeferredValue, useEffect, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { DocumentLane, DocumentPage, DocumentRow, DocumentSort, DocumentSummary, Lane, SearchResult } from '../../shared/types';
import { describeError } from '../../shared/bridge-api';
import { useHostData } from '../hooks';
import { DocumentDetail } from './DocumentDetail';
import { ReviewView } from './ReviewView';
import { baseName, formatShortTime, num } from '../format';

const ROW = 32;
/** Rows fetched per request when scrolling into rows not loaded yet. */
const BLOCK = 100;
/** While a batch runs, the rows in view are fetched again at most this often (never the whole list). */
const REFRESH_MS = 2000;

function method(d: DocumentRow): string {
  const m = d.methods;
  const parts = [m.textLayer && 'text layer', m.ocr && 'OCR', m.fallback && 'fallback'].filter(Boolean);
  const how = parts.length ? parts.join(' + ') : '—';
  return d.meanConfidence !== null ? `${how} · ${Math.round(d.meanConfidence)}%` : how;
}

const STATE_LABEL: Record<DocumentSummary['state'], string> = {
  queued: 'queued',
  leased: 'processing',
  done: 'done',
  failed: 'failed',
  quarantined: 'quarantined',
  none: 'not processed',
};

/** The lane as a clerk reads it. */
export const LANE_LABEL: Record<DocumentLane, string> = { pending: 'not checked', public: 'public', pii: 'PII', classified: 'classified' };

const COLUMNS: { sort: DocumentSort; label: string }[] = [
  { sort: 'name', label: 'Name' },
  { sort: 'sha256', label: 'SHA-256' },
  { sort: 'pages', label: 'Pages' },
  { sort: 'method', label: 'Text' },
  { sort: 'lane', label: 'Lane' },
  { sort: 'state', label: 'Status' },
  { sort: 'request', label: 'Request' },
  { sort: 'batch', label: 'Batch' },
  { sort: 'takenIn', label: 'Taken in' },
];

/** Text hits shown above the table: the best pages, each with its snippet. */
const TEXT_HITS = 20;

type Reviewing = { id: number; lane: Lane; name: string; pageNo: number };

/**
 * Pages whose text matches the search box, best first, with the matches highlighted (restricted snippets
 * are withheld, as in the CLI); a query the search cannot read is said, softly: it may be a file name.
 */
function TextHits(props: { query: string; requestId: string; lane: string; onOpen: (r: Reviewing) => void }) {
  const [result, setResult] = useState<SearchResult | null>(null);
  const [note, setNote] = useState<string | null>(null);
  useEffect(() => {
    setResult(null);
    setNote(null);
    if (props.query.length < 2) return;
    let live = true;
    const lane = props.lane === 'public' || props.lane === 'pii' || props.lane === 'classified' ? props.lane : undefined;
    void window.custodian
      .searchPages({ query: props.query, limit: TEXT_HITS, ...(props.requestId ? { requestId: props.requestId } : {}), ...(lane ? { lane } : {}) })
      .then(
        (r) => live && setResult(r),
        (e: unknown) => live && setNote(describeError(e).text),
      );
    return () => {
      live = false;
    };
  }, [props.query, props.requestId, props.lane]);
  if (props.query.length < 2) return null;
  if (note) return <p className="small muted">Text search: {note}</p>;
  if (!result) return <p className="small muted">Searching the text…</p>;
  return (
    <section className="text-hits" aria-label="Pages whose text matches" tabIndex={0}>
      <h3 className="small">
        {result.hits.length === 0 ? 'No page text matches.' : `Text matches${result.more ? ` (best ${result.hits.length})` : ''}`}
        {result.snippetsWithheld > 0 ? ` · ${result.snippetsWithheld} restricted snippet(s) withheld` : ''}
      </h3>
      <ol>
        {result.hits.map((h) => (
          <li key={`${h.documentId}-${h.pageNo}`}>
            <button type="button" className="link" onClick={() => props.onOpen({ id: h.documentId, lane: h.lane, name: h.name, pageNo: h.pageNo })}>
              {h.name} · page {h.pageNo}
            </button>{' '}
            <span className="snippet">
              {h.snippet === null ? (
                <span className="muted">snippet withheld ({h.lane} lane)</span>
              ) : (
                h.snippet.map((p, i) => (p.match ? <mark key={i}>{p.text}</mark> : <span key={i}>{p.text}</span>))
              )}
            </span>
          </li>
        ))}
      </ol>
    </section>
  );
}

type Filters = { search: string; lane: string; state: string; requestId: string; batchId: string; sort: DocumentSort; descending: boolean };
type Window = { key: string; total: number; all: number; rows: Map<number, DocumentRow> };

/**
 * Every registered record in a virtualized table that fetches only the rows in view: filtered, searched and
 * sorted by the engine (SQL), so 10,000 records open at once and a running batch never reloads the list.
 */
export function DocumentsView(props: { initial?: { requestId?: string; batchId?: string } }) {
  const [search, setSearch] = useState('');
  const [lane, setLane] = useState('');
  const [state, setState] = useState('');
  const [requestId, setRequestId] = useState(props.initial?.requestId ?? '');
  const [batchId, setBatchId] = useState(props.initial?.batchId ?? '');
  const [sort, setSort] = useState<{ by: DocumentSort; descending: boolean }>({ by: 'takenIn', descending: false });
  const [selected, setSelected] = useState<number | null>(null);
  const [reviewing, setReviewing] = useState<Reviewing | null>(null);
  const [error, setError] = useState<string | null>(null);
  const requests = useHostData(() => window.custodian.listRequests(), ['requests']);
  const batches = useHostData(() => window.custodian.listBatches(), []);
  const q = useDeferredValue(search.trim());
  const filters: Filters = { search: q, lane, state, requestId, batchId, sort: sort.by, descending: sort.descending };
  const key = JSON.stringify(filters);
  const [win, setWin] = useState<Window | null>(null);
  const keyRef = useRef(key);
  const loading = useRef(new Set<number>());

  const fetchRows = useCallback(async (f: Filters, k: string, offset: number, limit: number, replace: boolean): Promise<void> => {
    let page: DocumentPage;
    try {
      page = await window.custodian.queryDocuments({
        offset,
        limit,
        sort: f.sort,
        descending: f.descending,
        ...(f.search ? { search: f.search } : {}),
        ...(f.lane ? { lane: f.lane as DocumentLane } : {}),
        ...(f.state ? { state: f.state as DocumentSummary['state'] } : {}),
        ...(f.requestId ? { requestId: f.requestId } : {}),
        ...(f.batchId ? { batchId: f.batchId } : {}),
      });
    } catch (err) {
      setError(describeError(err).text);
      return;
    }
    if (keyRef.current !== k) return;
    setError(null);
    setWin((w) => {
      // A refresh keeps only the rows just fetched: rows out of view may have changed and are fetched again when scrolled to.
      const rows = new Map(w && w.key === k && !replace ? w.rows : []);
      page.rows.forEach((r, i) => rows.set(page.offset + i, r));
      return { key: k, total: page.total, all: page.all, rows };
    });
  }, []);

  // New filters or sort: start over, showing that the list is loading rather than an empty table.
  useEffect(() => {
    keyRef.current = key;
    loading.current.clear();
    setWin(null);
    setSelected(null);
    loading.current.add(0);
    void fetchRows(JSON.parse(key) as Filters, key, 0, BLOCK, true).finally(() => loading.current.delete(0));
  }, [key, fetchRows]);

  const total = win?.total ?? 0;
  const scroller = useRef<HTMLDivElement>(null);
  const virtual = useVirtualizer({ count: total, getScrollElement: () => scroller.current, estimateSize: () => ROW, overscan: 12 });
  const items = virtual.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items.at(-1)?.index ?? 0;

  // Rows scrolled into view that are not loaded yet: fetch their blocks.
  useEffect(() => {
    if (!win) return;
    for (let b = Math.floor(first / BLOCK); b <= Math.floor(last / BLOCK); b++) {
      const offset = b * BLOCK;
      if (win.rows.has(offset) && win.rows.has(Math.min(total - 1, offset + BLOCK - 1))) continue;
      if (loading.current.has(offset)) continue;
      loading.current.add(offset);
      void fetchRows(JSON.parse(key) as Filters, key, offset, BLOCK, false).finally(() => loading.current.delete(offset));
    }
  }, [first, last, win, key, total, fetchRows]);

  // The host says records changed (a batch runs): fetch the rows in view and the counts again, at most every REFRESH_MS.
  const view = useRef({ first, last, key });
  view.current = { first, last, key };
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    let lastRun = 0;
    const refresh = (): void => {
      timer = null;
      lastRun = Date.now();
      const v = view.current;
      const from = Math.max(0, v.first);
      void fetchRows(JSON.parse(v.key) as Filters, v.key, from, Math.min(500, v.last - from + 1 || BLOCK), true);
    };
    const off = window.custodian.onEvent((e) => {
      if (e.kind !== 'changed' || (e.what !== 'batches' && e.what !== 'quarantine')) return;
      timer ??= setTimeout(refresh, Math.max(0, lastRun + REFRESH_MS - Date.now()));
    });
    return () => {
      off();
      if (timer) clearTimeout(timer);
    };
  }, [fetchRows]);

  const chosen = selected === null ? null : (win?.rows.get(selected) ?? null);

  // Arrows move the selection a row, Page Up/Down a screenful, Home/End to the ends.
  const onKey = (e: React.KeyboardEvent): void => {
    const page = Math.max(1, Math.floor((scroller.current?.clientHeight ?? ROW * 10) / ROW) - 1);
    const step: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: page, PageUp: -page, Home: -Infinity, End: Infinity };
    const by = step[e.key];
    if (by === undefined || total === 0) return;
    e.preventDefault();
    const target = by === Infinity ? total - 1 : by === -Infinity ? 0 : selected === null ? 0 : Math.max(0, Math.min(total - 1, selected + by));
    setSelected(target);
    virtual.scrollToIndex(target);
  };

  const sortBy = (by: DocumentSort): void => setSort((s) => ({ by, descending: s.by === by ? !s.descending : false }));
  const filtered = Boolean(q || lane || state || requestId || batchId);

  return (
    <div className="view documents">
      <h2>Documents</h2>
      <form className="row filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <label htmlFor="doc-q">Search</label>
        <input
          id="doc-q"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          placeholder="file name, SHA-256 prefix or words in the text"
          spellCheck={false}
        />
        <label htmlFor="doc-req">Request</label>
        <select id="doc-req" value={requestId} onChange={(e) => setRequestId(e.target.value)}>
          <option value="">All</option>
          {requests.data?.map((r) => (
            <option key={r.id} value={r.id}>
              {r.id}
            </option>
          ))}
        </select>
        <label htmlFor="doc-batch">Batch</label>
        <select id="doc-batch" value={batchId} onChange={(e) => setBatchId(e.target.value)}>
          <option value="">All</option>
          {batches.data?.map((b) => (
            <option key={b.batchId} value={b.batchId}>
              {baseName(b.roots[0] ?? '')} #{b.batchId.slice(0, 8)}
            </option>
          ))}
        </select>
        <label htmlFor="doc-lane">Lane</label>
        <select id="doc-lane" value={lane} onChange={(e) => setLane(e.target.value)}>
          <option value="">All</option>
          {Object.entries(LANE_LABEL).map(([v, l]) => (
            <option key={v} value={v}>
              {l}
            </option>
          ))}
        </select>
        <label htmlFor="doc-state">Status</label>
        <select id="doc-state" value={state} onChange={(e) => setState(e.target.value)}>
          <option value="">All</option>
          {Object.entries(STATE_LABEL).map(([v, l]) => (
            <option key={v} value={v}>
              {l}
            </option>
          ))}
        </select>
        <span className="muted num" role="status">
          {win ? `${num(win.total)} of ${num(win.all)}` : 'Loading records…'}
        </span>
      </form>
      {error && <p className="bad">{error}</p>}
      <TextHits query={q} requestId={requestId} lane={lane} onOpen={setReviewing} />
      <div className="split">
        <div className="table" role="grid" aria-label="Documents" aria-rowcount={total + 1} aria-busy={!win}>
          <div role="rowgroup">
            <div className="tr th" role="row" aria-rowindex={1}>
              {COLUMNS.map((c) => (
                <span key={c.sort} role="columnheader" aria-sort={sort.by === c.sort ? (sort.descending ? 'descending' : 'ascending') : 'none'}>
                  <button type="button" className="sort" onClick={() => sortBy(c.sort)} title={`Sort by ${c.label.toLowerCase()}`}>
                    {c.label}
                    <span aria-hidden="true">{sort.by === c.sort ? (sort.descending ? ' ▼' : ' ▲') : ''}</span>
                  </button>
                </span>
              ))}
            </div>
          </div>
          <div
            className="tbody"
            role="rowgroup"
            ref={scroller}
            tabIndex={0}
            onKeyDown={onKey}
            aria-label="Document rows; arrow, Page Up/Down, Home and End keys move the selection"
          >
            {!win || total === 0 ? (
              <div role="row" className="table-note">
                <span role="gridcell">
                  {!win
                    ? 'Loading records…'
                    : filtered
                      ? 'No records match this search and these filters. Clear the search or choose “All” to see more.'
                      : 'No records yet: take some in first.'}
                </span>
              </div>
            ) : null}
            <div role="none" style={{ height: virtual.getTotalSize(), position: 'relative' }}>
              {items.map((v) => {
                const d = win?.rows.get(v.index);
                const style = { position: 'absolute' as const, top: 0, left: 0, right: 0, height: ROW, transform: `translateY(${v.start}px)` };
                if (!d)
                  return (
                    <div key={`i${v.index}`} role="row" aria-rowindex={v.index + 2} className="tr placeholder" style={style}>
                      <span role="gridcell" className="muted">
                        Loading…
                      </span>
                    </div>
                  );
                return (
                  <div
                    key={d.id}
                    role="row"
                    aria-rowindex={v.index + 2}
                    aria-selected={v.index === selected}
                    className={`tr${v.index === selected ? ' selected' : ''}`}
                    style={style}
                    onClick={() => setSelected(v.index)}
                  >
                    <span role="gridcell" title={d.path}>
                      {baseName(d.path)}
                    </span>
                    <span role="gridcell" className="mono" title={d.sha256}>
                      {d.sha256.slice(0, 10)}
                    </span>
                    <span role="gridcell" className="num">
                      {d.pages === null ? '—' : num(d.pages)}
                    </span>
                    <span role="gridcell">{method(d)}</span>
                    <span role="gridcell">
                      <span className={`lane ${d.lane}`} title={d.lane === 'pending' ? 'Not checked for identifiers or markings yet' : undefined}>
                        {LANE_LABEL[d.lane]}
                      </span>
                    </span>
                    <span role="gridcell">{STATE_LABEL[d.state]}</span>
                    <span role="gridcell" title={d.requestId ?? undefined}>
                      {d.requestId ?? '—'}
                    </span>
                    <span role="gridcell" title={d.batchRoot}>
                      {baseName(d.batchRoot)}
                    </span>
                    <span role="gridcell" className="num">
                      {formatShortTime(d.createdAt)}
                    </span>
                  </div>
                );
              })}
            </div>
          </div>
        </div>
        <DocumentDetail
          doc={chosen}
          onReview={(d) => setReviewing({ id: d.id, lane: d.lane === 'pending' ? 'public' : d.lane, name: baseName(d.path), pageNo: 1 })}
        />
      </div>
      {reviewing && (
        <ReviewView
          key={`${reviewing.id}-${reviewing.pageNo}`}
          docId={reviewing.id}
          lane={reviewing.lane}
          name={reviewing.name}
          startPage={reviewing.pageNo}
          onClose={() => setReviewing(null)}
        />
      )}
    </div>
  );
}

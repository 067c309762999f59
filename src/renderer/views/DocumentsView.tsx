import { useDeferredValue, useMemo, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { DocumentSummary } from '../../shared/types';
import { useHostData } from '../hooks';
import { DocumentDetail } from './DocumentDetail';
import { baseName } from '../format';

const ROW = 32;

function method(d: DocumentSummary): string {
  const m = d.methods;
  const parts = [m.textLayer && 'text layer', m.ocr && 'OCR', m.fallback && 'fallback'].filter(Boolean);
  return parts.length ? parts.join(' + ') : '—';
}

const STATE_LABEL: Record<DocumentSummary['state'], string> = {
  queued: 'queued',
  leased: 'processing',
  done: 'done',
  failed: 'failed',
  quarantined: 'quarantined',
  none: 'not processed',
};

/** Every registered record in a virtualized table (smooth at 10,000 rows), with filter, search and a detail pane. */
export function DocumentsView() {
  const docs = useHostData(() => window.custodian.listDocuments({}), ['batches', 'quarantine']);
  const [query, setQuery] = useState('');
  const [lane, setLane] = useState('');
  const [state, setState] = useState('');
  const [selected, setSelected] = useState<number | null>(null);
  const q = useDeferredValue(query.trim().toLowerCase());
  const rows = useMemo(
    () =>
      (docs.data ?? []).filter(
        (d) => (!lane || d.lane === lane) && (!state || d.state === state) && (!q || d.path.toLowerCase().includes(q) || d.sha256.startsWith(q)),
      ),
    [docs.data, lane, state, q],
  );
  const scroller = useRef<HTMLDivElement>(null);
  const virtual = useVirtualizer({ count: rows.length, getScrollElement: () => scroller.current, estimateSize: () => ROW, overscan: 12 });
  const chosen = rows.find((d) => d.id === selected) ?? null;

  // Arrows move the selection a row, Page Up/Down a screenful, Home/End to the ends.
  const onKey = (e: React.KeyboardEvent): void => {
    const page = Math.max(1, Math.floor((scroller.current?.clientHeight ?? ROW * 10) / ROW) - 1);
    const step: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: page, PageUp: -page, Home: -Infinity, End: Infinity };
    const by = step[e.key];
    if (by === undefined || rows.length === 0) return;
    e.preventDefault();
    const i = rows.findIndex((d) => d.id === selected);
    const next = Math.max(0, Math.min(rows.length - 1, (i < 0 ? 0 : i) + by));
    setSelected(rows[next]!.id);
    virtual.scrollToIndex(next);
  };

  return (
    <div className="view documents">
      <h2>Documents</h2>
      <form className="row filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <label htmlFor="doc-q">Search</label>
        <input id="doc-q" value={query} onChange={(e) => setQuery(e.target.value)} placeholder="file name or SHA-256 prefix" spellCheck={false} />
        <label htmlFor="doc-lane">Lane</label>
        <select id="doc-lane" value={lane} onChange={(e) => setLane(e.target.value)}>
          <option value="">All</option>
          <option value="public">public</option>
          <option value="pii">PII</option>
          <option value="classified">classified</option>
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
          {rows.length.toLocaleString('en-US')} of {(docs.data?.length ?? 0).toLocaleString('en-US')}
        </span>
      </form>
      <div className="split">
        <div className="table" role="grid" aria-label="Documents" aria-rowcount={rows.length + 1}>
          <div role="rowgroup">
            <div className="tr th" role="row" aria-rowindex={1}>
              {['Name', 'SHA-256', 'Pages', 'Method', 'Conf.', 'Lane', 'Status'].map((h) => (
                <span key={h} role="columnheader">
                  {h}
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
            <div role="none" style={{ height: virtual.getTotalSize(), position: 'relative' }}>
              {virtual.getVirtualItems().map((v) => {
                const d = rows[v.index]!;
                return (
                  <div
                    key={d.id}
                    role="row"
                    aria-rowindex={v.index + 2}
                    aria-selected={d.id === selected}
                    className={`tr${d.id === selected ? ' selected' : ''}`}
                    style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW, transform: `translateY(${v.start}px)` }}
                    onClick={() => setSelected(d.id)}
                  >
                    <span role="gridcell" title={d.path}>
                      {baseName(d.path)}
                    </span>
                    <span role="gridcell" className="mono">
                      {d.sha256.slice(0, 12)}
                    </span>
                    <span role="gridcell" className="num">
                      {d.pages ?? '—'}
                    </span>
                    <span role="gridcell">{method(d)}</span>
                    <span role="gridcell" className="num">
                      {d.meanConfidence ?? '—'}
                    </span>
                    <span role="gridcell">
                      <span className={`lane ${d.lane}`}>{d.lane}</span>
                    </span>
                    <span role="gridcell">{STATE_LABEL[d.state]}</span>
                  </div>
                );
              })}
            </div>
          </div>
        </div>
        <DocumentDetail doc={chosen} />
      </div>
    </div>
  );
}

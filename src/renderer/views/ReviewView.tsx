import { useCallback, useEffect, useRef, useState } from 'react';
import type { DocumentReview, Lane, PageBox, PageText, ReviewItem } from '../../shared/types';
import type { PageView } from '../../shared/bridge-api';
import { describeError } from '../../shared/bridge-api';
import { ReasonDialog } from '../components/ReasonDialog';
import { FINDING_LABEL } from '../format';

/** Zoom steps, as a share of the page image's own width. */
const ZOOMS = [0.25, 0.33, 0.5, 0.67, 0.75, 0.9, 1, 1.25, 1.5, 2];

type Zoom = { fit: true } | { fit: false; scale: number };
type Pending = { kind: 'release'; item: ReviewItem } | { kind: 'withhold' } | { kind: 'reopen' } | { kind: 'box'; box: PageBox };

const decisionText = (i: ReviewItem): string =>
  i.decision ? (i.decision.action === 'redact' ? `Redact ${i.decision.code}` : `Release: ${i.decision.reason ?? ''}`) : 'No decision yet';

/**
 * One record's review: its page image with every finding drawn as a box (type and suggested exemption),
 * boxes drawn by hand and the OCR word boxes on demand; zoom and fit; next/previous page and finding by key;
 * and the officer's decisions (redact with a code, release with a reason, a box by hand, a page withheld,
 * done), each sent to the engine, which writes it to the ledger. A restricted record asks for a reason first.
 */
export function ReviewView(props: { docId: number; lane: Lane; name: string; startPage?: number; onClose: () => void }) {
  const restricted = props.lane !== 'public';
  const [reason, setReason] = useState<string | null>(restricted ? null : '');
  const [review, setReview] = useState<DocumentReview | null>(null);
  const [pageNo, setPageNo] = useState(props.startPage ?? 1);
  const [page, setPage] = useState<PageView | null>(null);
  const [words, setWords] = useState<Map<number, PageText['words']>>(new Map());
  const [showWords, setShowWords] = useState(false);
  const [showLabels, setShowLabels] = useState(true);
  const [zoom, setZoom] = useState<Zoom>({ fit: true });
  const [selected, setSelected] = useState<number | null>(null);
  const [codes, setCodes] = useState<Record<number, string>>({});
  const [drawing, setDrawing] = useState(false);
  const [drag, setDrag] = useState<{ x0: number; y0: number; x1: number; y1: number } | null>(null);
  const [pending, setPending] = useState<Pending | null>(null);
  const [pendingCode, setPendingCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState('');
  const stage = useRef<HTMLDivElement>(null);
  const root = useRef<HTMLDivElement>(null);
  const [stageWidth, setStageWidth] = useState(800);
  const ref = String(props.docId);
  const fail = (e: unknown): void => setError(describeError(e).text);

  useEffect(() => {
    void window.custodian.showReview({ ref }).then(setReview, fail);
  }, [ref]);

  // The page image, drawn by the engine for this page (a restricted one with the reason given).
  useEffect(() => {
    if (reason === null) return;
    setPage(null);
    void window.custodian.documentPage({ ref, pageNo, ...(reason ? { restrictedReason: reason } : {}) }).then(setPage, fail);
  }, [ref, pageNo, reason]);

  // Word boxes only when asked for: a page's words are its text.
  useEffect(() => {
    if (!showWords || reason === null || words.has(pageNo)) return;
    void window.custodian
      .documentText({ ref, ...(reason ? { restrictedReason: reason } : {}) })
      .then((pages) => setWords(new Map(pages.map((p) => [p.pageNo, p.words]))), fail);
  }, [showWords, pageNo, reason, ref, words]);

  useEffect(() => {
    const el = stage.current;
    if (!el) return;
    const observer = new ResizeObserver(() => setStageWidth(el.clientWidth - 24));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  useEffect(() => root.current?.focus(), []);

  const pages = review?.pages ?? page?.pages ?? 1;
  const scale = page ? (zoom.fit ? Math.max(0.1, stageWidth / page.width) : zoom.scale) : 1;
  // Stored boxes (page-image pixels as extraction saw the page) to screen pixels.
  const k = (page?.boxScale ?? 0) * scale;
  const items = review?.items ?? [];
  const onPage = items.filter((i) => i.pageNo === pageNo);
  const codeOf = (i: ReviewItem): string => codes[i.id] ?? (i.decision?.action === 'redact' ? i.decision.code! : i.suggestedCode);
  const defaultCode = review?.codes[0]?.code ?? '';

  const act = useCallback((run: () => Promise<DocumentReview>, said: string): void => {
    setError(null);
    void run().then((r) => {
      setReview(r);
      setStatus(said);
    }, fail);
  }, []);

  const goPage = (n: number): void => setPageNo(Math.max(1, Math.min(pages, n)));
  const goFinding = (by: 1 | -1): void => {
    if (items.length === 0) return;
    const at = items.findIndex((i) => i.id === selected);
    const next = items[(at === -1 ? (by === 1 ? 0 : items.length - 1) : at + by + items.length) % items.length]!;
    setSelected(next.id);
    setPageNo(next.pageNo);
  };
  const zoomBy = (by: 1 | -1): void => {
    const now = scale;
    const next = by === 1 ? (ZOOMS.find((z) => z > now + 0.001) ?? ZOOMS.at(-1)!) : ([...ZOOMS].reverse().find((z) => z < now - 0.001) ?? ZOOMS[0]!);
    setZoom({ fit: false, scale: next });
  };

  const onKey = (e: KeyboardEvent): void => {
    if (pending || reason === null || e.ctrlKey || e.metaKey || e.altKey || (e.target as HTMLElement).closest?.('select, input, textarea, dialog')) return;
    const keys: Record<string, () => void> = {
      ArrowRight: () => goPage(pageNo + 1),
      PageDown: () => goPage(pageNo + 1),
      ArrowLeft: () => goPage(pageNo - 1),
      PageUp: () => goPage(pageNo - 1),
      n: () => goFinding(1),
      j: () => goFinding(1),
      p: () => goFinding(-1),
      k: () => goFinding(-1),
      '+': () => zoomBy(1),
      '=': () => zoomBy(1),
      '-': () => zoomBy(-1),
      '0': () => setZoom({ fit: true }),
      w: () => setShowWords((v) => !v),
      l: () => setShowLabels((v) => !v),
      Escape: () => (drawing ? setDrawing(false) : props.onClose()),
    };
    const f = keys[e.key];
    if (!f) return;
    e.preventDefault();
    f();
  };

  // Keys work wherever focus is while the review is open (it covers the app), except in a field or a dialog.
  const keyHandler = useRef(onKey);
  keyHandler.current = onKey;
  useEffect(() => {
    const listener = (e: KeyboardEvent): void => keyHandler.current(e);
    window.addEventListener('keydown', listener);
    return () => window.removeEventListener('keydown', listener);
  }, []);

  // Drawing a box by hand: drag on the page; the box is kept in page-image pixels, as word boxes are.
  const pointer = (e: React.PointerEvent): { x: number; y: number } => {
    const r = (e.currentTarget as HTMLElement).getBoundingClientRect();
    return { x: e.clientX - r.left, y: e.clientY - r.top };
  };
  const toStored = (d: { x0: number; y0: number; x1: number; y1: number }): PageBox => [
    Math.round(Math.min(d.x0, d.x1) / k),
    Math.round(Math.min(d.y0, d.y1) / k),
    Math.round(Math.max(d.x0, d.x1) / k),
    Math.round(Math.max(d.y0, d.y1) / k),
  ];

  const boxStyle = (b: PageBox): React.CSSProperties => ({ left: b[0] * k, top: b[1] * k, width: (b[2] - b[0]) * k, height: (b[3] - b[1]) * k });
  const withheld = review?.withheldPages.find((w) => w.pageNo === pageNo);

  return (
    <div className="review" role="dialog" aria-modal="true" aria-label={`Review of ${props.name}`} ref={root} tabIndex={-1}>
      <header className="review-bar">
        <h2>
          Review · {props.name}{' '}
          <span className={`badge ${review?.state === 'reviewed' ? 'ok' : review?.state === 'in-review' ? 'info' : 'warn'}`} data-testid="review-state">
            {review?.state ?? '…'}
          </span>
        </h2>
        <div className="row">
          <button type="button" onClick={() => goPage(pageNo - 1)} disabled={pageNo <= 1} aria-label="Previous page">
            ‹
          </button>
          <span className="num" aria-live="polite">
            Page {pageNo} of {pages}
          </span>
          <button type="button" onClick={() => goPage(pageNo + 1)} disabled={pageNo >= pages} aria-label="Next page">
            ›
          </button>
          <button type="button" onClick={() => zoomBy(-1)} aria-label="Zoom out">
            −
          </button>
          <span className="num" data-testid="zoom">
            {Math.round(scale * 100)}%
          </span>
          <button type="button" onClick={() => zoomBy(1)} aria-label="Zoom in">
            +
          </button>
          <button type="button" onClick={() => setZoom({ fit: true })} aria-pressed={zoom.fit}>
            Fit width
          </button>
          <label className="check">
            <input type="checkbox" checked={showWords} onChange={(e) => setShowWords(e.target.checked)} /> Word boxes
          </label>
          <label className="check">
            <input type="checkbox" checked={showLabels} onChange={(e) => setShowLabels(e.target.checked)} /> Labels
          </label>
          <button type="button" aria-pressed={drawing} onClick={() => setDrawing((v) => !v)} disabled={review?.state === 'reviewed'}>
            {drawing ? 'Drawing: drag on the page' : 'Draw a box'}
          </button>
          <button type="button" onClick={props.onClose}>
            Close
          </button>
        </div>
      </header>
      <p className="muted small review-keys">
        Keys: ← → page · n / p next or previous finding · + − zoom · 0 fit · w word boxes · l labels (hover a box to read its own) · Esc close
      </p>
      {error && (
        <p className="bad" role="alert">
          {error}
        </p>
      )}
      <div className="review-body">
        <div className="review-stage" ref={stage} tabIndex={0} aria-label="Page image; arrow keys turn the page">
          {reason === null ? (
            <p className="muted">This record is in the {props.lane} lane: give a reason to see its pages.</p>
          ) : !page ? (
            <p className="muted">Drawing page {pageNo}…</p>
          ) : (
            <div
              className={`page-canvas${drawing ? ' drawing' : ''}${showLabels ? '' : ' no-labels'}`}
              style={{ width: page.width * scale, height: page.height * scale }}
              data-testid="page-canvas"
              data-box-scale={k}
              onPointerDown={(e) => {
                if (!drawing) return;
                const p = pointer(e);
                (e.currentTarget as HTMLElement).setPointerCapture(e.pointerId);
                setDrag({ x0: p.x, y0: p.y, x1: p.x, y1: p.y });
              }}
              onPointerMove={(e) => {
                if (!drag) return;
                const p = pointer(e);
                setDrag({ ...drag, x1: p.x, y1: p.y });
              }}
              onPointerUp={() => {
                if (!drag) return;
                const box = toStored(drag);
                setDrag(null);
                if (box[2] - box[0] < 3 || box[3] - box[1] < 3) return;
                setDrawing(false);
                setPendingCode(defaultCode);
                setPending({ kind: 'box', box });
              }}
            >
              <img src={page.dataUrl} alt={`Page ${pageNo} of ${props.name}`} width={page.width * scale} height={page.height * scale} draggable={false} />
              {withheld && <div className="withheld-page">Withheld in full · {withheld.code}</div>}
              {showWords &&
                (words.get(pageNo) ?? []).map((w, i) => (
                  <div key={`w${i}`} className="word-box" style={boxStyle([w[1], w[2], w[3], w[4]])} title={`${w[5]}%`} />
                ))}
              {onPage.flatMap((item) =>
                item.boxes.map((b, bi) => (
                  <div
                    key={`f${item.id}-${bi}`}
                    className={`finding-box ${item.decision?.action ?? 'open'}${selected === item.id ? ' selected' : ''}`}
                    style={boxStyle(b)}
                    data-finding={item.id}
                    onClick={() => setSelected(item.id)}
                    title={`${FINDING_LABEL[item.type]} · ${codeOf(item)} · ${item.confidence}%`}
                  >
                    <span className="box-label">
                      {FINDING_LABEL[item.type]} · {item.decision?.action === 'release' ? 'released' : codeOf(item)}
                    </span>
                  </div>
                )),
              )}
              {review?.boxes
                .filter((b) => b.pageNo === pageNo)
                .map((b) => (
                  <div key={`m${b.id}`} className="finding-box manual" style={boxStyle(b.box!)} data-manual={b.id} title={b.reason ?? ''}>
                    <span className="box-label">Drawn · {b.code}</span>
                  </div>
                ))}
              {drag && <div className="finding-box drag" style={boxStyle(toStored(drag))} />}
            </div>
          )}
        </div>
        <aside className="review-side" aria-label="Findings and decisions" tabIndex={0}>
          <p className="small muted">Codes of {review?.jurisdictions.join(', ') ?? '…'}</p>
          <h3>Findings ({items.length})</h3>
          {items.length === 0 && <p className="muted">None found.</p>}
          <ol className="review-items">
            {items.map((i) => (
              <li key={i.id} className={selected === i.id ? 'selected' : undefined} data-item={i.id}>
                <button
                  type="button"
                  className="link"
                  onClick={() => {
                    setSelected(i.id);
                    setPageNo(i.pageNo);
                  }}
                >
                  {FINDING_LABEL[i.type]}
                  {i.findingIds.length > 1 ? ` ×${i.findingIds.length}` : ''} · page {i.pageNo} · {i.confidence}%
                </button>
                <div className="small">
                  Suggested {i.suggestedCode} · <span className={i.decision ? 'ok' : 'muted'}>{decisionText(i)}</span>
                </div>
                {review?.state !== 'reviewed' && (
                  <div className="row small">
                    <label className="sr-only" htmlFor={`code-${i.id}`}>
                      Exemption for finding {i.id}
                    </label>
                    <select id={`code-${i.id}`} value={codeOf(i)} onChange={(e) => setCodes((c) => ({ ...c, [i.id]: e.target.value }))}>
                      {review?.codes.map((c) => (
                        <option key={`${c.jurisdiction}${c.code}`} value={c.code} title={`${c.title} (${c.citation})`}>
                          {c.code}
                        </option>
                      ))}
                    </select>
                    <button
                      type="button"
                      onClick={() => act(() => window.custodian.redactFindings({ ref, ids: [i.id], code: codeOf(i) }), `Finding redacted under ${codeOf(i)}.`)}
                    >
                      Redact
                    </button>
                    <button type="button" onClick={() => setPending({ kind: 'release', item: i })}>
                      Release…
                    </button>
                  </div>
                )}
              </li>
            ))}
          </ol>
          {(review?.boxes.length ?? 0) > 0 && (
            <>
              <h3>Drawn by hand</h3>
              <ul className="review-items">
                {review!.boxes.map((b) => (
                  <li key={b.id}>
                    Page {b.pageNo} · {b.code}
                    {b.reason ? ` · ${b.reason}` : ''}
                  </li>
                ))}
              </ul>
            </>
          )}
          {(review?.withheldPages.length ?? 0) > 0 && (
            <>
              <h3>Withheld in full</h3>
              <ul className="review-items">
                {review!.withheldPages.map((w) => (
                  <li key={w.id}>
                    Page {w.pageNo} · {w.code} · {w.reason}
                  </li>
                ))}
              </ul>
            </>
          )}
          <div className="actions review-actions">
            {review?.state === 'reviewed' ? (
              <button type="button" onClick={() => setPending({ kind: 'reopen' })}>
                Reopen…
              </button>
            ) : (
              <>
                <button
                  type="button"
                  onClick={() => {
                    setPendingCode(defaultCode);
                    setPending({ kind: 'withhold' });
                  }}
                >
                  Withhold page {pageNo}…
                </button>
                <button
                  type="button"
                  className="primary"
                  disabled={!review || review.undecided > 0}
                  title={review && review.undecided > 0 ? `${review.undecided} finding(s) still need a decision` : undefined}
                  onClick={() => act(() => window.custodian.finishReview({ ref }), 'The record is marked reviewed.')}
                >
                  Mark reviewed
                </button>
              </>
            )}
          </div>
          {review && review.undecided > 0 && <p className="small muted">{review.undecided} finding(s) still need a decision.</p>}
          <p className="small" role="status">
            {status}
          </p>
        </aside>
      </div>
      {reason === null && (
        <ReasonDialog
          title="View restricted pages?"
          label="Why do you need to see them?"
          confirm="View pages"
          extra={<p>This record is in the {props.lane} lane. The viewing is recorded in the audit ledger.</p>}
          onCancel={props.onClose}
          onConfirm={setReason}
        />
      )}
      {pending?.kind === 'release' && (
        <ReasonDialog
          title={`Release this ${FINDING_LABEL[pending.item.type].toLowerCase()}?`}
          label="Why may it be released?"
          confirm="Release"
          extra={<p>It stays visible in the release. The decision and the reason are recorded in the audit ledger.</p>}
          onCancel={() => setPending(null)}
          onConfirm={(why) => {
            setPending(null);
            act(() => window.custodian.releaseFindings({ ref, ids: [pending.item.id], reason: why }), 'Finding released.');
          }}
        />
      )}
      {(pending?.kind === 'withhold' || pending?.kind === 'box') && (
        <ReasonDialog
          title={pending.kind === 'withhold' ? `Withhold page ${pageNo} in full?` : 'Redact the box you drew?'}
          label={pending.kind === 'withhold' ? 'Why is the whole page withheld?' : 'What does it cover, and why?'}
          confirm={pending.kind === 'withhold' ? 'Withhold page' : 'Add box'}
          extra={
            <p>
              <label htmlFor="pending-code">Exemption</label>{' '}
              <select id="pending-code" value={pendingCode} onChange={(e) => setPendingCode(e.target.value)}>
                {review?.codes.map((c) => (
                  <option key={`${c.jurisdiction}${c.code}`} value={c.code}>
                    {c.code} · {c.title.length > 60 ? `${c.title.slice(0, 60)}…` : c.title}
                  </option>
                ))}
              </select>
            </p>
          }
          onCancel={() => setPending(null)}
          onConfirm={(why) => {
            const p = pending;
            setPending(null);
            if (p.kind === 'withhold')
              act(() => window.custodian.withholdPage({ ref, pageNo, code: pendingCode, reason: why }), `Page ${pageNo} withheld under ${pendingCode}.`);
            else act(() => window.custodian.drawBox({ ref, pageNo, box: p.box, code: pendingCode, reason: why }), `Box added under ${pendingCode}.`);
          }}
        />
      )}
      {pending?.kind === 'reopen' && (
        <ReasonDialog
          title="Reopen this review?"
          label="Why must it be reviewed again?"
          confirm="Reopen"
          onCancel={() => setPending(null)}
          onConfirm={(why) => {
            setPending(null);
            act(() => window.custodian.reopenReview({ ref, reason: why }), 'The review is open again.');
          }}
        />
      )}
    </div>
  );
}

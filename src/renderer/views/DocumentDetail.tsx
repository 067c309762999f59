import { useEffect, useState } from 'react';
import type { DocumentRow, Finding, LedgerLine, PageText } from '../../shared/types';
import { describeError } from '../../shared/bridge-api';
import { ReasonDialog } from '../components/ReasonDialog';
import { FINDING_LABEL, formatBytes, formatTime, baseName, num } from '../format';

type FindingGroup = { type: Finding['type']; exemption: string; pages: number[]; count: number; confidence: number };

/** Findings merged by kind and exemption: how many, on which pages, and the highest confidence as a percentage. */
export function groupFindings(findings: Finding[]): FindingGroup[] {
  const groups = new Map<string, FindingGroup>();
  for (const f of findings) {
    const key = `${f.type}|${f.suggestedExemption}`;
    const g = groups.get(key) ?? { type: f.type, exemption: f.suggestedExemption, pages: [], count: 0, confidence: 0 };
    g.count++;
    if (!g.pages.includes(f.page)) g.pages.push(f.page);
    g.confidence = Math.max(g.confidence, f.confidence);
    groups.set(key, g);
  }
  return [...groups.values()].map((g) => ({ ...g, pages: g.pages.sort((a, b) => a - b) }));
}

/**
 * One record: facts, findings (never their text), page text and its own history in the ledger. A record in
 * a restricted lane shows its text only when the operator gives a reason, and the viewing goes into the ledger.
 */
export function DocumentDetail(props: { doc: DocumentRow | null; onReview?: (doc: DocumentRow) => void }) {
  const d = props.doc;
  const [pages, setPages] = useState<PageText[] | null>(null);
  const [findings, setFindings] = useState<Finding[] | null>(null);
  const [history, setHistory] = useState<LedgerLine[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [asking, setAsking] = useState(false);
  const restricted = d !== null && (d.lane === 'pii' || d.lane === 'classified');

  useEffect(() => {
    setPages(null);
    setFindings(null);
    setHistory(null);
    setError(null);
    if (!d) return;
    const ref = String(d.id);
    void window.custodian.documentFindings({ ref }).then(setFindings, (e: unknown) => setError(describeError(e).text));
    void window.custodian.documentHistory({ ref }).then(setHistory, (e: unknown) => setError(describeError(e).text));
    if (!restricted) void window.custodian.documentText({ ref }).then(setPages, (e: unknown) => setError(describeError(e).text));
  }, [d?.id, d?.lane, d?.state]);

  if (!d)
    return (
      <aside className="detail" aria-label="Document detail">
        <p className="muted">Select a document to see its text, findings and history.</p>
      </aside>
    );
  return (
    <aside className="detail" aria-label="Document detail">
      <h3 title={d.path}>{baseName(d.path)}</h3>
      <dl className="facts">
        <dt>Path</dt>
        <dd className="wrap">{d.path}</dd>
        <dt>SHA-256</dt>
        <dd className="mono wrap">{d.sha256}</dd>
        <dt>Size</dt>
        <dd>
          {formatBytes(d.size)} ({num(d.size)} bytes)
        </dd>
        <dt>Lane</dt>
        <dd>
          <span className={`lane ${d.lane}`}>{d.lane === 'pending' ? 'not checked yet' : d.lane}</span>
          {d.legalHold ? ' · legal hold' : ''}
        </dd>
        <dt>Request</dt>
        <dd>{d.requestId ?? 'none'}</dd>
        <dt>Taken in</dt>
        <dd>
          {formatTime(d.createdAt)} from <span className="wrap">{baseName(d.batchRoot)}</span>
          {d.paths > 1 ? ` · ${num(d.paths)} copies seen` : ''}
        </dd>
      </dl>
      {props.onReview && d.pages !== null && (
        <p>
          <button type="button" className="primary" onClick={() => props.onReview!(d)}>
            Review pages
          </button>{' '}
          <span className="small muted">the page images with their findings, and your decisions</span>
        </p>
      )}
      <h4>Findings</h4>
      {findings === null ? (
        <p className="muted">…</p>
      ) : findings.length === 0 ? (
        <p className="muted">{d.lane === 'pending' ? 'Not checked yet: the record has not been processed.' : 'None found.'}</p>
      ) : (
        <ul className="findings">
          {groupFindings(findings).map((g) => (
            <li key={`${g.type}|${g.exemption}`}>
              {FINDING_LABEL[g.type]}
              {g.count > 1 ? ` ×${g.count}` : ''} · {g.pages.length === 1 ? 'page' : 'pages'} {g.pages.join(', ')} · {g.exemption} ·{' '}
              {Math.round(g.confidence * 100)}% sure
            </li>
          ))}
        </ul>
      )}
      <h4>Text</h4>
      {error && <p className="bad">{error}</p>}
      {restricted && pages === null && (
        <p>
          This record is in the {d.lane} lane: its text is hidden.{' '}
          <button type="button" onClick={() => setAsking(true)}>
            View text…
          </button>
        </p>
      )}
      {pages?.length === 0 && <p className="muted">No text yet: the record has not been processed.</p>}
      {pages?.map((p) => (
        <section key={p.pageNo} className="page-text" aria-label={`Page ${p.pageNo}`}>
          <h5>
            Page {p.pageNo} · {p.method ?? 'pending'}
            {p.confidence !== null ? ` · ${Math.round(p.confidence)}% confidence` : ''}
          </h5>
          <pre>{p.text ?? '(no text yet)'}</pre>
        </section>
      ))}
      <h4>History</h4>
      {history === null ? (
        <p className="muted">…</p>
      ) : (
        <ol className="history" aria-label="History of this record">
          {history.map((h) => (
            <li key={h.seq}>
              <span className="muted small">{formatTime(h.ts)}</span> {h.sentence}
            </li>
          ))}
        </ol>
      )}
      {asking && (
        <ReasonDialog
          title="View restricted text?"
          label="Why do you need to read it?"
          confirm="View text"
          extra={<p>The viewing is recorded in the audit ledger.</p>}
          onCancel={() => setAsking(false)}
          onConfirm={(reason) => {
            setAsking(false);
            void window.custodian.documentText({ ref: String(d.id), restrictedReason: reason }).then(setPages, (e: unknown) => setError(describeError(e).text));
          }}
        />
      )}
    </aside>
  );
}

import { useEffect, useState } from 'react';
import type { DocumentSummary, Finding, PageText } from '../../shared/types';
import { describeError } from '../../shared/bridge-api';
import { ReasonDialog } from '../components/ReasonDialog';
import { formatBytes, baseName } from '../format';

/**
 * One record: facts, findings (never their text), and page text. A record in a restricted lane shows its
 * text only when the operator gives a reason, and the viewing goes into the ledger.
 */
export function DocumentDetail(props: { doc: DocumentSummary | null }) {
  const d = props.doc;
  const [pages, setPages] = useState<PageText[] | null>(null);
  const [findings, setFindings] = useState<Finding[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [asking, setAsking] = useState(false);
  const restricted = d !== null && d.lane !== 'public';

  useEffect(() => {
    setPages(null);
    setFindings(null);
    setError(null);
    if (!d) return;
    void window.custodian.documentFindings({ ref: String(d.id) }).then(setFindings, (e: unknown) => setError(describeError(e).text));
    if (d.lane === 'public') void window.custodian.documentText({ ref: String(d.id) }).then(setPages, (e: unknown) => setError(describeError(e).text));
  }, [d?.id, d?.lane, d?.state]);

  if (!d)
    return (
      <aside className="detail" aria-label="Document detail">
        <p className="muted">Select a document to see its text and findings.</p>
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
        <dd>{formatBytes(d.size)}</dd>
        <dt>Lane</dt>
        <dd>
          <span className={`lane ${d.lane}`}>{d.lane}</span>
          {d.legalHold ? ' · legal hold' : ''}
        </dd>
      </dl>
      <h4>Findings</h4>
      {findings === null ? (
        <p className="muted">…</p>
      ) : findings.length === 0 ? (
        <p className="muted">None found.</p>
      ) : (
        <ul className="findings">
          {findings.map((f, i) => (
            <li key={i}>
              {f.type} · page {f.page} · {f.suggestedExemption} · confidence {Math.round(f.confidence)}
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
            {p.confidence !== null ? ` · confidence ${Math.round(p.confidence)}` : ''}
          </h5>
          <pre>{p.text ?? '(no text yet)'}</pre>
        </section>
      ))}
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

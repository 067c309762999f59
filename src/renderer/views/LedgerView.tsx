import { useState } from 'react';
import type { LedgerVerifyResult } from '../../shared/types';
import { useAction, useHostData } from '../hooks';
import { formatTime } from '../format';
import { TableHead } from '../components/TableHead';
import { StatusLine } from '../components/StatusLine';

/** The audit ledger: head hash, entry count, signed checkpoints, recent entries, and a Verify button. */
export function LedgerView() {
  const status = useHostData(() => window.custodian.ledgerStatus(), ['ledger', 'batches']);
  const [verdict, setVerdict] = useState<LedgerVerifyResult | null>(null);
  const action = useAction();
  const s = status.data;
  return (
    <div className="view">
      <h2>Audit ledger</h2>
      <dl className="facts panel">
        <dt>Entries</dt>
        <dd className="num">{s ? s.entries.toLocaleString('en-US') : '…'}</dd>
        <dt>Head hash</dt>
        <dd className="mono wrap">{s?.head ?? '—'}</dd>
        <dt>Signing key</dt>
        <dd className="mono wrap">{s?.keyFingerprint ?? '…'}</dd>
        <dt>Checkpoints</dt>
        <dd>{s ? `${s.checkpoints.length} signed` : '…'}</dd>
      </dl>
      <div className="row">
        <button
          type="button"
          className="primary"
          disabled={action.busy}
          onClick={() =>
            void action.run(async () => {
              setVerdict(null);
              const v = await window.custodian.verifyLedger();
              setVerdict(v);
              return v.ok ? 'Verified.' : 'Verification failed.';
            })
          }
        >
          {action.busy ? 'Verifying…' : 'Verify ledger'}
        </button>
        {action.message && !action.message.ok ? (
          // The check itself could not run (the database could not be read): say so, never a blank line.
          <StatusLine message={action.message} />
        ) : (
          <p role="status" aria-live="polite" className={verdict ? (verdict.ok ? 'ok' : 'bad') : ''}>
            {verdict === null
              ? '\u00a0'
              : verdict.ok
                ? `Intact: ${verdict.entries.toLocaleString('en-US')} entries chain to the head; ${verdict.checkpoints ?? 0} signed checkpoints check out.`
                : `Broken at entry ${verdict.firstBadSeq.toLocaleString('en-US')}: ${verdict.reason}`}
          </p>
        )}
      </div>
      <h3>Signed checkpoints</h3>
      <table className="data">
        <TableHead columns={['Entry', 'When', 'Why', 'Hash']} />
        <tbody>
          {s?.checkpoints
            .slice(-10)
            .reverse()
            .map((c) => (
              <tr key={`${c.seq}-${c.ts}`}>
                <td className="num">{c.seq.toLocaleString('en-US')}</td>
                <td className="nowrap">{formatTime(c.ts)}</td>
                <td>{c.reason}</td>
                <td className="mono">{c.hash.slice(0, 16)}…</td>
              </tr>
            ))}
        </tbody>
      </table>
      <h3>Recent entries</h3>
      <table className="data compact">
        <TableHead columns={['Entry', 'When', 'What happened', 'Event', 'Hash']} />
        <tbody>
          {s?.recent
            .slice(-15)
            .reverse()
            .map((e) => (
              <tr key={e.seq}>
                <td className="num">{e.seq.toLocaleString('en-US')}</td>
                <td className="nowrap">{formatTime(e.ts)}</td>
                <td>{e.sentence}</td>
                <td>
                  <code className="muted">{e.type}</code>
                </td>
                <td className="mono">{e.hash.slice(0, 16)}…</td>
              </tr>
            ))}
        </tbody>
      </table>
    </div>
  );
}

import { useState } from 'react';
import type { QuarantineItem } from '../../shared/types';
import { ReasonDialog } from '../components/ReasonDialog';
import { useAction, useHostData } from '../hooks';
import { formatTime, baseName } from '../format';
import { StatusLine } from '../components/StatusLine';
import { TableHead } from '../components/TableHead';

/** Files held back: reason code, message and time, with Retry and Release (reason required), both recorded in the ledger. */
export function QuarantineView() {
  const [showAll, setShowAll] = useState(false);
  const list = useHostData(() => window.custodian.listQuarantine({ all: showAll }), ['quarantine']);
  const [releasing, setReleasing] = useState<QuarantineItem | null>(null);
  const action = useAction();
  const items = list.data ?? [];
  const reload = list.reload;
  return (
    <div className="view">
      <h2>Quarantine</h2>
      <div className="row">
        <p className="muted">
          Files Custodian would not take in or could not process. Nothing here is lost: retry after fixing the cause, or release with a reason.
        </p>
        <label className="check">
          <input
            type="checkbox"
            checked={showAll}
            onChange={(e) => {
              setShowAll(e.target.checked);
              setTimeout(reload, 0);
            }}
          />{' '}
          Show released and resolved
        </label>
      </div>
      <StatusLine message={action.message} />
      {items.length === 0 ? (
        <p>{list.data ? 'Nothing is held.' : 'Loading…'}</p>
      ) : (
        <table className="data">
          <TableHead caption="Quarantined files" columns={['Reason', 'File', 'Message', 'Since', 'State', 'Actions']} />
          <tbody>
            {items.map((q) => (
              <tr key={q.id}>
                <td>
                  <code>{q.reasonCode}</code>
                </td>
                <td className="nowrap" title={q.path}>
                  {baseName(q.path)}
                </td>
                <td>{q.message}</td>
                <td className="nowrap">{formatTime(q.createdAt)}</td>
                <td>{q.state === 'held' ? 'held' : `${q.state}${q.resolution ? `: ${q.resolution}` : ''}`}</td>
                <td className="nowrap">
                  {q.state === 'held' && (
                    <>
                      <button
                        type="button"
                        disabled={action.busy}
                        aria-label={`Retry ${baseName(q.path)}`}
                        onClick={() => void action.run(async () => `Retry: ${(await window.custodian.retryQuarantine({ id: q.id })).outcome}.`)}
                      >
                        Retry
                      </button>{' '}
                      <button type="button" disabled={action.busy} aria-label={`Release ${baseName(q.path)}`} onClick={() => setReleasing(q)}>
                        Release…
                      </button>
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {releasing && (
        <ReasonDialog
          title={`Release ${baseName(releasing.path)}?`}
          label="Why is it released?"
          confirm="Release"
          extra={
            <p>
              Held for <code>{releasing.reasonCode}</code>: {releasing.message}
            </p>
          }
          onCancel={() => setReleasing(null)}
          onConfirm={(reason) => {
            const id = releasing.id;
            setReleasing(null);
            void action.run(async () => `Released: ${(await window.custodian.releaseQuarantine({ id, reason })).outcome}.`);
          }}
        />
      )}
    </div>
  );
}

import { useId, useRef, useState } from 'react';
import type { RequestView as RequestSummary } from '../../shared/bridge-api';
import { ReasonDialog, useDialogFocus } from '../components/ReasonDialog';
import { useAction, useHostData } from '../hooks';
import { formatDaysLeft, num, plural, today } from '../format';
import { StatusLine } from '../components/StatusLine';
import { TableHead } from '../components/TableHead';

const STATUS: Record<RequestSummary['status'], string> = { 'on-track': 'On track', 'at-risk': 'At risk', overdue: 'Overdue', closed: 'Closed' };

function remaining(r: RequestSummary): string {
  if (r.status === 'closed') return `Closed ${r.closedOn ?? ''}`;
  if (r.tolled) return 'Clock stopped (tolled)';
  return formatDaysLeft(r.daysRemaining, r.dayKind);
}

/**
 * Open requests by due date with days remaining (saying business or calendar days) and status; at-risk and
 * overdue on top; add, toll, extend, close; the records count opens the Documents view for that request.
 */
export function DeadlinesView(props: { onShowRecords: (requestId: string) => void }) {
  const requests = useHostData(() => window.custodian.listRequests(), ['requests']);
  const escalations = useHostData(() => window.custodian.listEscalations(), ['requests']);
  const [acknowledging, setAcknowledging] = useState<string | null>(null);
  const jurisdictions = useHostData(() => window.custodian.listJurisdictions(), []);
  const action = useAction();
  const id = useId();
  const [form, setForm] = useState({ id: '', jurisdiction: 'us-federal', received: today(), title: '' });
  const [tolling, setTolling] = useState<RequestSummary | null>(null);
  const [tollFrom, setTollFrom] = useState(today());
  const [extending, setExtending] = useState<RequestSummary | null>(null);
  const [extendDays, setExtendDays] = useState(10);
  const [closing, setClosing] = useState<RequestSummary | null>(null);
  const [closeOn, setCloseOn] = useState(today());

  const rows = [...(requests.data ?? [])].sort((a, b) => Number(a.status === 'closed') - Number(b.status === 'closed') || a.dueDate.localeCompare(b.dueDate));
  const urgent = rows.filter((r) => r.status === 'overdue' || r.status === 'at-risk');
  const jurisdictionName = (code: string): string => jurisdictions.data?.find((j) => j.code === code)?.name ?? code;

  return (
    <div className="view">
      <h2>Deadlines</h2>
      {urgent.length > 0 && (
        <div className="alert" role="alert">
          <strong>{plural(urgent.length, 'request needs', 'requests need')} attention:</strong>{' '}
          {urgent.map((r) => `${r.id} (${STATUS[r.status].toLowerCase()}, due ${r.dueDate})`).join('; ')}
        </div>
      )}
      {(escalations.data?.length ?? 0) > 0 && (
        <section className="panel" aria-labelledby={`${id}-esc`}>
          <h3 id={`${id}-esc`}>Escalations waiting for a person</h3>
          <ul className="escalations">
            {escalations.data!.map((e) => (
              <li key={e.requestId}>
                <strong>{e.requestId}</strong> {e.level === 'overdue' ? 'is overdue' : 'is at risk'}
                {e.title ? ` (${e.title})` : ''}, for {e.supervisor ?? 'no supervisor named yet'}{' '}
                <button type="button" onClick={() => setAcknowledging(e.requestId)}>
                  Acknowledge…
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
      <form
        className="panel"
        aria-labelledby={`${id}-h`}
        onSubmit={(e) => {
          e.preventDefault();
          void action
            .run(async () => {
              const r = await window.custodian.addRequest({
                id: form.id.trim(),
                jurisdiction: form.jurisdiction,
                received: form.received,
                ...(form.title.trim() ? { title: form.title.trim() } : {}),
              });
              return `Request ${r.id} added: due ${r.dueDate}.`;
            })
            .then((ok) => ok && setForm({ ...form, id: '', title: '' }));
        }}
      >
        <h3 id={`${id}-h`}>New request</h3>
        <div className="fields">
          <div className="field">
            <label htmlFor={`${id}-id`}>Request number</label>
            <input id={`${id}-id`} value={form.id} onChange={(e) => setForm({ ...form, id: e.target.value })} required placeholder="FOIA-2026-0142" />
          </div>
          <div className="field">
            <label htmlFor={`${id}-j`}>Law</label>
            <select id={`${id}-j`} value={form.jurisdiction} onChange={(e) => setForm({ ...form, jurisdiction: e.target.value })}>
              {jurisdictions.data?.map((j) => (
                <option key={j.code} value={j.code}>
                  {j.name} ({j.periodDays} {j.dayKind} days)
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${id}-r`}>Received</label>
            <input id={`${id}-r`} type="date" value={form.received} onChange={(e) => setForm({ ...form, received: e.target.value })} required />
          </div>
          <div className="field grow">
            <label htmlFor={`${id}-t`}>Title (optional)</label>
            <input id={`${id}-t`} value={form.title} onChange={(e) => setForm({ ...form, title: e.target.value })} />
          </div>
          <button type="submit" className="primary" disabled={!form.id.trim() || action.busy}>
            Add request
          </button>
        </div>
      </form>
      <StatusLine message={action.message} />
      {rows.length === 0 ? (
        <p>{requests.data ? 'No requests yet.' : 'Loading…'}</p>
      ) : (
        <table className="data">
          <TableHead
            caption="Records requests by due date"
            columns={['Request', 'Law', 'Received', 'Due', 'Remaining', 'Status', 'Responsive records', 'Actions']}
          />
          <tbody>
            {rows.map((r) => (
              <tr key={r.id} className={`status-${r.status}`}>
                <td>
                  <strong className="id">{r.id}</strong>
                  {r.title ? <div className="muted">{r.title}</div> : null}
                </td>
                <td>{jurisdictionName(r.jurisdiction)}</td>
                <td className="nowrap">{r.received}</td>
                <td className="nowrap">
                  <strong>{r.dueDate}</strong>
                  {r.extensionDays ? <div className="muted">+{plural(r.extensionDays, `${r.dayKind} day`)} extension</div> : null}
                  {r.overdueOn ? <div className="late-mark">Was overdue when extended ({r.overdueOn})</div> : null}
                </td>
                <td className="nowrap">{remaining(r)}</td>
                <td>
                  <span className={`badge ${r.status}`}>
                    {STATUS[r.status]}
                    {r.status === 'on-track' || r.status === 'at-risk' ? ` · ${Math.round(r.percentUsed)}% used` : ''}
                  </span>
                </td>
                <td className="num">
                  {r.documents > 0 ? (
                    <button
                      type="button"
                      className="link"
                      onClick={() => props.onShowRecords(r.id)}
                      aria-label={`Show the ${plural(r.documents, 'record')} of ${r.id}`}
                    >
                      {num(r.documents)}
                    </button>
                  ) : (
                    '0'
                  )}
                  {r.documents > 0 && (
                    <div className="muted small nowrap" data-testid={`review-progress-${r.id}`}>
                      {num(r.reviewed)} reviewed{r.inReview ? `, ${num(r.inReview)} in review` : ''}
                    </div>
                  )}
                </td>
                <td className="actions-cell">
                  {r.status !== 'closed' &&
                    (r.tolled ? (
                      <button
                        type="button"
                        onClick={() =>
                          void action.run(async () => `Clock restarted: due ${(await window.custodian.resumeRequest({ id: r.id, on: today() })).dueDate}.`)
                        }
                      >
                        Restart clock
                      </button>
                    ) : (
                      <>
                        <button type="button" onClick={() => setTolling(r)} aria-label={`Toll ${r.id}`}>
                          Toll…
                        </button>{' '}
                        <button type="button" onClick={() => setExtending(r)} aria-label={`Extend ${r.id}`}>
                          Extend…
                        </button>
                      </>
                    ))}{' '}
                  {r.status !== 'closed' && (
                    <button
                      type="button"
                      onClick={() => {
                        setCloseOn(today());
                        setClosing(r);
                      }}
                      aria-label={`Close ${r.id}`}
                    >
                      Close…
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {tolling && (
        <ReasonDialog
          title={`Stop the clock of ${tolling.id}?`}
          label="Why (for example: waiting for the requester to clarify)?"
          confirm="Toll"
          extra={
            <p>
              <label htmlFor={`${id}-tf`}>Stopped from</label>{' '}
              <input id={`${id}-tf`} type="date" value={tollFrom} onChange={(e) => setTollFrom(e.target.value)} required />
            </p>
          }
          onCancel={() => setTolling(null)}
          onConfirm={(reason) => {
            const rid = tolling.id;
            setTolling(null);
            void action.run(async () => {
              await window.custodian.tollRequest({ id: rid, from: tollFrom, reason });
              return `Clock of ${rid} stopped from ${tollFrom}.`;
            });
          }}
        />
      )}
      {extending && (
        <ReasonDialog
          title={`Extend ${extending.id}?`}
          label="Why (for example: unusual circumstances, records at another site)?"
          confirm="Extend"
          extra={
            <p>
              <label htmlFor={`${id}-ed`}>Extra days</label>{' '}
              <input id={`${id}-ed`} type="number" min={1} max={365} value={extendDays} onChange={(e) => setExtendDays(Number(e.target.value))} required />{' '}
              {extending.dayKind} days
            </p>
          }
          onCancel={() => setExtending(null)}
          onConfirm={(reason) => {
            const rid = extending.id;
            setExtending(null);
            void action.run(async () => `Extended: ${rid} now due ${(await window.custodian.extendRequest({ id: rid, days: extendDays, reason })).dueDate}.`);
          }}
        />
      )}
      {acknowledging && (
        <ReasonDialog
          title={`Acknowledge the escalation of ${acknowledging}?`}
          label="What will be done about it?"
          confirm="Acknowledge"
          onCancel={() => setAcknowledging(null)}
          onConfirm={(note) => {
            const rid = acknowledging;
            setAcknowledging(null);
            void action.run(async () => {
              const e = await window.custodian.acknowledgeEscalation({ id: rid, note });
              return `Acknowledged: ${rid} ${e.level === 'overdue' ? 'is overdue' : 'is at risk'}. Recorded in the audit ledger.`;
            });
          }}
        />
      )}
      {closing && (
        <CloseDialog
          request={closing}
          on={closeOn}
          setOn={setCloseOn}
          onCancel={() => setClosing(null)}
          onConfirm={() => {
            const rid = closing.id;
            const on = closeOn;
            setClosing(null);
            void action.run(async () => {
              await window.custodian.closeRequest({ id: rid, on });
              return `Request ${rid} closed on ${on}: its clock has stopped.`;
            });
          }}
        />
      )}
    </div>
  );
}

/** Closing a request on the day it was answered: the date (today unless changed), Close, Cancel. */
function CloseDialog(props: { request: RequestSummary; on: string; setOn: (d: string) => void; onConfirm: () => void; onCancel: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const id = useId();
  useDialogFocus(ref);
  return (
    <dialog
      ref={ref}
      aria-labelledby={`${id}-t`}
      className="reason-dialog"
      onCancel={(e) => {
        e.preventDefault();
        props.onCancel();
      }}
    >
      <form
        method="dialog"
        onSubmit={(e) => {
          e.preventDefault();
          if (props.on) props.onConfirm();
        }}
      >
        <h3 id={`${id}-t`}>Close {props.request.id}?</h3>
        <p>Close a request once it is answered: its clock stops and it no longer turns overdue. This is recorded in the audit ledger.</p>
        <label htmlFor={`${id}-on`}>Answered on</label>{' '}
        <input id={`${id}-on`} type="date" value={props.on} onChange={(e) => props.setOn(e.target.value)} required min={props.request.received} />
        <div className="actions">
          <button type="button" onClick={props.onCancel}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={!props.on}>
            Close request
          </button>
        </div>
      </form>
    </dialog>
  );
}

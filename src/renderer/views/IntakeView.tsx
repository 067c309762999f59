import { useId, useState } from 'react';
import type { Lane, RequestSummary } from '../../shared/types';
import { useAction, useHostData } from '../hooks';
import { plural } from '../format';
import { StatusLine } from '../components/StatusLine';

const LANES: { value: Lane | ''; label: string }[] = [
  { value: '', label: 'Decide from content (public unless identifiers or markings are found)' },
  { value: 'pii', label: 'Personal identifiers (PII lane)' },
  { value: 'classified', label: 'Classified or controlled (classified lane)' },
];

/**
 * Taking files in: a drop zone (Electron gives dropped paths), the native folder dialog where there is one,
 * and a path field; with the request and lane the batch belongs to.
 */
export function IntakeForm(props: { canChooseFolders: boolean }) {
  const id = useId();
  const requests = useHostData(() => window.custodian.listRequests(), ['requests']);
  const [requestId, setRequestId] = useState('');
  const [lane, setLane] = useState<Lane | ''>('');
  const [typed, setTyped] = useState('');
  const [over, setOver] = useState(false);
  const action = useAction();

  const start = (paths: string[]): Promise<boolean> =>
    action.run(async () => {
      const { position } = await window.custodian.startIntake({ paths, requestId: requestId || null, lane: lane || null });
      return position === 0
        ? `Taking in ${plural(paths.length, 'item')}: see its progress below.`
        : `Queued: starts after ${plural(position, 'intake')} ahead of it.`;
    });

  const onDrop = (e: React.DragEvent): void => {
    e.preventDefault();
    setOver(false);
    const files = [...e.dataTransfer.files];
    const paths = files.map((f) => window.custodian.pathForFile(f)).filter((p): p is string => Boolean(p));
    if (files.length > 0 && paths.length === 0) {
      void action.run(() => Promise.reject(new Error('This window cannot see where dropped files are kept: type or paste the folder path below.')));
      return;
    }
    if (paths.length) void start(paths);
  };

  const open: RequestSummary[] = (requests.data ?? []).filter((r) => r.status !== 'closed');
  return (
    <section aria-labelledby={`${id}-h`} className="panel intake">
      <h2 id={`${id}-h`}>Take in records</h2>
      <div
        className={`dropzone${over ? ' over' : ''}`}
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
      >
        <p>Drop folders or files of scans and PDFs here</p>
        {props.canChooseFolders && (
          <button
            type="button"
            onClick={() =>
              void window.custodian.chooseFolders().then((paths) => {
                if (paths?.length) void start(paths);
              })
            }
          >
            Choose folder…
          </button>
        )}
      </div>
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          if (typed.trim()) void start([typed.trim()]).then((ok) => ok && setTyped(''));
        }}
      >
        <label htmlFor={`${id}-path`}>Folder or file path</label>
        <input id={`${id}-path`} value={typed} onChange={(e) => setTyped(e.target.value)} placeholder="/media/clerk/SCANS-2026-11" spellCheck={false} />
        <button type="submit" className="primary" disabled={!typed.trim() || action.busy}>
          Take in
        </button>
      </form>
      <div className="fields">
        <div className="field">
          <label htmlFor={`${id}-req`}>Records request</label>
          <select id={`${id}-req`} className="fixed" value={requestId} onChange={(e) => setRequestId(e.target.value)}>
            <option value="">None</option>
            {open.map((r) => (
              <option key={r.id} value={r.id}>
                {r.id} — due {r.dueDate}
                {r.title ? ` — ${r.title}` : ''}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-lane`}>Lane</label>
          <select id={`${id}-lane`} className="fixed" value={lane} onChange={(e) => setLane(e.target.value as Lane | '')}>
            {LANES.map((l) => (
              <option key={l.value} value={l.value}>
                {l.label}
              </option>
            ))}
          </select>
        </div>
      </div>
      <StatusLine message={action.message} />
    </section>
  );
}

import { useEffect, useId, useRef, useState } from 'react';
import type { Lane, RequestSummary, RunStatus } from '../../shared/types';
import { useAction, useHostData } from '../hooks';
import { plural } from '../format';
import { StatusLine } from '../components/StatusLine';

const LANES: { value: Lane | ''; label: string }[] = [
  { value: '', label: 'Decide from content (public unless identifiers or markings are found)' },
  { value: 'pii', label: 'Personal identifiers (PII lane)' },
  { value: 'classified', label: 'Classified or controlled (classified lane)' },
];

/**
 * Taking files in: first the request and lane the batch belongs to, then where the files are: a drop zone
 * (Electron only: it gives dropped paths), the native folder dialog where there is one, and a path field,
 * with one Start button.
 */
export function IntakeForm(props: { canChooseFolders: boolean; host: 'electron' | 'browser'; run: RunStatus | null }) {
  const id = useId();
  const requests = useHostData(() => window.custodian.listRequests(), ['requests']);
  const [requestId, setRequestId] = useState('');
  const [lane, setLane] = useState<Lane | ''>('');
  const [typed, setTyped] = useState('');
  const [over, setOver] = useState(false);
  const action = useAction();
  const { clear, message } = action;
  // "Taking in…" and "Queued…" describe a run; once the engine is idle they are history, and the batch card says the rest.
  const idle = props.run?.state === 'idle' && props.run.waiting === 0;
  const ranSinceMessage = useRef(false);
  useEffect(() => {
    if (!idle) ranSinceMessage.current = true;
    else if (ranSinceMessage.current && message?.ok) {
      ranSinceMessage.current = false;
      clear();
    }
  }, [idle, message, clear]);

  const start = (paths: string[]): Promise<boolean> =>
    action.run(async () => {
      const { position } = await window.custodian.startIntake({ paths, requestId: requestId || null, lane: lane || null });
      const forRequest = requestId ? ` for request ${requestId}` : '';
      return position === 0
        ? `Taking in ${plural(paths.length, 'item')}${forRequest}: see its progress below.`
        : `Queued${forRequest}: starts after ${plural(position, 'intake')} ahead of it.`;
    });

  const onDrop = (e: React.DragEvent): void => {
    e.preventDefault();
    setOver(false);
    const files = [...e.dataTransfer.files];
    const paths = files.map((f) => window.custodian.pathForFile(f)).filter((p): p is string => Boolean(p));
    if (files.length > 0 && paths.length === 0) {
      // A browser does not say where a dropped file lives; dropped text (a path) still works.
      const text = e.dataTransfer.getData('text/plain').trim();
      if (text) setTyped(text);
      else void action.run(() => Promise.reject(new Error('This window cannot see where dropped files are kept: type or paste the folder path.')));
      return;
    }
    if (paths.length) void start(paths);
    else {
      const text = e.dataTransfer.getData('text/plain').trim();
      if (text) setTyped(text);
    }
  };

  const open: RequestSummary[] = (requests.data ?? []).filter((r) => r.status !== 'closed');
  return (
    <section aria-labelledby={`${id}-h`} className="panel intake">
      <h2 id={`${id}-h`}>Take in records</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (typed.trim()) void start([typed.trim()]).then((ok) => ok && setTyped(''));
        }}
      >
        <div className="fields">
          <div className="field">
            <label htmlFor={`${id}-req`}>Records request</label>
            <select id={`${id}-req`} className="fixed" value={requestId} onChange={(e) => setRequestId(e.target.value)}>
              <option value="">None (not for a request yet)</option>
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
        {props.host === 'electron' && (
          <div
            className={`dropzone${over ? ' over' : ''}`}
            onDragOver={(e) => {
              e.preventDefault();
              setOver(true);
            }}
            onDragLeave={() => setOver(false)}
            onDrop={onDrop}
          >
            <p>Drop folders or files of scans and PDFs here to start, or give the path:</p>
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
        )}
        <div className="row path-row">
          <label htmlFor={`${id}-path`}>Folder or file path</label>
          <input
            id={`${id}-path`}
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
            onDragOver={(e) => e.preventDefault()}
            onDrop={(e) => {
              e.preventDefault();
              const text = e.dataTransfer.getData('text/plain').trim();
              if (text) setTyped(text);
            }}
            placeholder="/media/clerk/SCANS-2026-11"
            spellCheck={false}
            aria-describedby={`${id}-hint`}
          />
          <button type="submit" className="primary" disabled={!typed.trim() || action.busy}>
            Start intake
          </button>
        </div>
        <p id={`${id}-hint`} className="hint muted small">
          {props.host === 'browser'
            ? 'Type or paste the path of a folder or file on this workstation. Choose the request and lane first: they apply to the whole batch.'
            : 'Choose the request and lane first: they apply to the whole batch.'}
        </p>
      </form>
      <StatusLine message={action.message} />
    </section>
  );
}

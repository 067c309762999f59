import { useEffect, useState } from 'react';
import type { AppInfo } from '../shared/bridge-api';
import { useHostData, useRunStatus } from './hooks';
import { BatchesView } from './views/BatchesView';
import { DocumentsView } from './views/DocumentsView';
import { QuarantineView } from './views/QuarantineView';
import { DeadlinesView } from './views/DeadlinesView';
import { LedgerView } from './views/LedgerView';
import { ExportView } from './views/ExportView';

const VIEWS = [
  { id: 'batches', label: 'Intake & batches' },
  { id: 'documents', label: 'Documents' },
  { id: 'quarantine', label: 'Quarantine' },
  { id: 'deadlines', label: 'Deadlines' },
  { id: 'ledger', label: 'Audit ledger' },
  { id: 'export', label: 'Export report' },
] as const;

type ViewId = (typeof VIEWS)[number]['id'];

/** The app: a navigation rail with counts that need attention, and one view at a time. */
export function App() {
  const [view, setView] = useState<ViewId>('batches');
  const [info, setInfo] = useState<AppInfo | null>(null);
  // The Documents view can be opened filtered (a request's records count links to it); a new key remounts it.
  const [docFilter, setDocFilter] = useState<{ requestId?: string; key: number }>({ key: 0 });
  const run = useRunStatus();
  const held = useHostData(() => window.custodian.listQuarantine({}), ['quarantine', 'batches']);
  const requests = useHostData(() => window.custodian.listRequests(), ['requests']);
  useEffect(() => {
    void window.custodian.appInfo().then(setInfo);
  }, []);
  const urgent = (requests.data ?? []).filter((r) => r.status === 'overdue' || r.status === 'at-risk').length;
  const badge: Partial<Record<ViewId, number>> = { quarantine: held.data?.length ?? 0, deadlines: urgent };

  return (
    <div className="app">
      <nav aria-label="Views">
        <p className="brand">Custodian</p>
        <ul>
          {VIEWS.map((v) => (
            <li key={v.id}>
              <button
                type="button"
                aria-current={view === v.id ? 'page' : undefined}
                onClick={() => {
                  if (v.id === 'documents' && view !== 'documents') setDocFilter((f) => ({ key: f.key + 1 }));
                  setView(v.id);
                }}
              >
                {v.label}
                {badge[v.id] ? (
                  <span className={`count${v.id === 'deadlines' ? ' bad' : ''}`} aria-label={`${badge[v.id]} need attention`}>
                    {badge[v.id]}
                  </span>
                ) : null}
              </button>
            </li>
          ))}
        </ul>
        <p className="run-state" role="status">
          {run?.state === 'running' ? 'Working…' : 'Idle'}
        </p>
        {info && (
          <p className="muted small">
            {info.host === 'browser' ? 'Browser bridge' : 'Desktop'} · v{info.version}
          </p>
        )}
      </nav>
      <main>
        {!info ? (
          <p>Starting…</p>
        ) : view === 'batches' ? (
          <BatchesView info={info} run={run} />
        ) : view === 'documents' ? (
          <DocumentsView key={docFilter.key} initial={docFilter} />
        ) : view === 'quarantine' ? (
          <QuarantineView />
        ) : view === 'deadlines' ? (
          <DeadlinesView
            onShowRecords={(requestId) => {
              setDocFilter((f) => ({ requestId, key: f.key + 1 }));
              setView('documents');
            }}
          />
        ) : view === 'ledger' ? (
          <LedgerView />
        ) : (
          <ExportView />
        )}
      </main>
    </div>
  );
}

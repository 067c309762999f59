import type { AppInfo } from '../../shared/bridge-api';
import type { RunStatus } from '../../shared/types';
import { useHostData } from '../hooks';
import { IntakeForm } from './IntakeView';
import { BatchCard } from './BatchCard';
import { plural } from '../format';

/** Intake and the batches: the view a clerk lives in. */
export function BatchesView(props: { info: AppInfo; run: RunStatus | null }) {
  const batches = useHostData(() => window.custodian.listBatches(), ['batches']);
  const run = props.run;
  return (
    <div className="view">
      <IntakeForm canChooseFolders={props.info.canChooseFolders} host={props.info.host} run={props.run} />
      <section aria-labelledby="batches-h">
        <h2 id="batches-h">Batches</h2>
        <p className="muted" role="status" aria-live="polite">
          {run?.state === 'running' ? (run.current?.kind === 'resume' ? 'Finishing queued work…' : 'Working…') : 'Idle.'}
          {run && run.waiting > 0 ? ` ${plural(run.waiting, 'intake')} waiting to start.` : ''}
          {run?.lastError ? ` Last run stopped: ${run.lastError.message}` : ''}
        </p>
        {batches.error && <p className="bad">{batches.error}</p>}
        {batches.data === null && !batches.error && <p className="muted">Loading batches…</p>}
        {batches.data?.length === 0 && <p>No batches yet. Give a folder above to start.</p>}
        <div className="cards">
          {batches.data?.map((b) => (
            <BatchCard key={b.batchId} batch={b} run={run} />
          ))}
        </div>
      </section>
    </div>
  );
}

import { useState } from 'react';
import type { BatchView, RunStatus } from '../../shared/types';
import { ReasonDialog } from '../components/ReasonDialog';
import { Progress } from '../components/Progress';
import { StatusLine } from '../components/StatusLine';
import { useAction } from '../hooks';
import { formatBytes, formatMinutes, formatTime, num, plural, baseName } from '../format';

function stateLabel(b: BatchView, active: boolean): { text: string; tone: string } {
  if (b.hold === 'paused') return { text: 'Paused', tone: 'warn' };
  if (b.hold === 'cancelled') return { text: 'Cancelled', tone: 'bad' };
  if (b.state === 'done') return { text: 'Complete', tone: 'ok' };
  if (b.state === 'walking') return { text: active ? 'Hashing files' : 'Interrupted: resumes on its own', tone: 'info' };
  return { text: active ? 'Extracting text' : 'Waiting to process', tone: 'info' };
}

/** One batch: intake summary, progress, live figures while it runs, lanes, and pause / resume / cancel. */
export function BatchCard(props: { batch: BatchView; run: RunStatus | null }) {
  const b = props.batch;
  const current = props.run?.current;
  const active = current?.batchId === b.batchId || (current?.kind === 'resume' && b.state !== 'done' && !b.hold);
  const hashing = current?.hashing?.batchId === b.batchId ? current.hashing : null;
  const processing = active ? current?.processing : null;
  const label = stateLabel(b, Boolean(active));
  const [cancelling, setCancelling] = useState(false);
  const action = useAction();
  const filesDone = hashing ? hashing.filesDone : b.intake.files;
  const filesTotal = hashing ? hashing.filesTotal : b.intake.files;
  const p = b.progress;
  // Over the whole batch: pages of records not yet opened are estimated from their size, and say so.
  const remainingPages = Math.max(0, p.pagesTotal - p.pagesExtracted);
  const eta =
    processing && processing.pagesPerMinute > 0 && remainingPages > 0
      ? `${formatMinutes(remainingPages / processing.pagesPerMinute)}${p.exact ? '' : ' (estimated)'}`
      : '—';
  const q = b.quarantine;

  return (
    <article className="card batch" aria-label={`Batch ${b.batchId.slice(0, 8)}`}>
      <header>
        <h3>
          {b.roots.map((r) => baseName(r)).join(', ')} <span className="muted mono">#{b.batchId.slice(0, 8)}</span>
        </h3>
        <span className={`badge ${label.tone}`}>{label.text}</span>
      </header>
      <p className="muted">
        Started {formatTime(b.createdAt)} · {formatBytes(b.intake.bytes)}
        {b.requestId ? ` · request ${b.requestId}` : ''}
        {b.lane ? ` · lane chosen: ${b.lane}` : ''}
      </p>
      <dl className="figures">
        <div>
          <dt>Files found</dt>
          <dd>{(hashing ? Math.max(hashing.filesTotal, b.intake.files) : b.intake.files).toLocaleString('en-US')}</dd>
        </div>
        <div>
          <dt>New records</dt>
          <dd>{b.intake.registered.toLocaleString('en-US')}</dd>
        </div>
        <div>
          <dt>Duplicates</dt>
          <dd>{b.intake.duplicates.toLocaleString('en-US')}</dd>
        </div>
        <div>
          <dt>Quarantine</dt>
          <dd className={`multi${q.held ? ' bad' : ''}`} title="Files held back now, and those released with a reason or retried since">
            {num(q.held)} held{q.released ? ` · ${num(q.released)} released` : ''}
            {q.resolved ? ` · ${num(q.resolved)} retried` : ''}
          </dd>
        </div>
        <div>
          <dt>Not records</dt>
          <dd title="Files that are not scans or PDFs, and custody manifests">{(b.intake.unsupported + b.intake.custodyFiles).toLocaleString('en-US')}</dd>
        </div>
      </dl>
      <Progress label="Files hashed" done={filesDone} total={filesTotal} />
      <Progress label="Records processed" done={p.recordsDone} total={p.records} />
      <Progress
        label={p.exact ? 'Pages extracted' : 'Pages extracted (total estimated)'}
        done={p.pagesExtracted}
        total={p.pagesTotal}
        approximate={!p.exact}
        detail={p.exact ? undefined : `${plural(p.recordsUnopened, 'record')} not opened yet, pages estimated from size`}
      />
      <dl className="figures live" aria-label="Live figures">
        <div>
          <dt>Pages/min</dt>
          <dd>{processing ? num(processing.pagesPerMinute) : '—'}</dd>
        </div>
        <div>
          <dt>Time left</dt>
          <dd>{eta}</dd>
        </div>
        <div>
          <dt>Queue</dt>
          <dd>{processing ? processing.queueDepth.toLocaleString('en-US') : b.jobs.pending.toLocaleString('en-US')}</dd>
        </div>
        <div>
          <dt>Intake</dt>
          <dd>{!processing ? '—' : processing.intakePaused ? 'waiting (queue full)' : 'flowing'}</dd>
        </div>
        <div>
          <dt>Workers busy</dt>
          <dd>{processing ? `${processing.workersBusy} of ${processing.workers}` : '—'}</dd>
        </div>
      </dl>
      <p className="lanes">
        Lanes:{' '}
        {b.lanes.pending > 0 && (
          <>
            <span className="lane pending" title="Not checked for identifiers or markings yet">
              {num(b.lanes.pending)} not checked yet
            </span>{' '}
          </>
        )}
        <span className="lane public">{num(b.lanes.public)} public</span> <span className="lane pii">{num(b.lanes.pii)} PII</span>{' '}
        <span className="lane classified">{num(b.lanes.classified)} classified</span>
      </p>
      {b.state !== 'done' && (
        <div className="actions">
          {b.hold ? (
            <button
              type="button"
              disabled={action.busy}
              onClick={() =>
                void action.run(async () => `Resumed: ${plural((await window.custodian.continueBatch({ batchId: b.batchId })).queued, 'record')} to process.`)
              }
            >
              Resume
            </button>
          ) : (
            <button
              type="button"
              disabled={action.busy}
              onClick={() =>
                void action.run(async () => `Paused: ${plural((await window.custodian.pauseBatch({ batchId: b.batchId })).queued, 'record')} waiting.`)
              }
            >
              Pause
            </button>
          )}
          {b.hold !== 'cancelled' && (
            <button type="button" className="danger" disabled={action.busy} onClick={() => setCancelling(true)}>
              Cancel batch…
            </button>
          )}
        </div>
      )}
      {action.message && <StatusLine message={action.message} />}
      {cancelling && (
        <ReasonDialog
          title="Cancel this batch?"
          label="Why is it cancelled?"
          confirm="Cancel batch"
          extra={<p>Records already processed keep their text. The rest stay registered and listed as not processed; Resume takes them up again.</p>}
          onCancel={() => setCancelling(false)}
          onConfirm={(reason) => {
            setCancelling(false);
            void action.run(
              async () => `Cancelled: ${plural((await window.custodian.cancelBatch({ batchId: b.batchId, reason })).queued, 'record')} not processed.`,
            );
          }}
        />
      )}
    </article>
  );
}

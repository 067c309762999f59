import { useState } from 'react';
import type { QuarantineOutcome, QuarantineView as Item } from '../../shared/bridge-api';
import { REASON_CODES } from '../../shared/reason-codes';
import { NEXT_STEPS } from '../../shared/reason-guidance';
import { ReasonDialog } from '../components/ReasonDialog';
import { useAction, useHostData } from '../hooks';
import { formatShortTime, formatTime, baseName, num, plural } from '../format';
import { StatusLine } from '../components/StatusLine';

/** A reason's message as the rest of a sentence ("the file does not match …"). */
function lower(text: string): string {
  return text[0]!.toLowerCase() + text.slice(1).replace(/\.$/u, '');
}

/** What retrying or releasing items came to, in sentences a clerk reads (the codes stay in the ledger). */
export function outcomeSentence(results: QuarantineOutcome[], items: Item[]): string {
  const name = (id: number): string => baseName(items.find((i) => i.id === id)?.path ?? `item ${id}`);
  if (results.length === 1) {
    const r = results[0]!;
    switch (r.outcome) {
      case 'passed':
        return `Taken in: ${name(r.id)} now passes its checks and is a record.`;
      case 'still-held':
        return `Still held: ${r.reasonCode ? lower(REASON_CODES[r.reasonCode]) : 'the problem is still there'}.`;
      case 'requeued':
        return `Processing again: ${name(r.id)} is back in the queue.`;
      case 'released':
        return `Released: ${name(r.id)} is no longer held, and your reason is in the audit ledger.`;
      default:
        return `Not done for ${name(r.id)}: ${r.error ?? 'it could not be acted on'}`;
    }
  }
  const count = (o: QuarantineOutcome['outcome']): number => results.filter((r) => r.outcome === o).length;
  const parts = [
    count('released') && `${plural(count('released'), 'file')} released`,
    count('passed') && `${plural(count('passed'), 'file')} taken in`,
    count('requeued') && `${plural(count('requeued'), 'record')} processing again`,
    count('still-held') && `${plural(count('still-held'), 'file')} still held`,
    count('failed') && `${plural(count('failed'), 'file')} could not be acted on`,
  ].filter(Boolean);
  return `${parts.join('; ')}.`.replace(/^./u, (c) => c.toUpperCase());
}

/**
 * Files held back, grouped by reason with counts and what to do next; each shows its name (cut, full path
 * on hover), folder and the manifest it failed. Several can be selected and retried, or released with one
 * reason; every action goes into the ledger.
 */
export function QuarantineView() {
  const [showAll, setShowAll] = useState(false);
  const list = useHostData(() => window.custodian.listQuarantine({ all: showAll }), ['quarantine']);
  const [releasing, setReleasing] = useState<Item[] | null>(null);
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const action = useAction();
  const items = list.data ?? [];
  const reload = list.reload;
  const held = items.filter((q) => q.state === 'held');
  const chosen = held.filter((q) => selected.has(q.id));
  const groups = new Map<string, Item[]>();
  for (const q of items) groups.set(q.reasonCode, [...(groups.get(q.reasonCode) ?? []), q]);

  const toggle = (ids: number[], on: boolean): void =>
    setSelected((s) => {
      const next = new Set(s);
      for (const id of ids) {
        if (on) next.add(id);
        else next.delete(id);
      }
      return next;
    });
  const retry = (targets: Item[]): void => {
    void action.run(async () => {
      const ids = targets.map((t) => t.id);
      const results = ids.length === 1 ? [await window.custodian.retryQuarantine({ id: ids[0]! })] : await window.custodian.retryQuarantineMany({ ids });
      setSelected(new Set());
      return outcomeSentence(results, items);
    });
  };

  return (
    <div className="view">
      <h2>Quarantine</h2>
      <div className="row">
        <p className="muted">
          Files Custodian would not take in or could not process. Nothing here is lost: fix the cause and retry, or release with a reason.
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
      <div className="row bulk" aria-label="Selected files">
        <span className="num">{chosen.length ? `${plural(chosen.length, 'file')} selected` : 'Select files to act on several at once.'}</span>
        <button type="button" disabled={!chosen.length || action.busy} onClick={() => retry(chosen)}>
          Retry selected
        </button>
        <button type="button" disabled={!chosen.length || action.busy} onClick={() => setReleasing(chosen)}>
          Release selected…
        </button>
      </div>
      <StatusLine message={action.message} />
      {items.length === 0 ? (
        <p>{list.data ? 'Nothing is held.' : 'Loading…'}</p>
      ) : (
        [...groups.entries()].map(([code, group]) => {
          const heldHere = group.filter((q) => q.state === 'held');
          const all = heldHere.length > 0 && heldHere.every((q) => selected.has(q.id));
          const headingId = `q-${code}`;
          return (
            <section key={code} className="panel quarantine-group" aria-labelledby={headingId}>
              <h3 id={headingId}>
                {REASON_CODES[code as keyof typeof REASON_CODES] ?? code} <span className="count-pill">{num(group.length)}</span>
              </h3>
              <p className="next-step">
                <strong>What to do:</strong> {NEXT_STEPS[code as keyof typeof NEXT_STEPS] ?? 'Retry, or release with a reason.'}
              </p>
              <table className="data quarantine">
                <caption className="sr-only">{`Files held for: ${REASON_CODES[code as keyof typeof REASON_CODES] ?? code}`}</caption>
                <colgroup>
                  <col className="c-select" />
                  <col className="c-file" />
                  <col className="c-folder" />
                  <col className="c-manifest" />
                  <col className="c-since" />
                  <col className="c-state" />
                  <col className="c-actions" />
                </colgroup>
                <thead>
                  <tr>
                    <th scope="col">
                      <input
                        type="checkbox"
                        aria-label={`Select all ${num(heldHere.length)} held in this group`}
                        checked={all}
                        disabled={!heldHere.length}
                        onChange={(e) =>
                          toggle(
                            heldHere.map((q) => q.id),
                            e.target.checked,
                          )
                        }
                      />
                    </th>
                    <th scope="col">File</th>
                    <th scope="col">Folder</th>
                    <th scope="col">Manifest</th>
                    <th scope="col">Since</th>
                    <th scope="col">State</th>
                    <th scope="col">Actions</th>
                  </tr>
                </thead>
                <tbody>
                  {group.map((q) => (
                    <tr key={q.id}>
                      <td>
                        {q.state === 'held' && (
                          <input
                            type="checkbox"
                            aria-label={`Select ${q.path}`}
                            checked={selected.has(q.id)}
                            onChange={(e) => toggle([q.id], e.target.checked)}
                          />
                        )}
                      </td>
                      <td className="cut" title={q.path}>
                        {baseName(q.path)}
                      </td>
                      <td className="cut" title={q.folder}>
                        {q.folder}
                      </td>
                      <td className="cut" title={q.manifest ?? undefined}>
                        {q.manifest ? baseName(q.manifest) : '—'}
                      </td>
                      <td className="cut" title={formatTime(q.createdAt)}>
                        {formatShortTime(q.createdAt)}
                      </td>
                      <td className="cut" title={q.resolution ?? undefined}>
                        {q.state === 'held' ? 'held' : `${q.state}${q.resolution ? `: ${q.resolution}` : ''}`}
                      </td>
                      <td className="nowrap">
                        {q.state === 'held' && (
                          <>
                            <button type="button" disabled={action.busy} aria-label={`Retry ${baseName(q.path)}`} onClick={() => retry([q])}>
                              Retry
                            </button>{' '}
                            <button type="button" disabled={action.busy} aria-label={`Release ${baseName(q.path)}`} onClick={() => setReleasing([q])}>
                              Release…
                            </button>
                          </>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          );
        })
      )}
      {releasing && (
        <ReasonDialog
          title={releasing.length === 1 ? `Release ${baseName(releasing[0]!.path)}?` : `Release ${plural(releasing.length, 'file')}?`}
          label="Why is it released?"
          confirm="Release"
          extra={
            releasing.length === 1 ? (
              <p>
                Held because {lower(releasing[0]!.message)}. <span className="muted small">({releasing[0]!.reasonCode})</span>
              </p>
            ) : (
              <p>The same reason is recorded for each of them.</p>
            )
          }
          onCancel={() => setReleasing(null)}
          onConfirm={(reason) => {
            const ids = releasing.map((r) => r.id);
            setReleasing(null);
            void action.run(async () => {
              const results =
                ids.length === 1
                  ? [await window.custodian.releaseQuarantine({ id: ids[0]!, reason })]
                  : await window.custodian.releaseQuarantineMany({ ids, reason });
              setSelected(new Set());
              return outcomeSentence(results, items);
            });
          }}
        />
      )}
    </div>
  );
}

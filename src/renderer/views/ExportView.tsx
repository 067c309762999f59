import { useState } from 'react';
import type { BackupOutcome, ExportOutcome, ReleaseOutcome } from '../../shared/types';
import { useAction, useHostData } from '../hooks';
import { formatBytes } from '../format';
import { StatusLine } from '../components/StatusLine';

/** Signed audit report to a removable drive: lists drives, exports, then verifies the copy on the drive. */
export function ExportView() {
  const backup = useAction();
  const [passphrase, setPassphrase] = useState('');
  const [again, setAgain] = useState('');
  const [made, setMade] = useState<BackupOutcome | null>(null);
  const drives = useHostData(() => window.custodian.listDrives(), []);
  const [chosen, setChosen] = useState<string>('');
  const [outcome, setOutcome] = useState<ExportOutcome | null>(null);
  const action = useAction();
  const releasing = useAction();
  const requests = useHostData(() => window.custodian.listRequests(), ['requests']);
  const [releaseFor, setReleaseFor] = useState('');
  const [prefix, setPrefix] = useState('');
  const [released, setReleased] = useState<ReleaseOutcome | null>(null);
  const list = drives.data ?? [];
  const target = chosen || (list.length === 1 ? list[0]!.mountPoint : '');
  return (
    <div className="view">
      <h2>Export a signed audit report</h2>
      <p className="muted">
        The report (PDF, JSON, the ledger, the public key and a signature) is written to the drive, then read back and checked. Anyone can verify it offline
        with the README.txt on the drive.
      </p>
      <div className="row">
        <button type="button" onClick={drives.reload}>
          Look for drives again
        </button>
      </div>
      {list.length === 0 ? (
        <p>{drives.data ? 'No removable drive found. Insert a USB drive, then look again.' : 'Looking for drives…'}</p>
      ) : (
        <fieldset className="panel">
          <legend>Removable drives</legend>
          {list.map((d) => (
            <label key={d.mountPoint} className="drive">
              <input type="radio" name="drive" value={d.mountPoint} checked={target === d.mountPoint} onChange={() => setChosen(d.mountPoint)} />{' '}
              <strong>{d.mountPoint}</strong>{' '}
              <span className="muted">
                ({d.fsType}, {formatBytes(d.freeBytes)} free)
              </span>
            </label>
          ))}
        </fieldset>
      )}
      <div className="row">
        <button
          type="button"
          className="primary"
          disabled={!target || action.busy}
          onClick={() =>
            void action.run(async () => {
              setOutcome(null);
              const r = await window.custodian.exportReport({ mountPoint: target });
              setOutcome(r);
              return r.verified ? 'Exported and verified.' : 'Exported, but the copy on the drive did not verify.';
            })
          }
        >
          {action.busy ? 'Writing and checking…' : 'Export report'}
        </button>
        {action.busy && <progress aria-label="Exporting" />}
      </div>
      <StatusLine message={readBack(action.message, outcome)} />
      {outcome && (
        <dl className="facts panel" aria-label="Exported report">
          <dt>Folder</dt>
          <dd className="wrap mono">{outcome.dir}</dd>
          <dt>Records</dt>
          <dd>{outcome.documents.toLocaleString('en-US')}</dd>
          <dt>Ledger head</dt>
          <dd className="mono wrap">{outcome.ledgerHead}</dd>
          <Verification outcome={outcome} />
        </dl>
      )}
      <form
        className="panel"
        aria-labelledby="release-h"
        onSubmit={(e) => {
          e.preventDefault();
          void releasing.run(async () => {
            setReleased(null);
            const r = await window.custodian.exportRelease({
              requestId: releaseFor,
              mountPoint: target,
              ...(prefix.trim() ? { batesPrefix: prefix.trim() } : {}),
            });
            setReleased(r);
            return r.verified
              ? `Release written and verified: ${r.pages.toLocaleString('en-US')} pages, Bates ${r.batesFirst} to ${r.batesLast}.`
              : 'Release written, but the copy on the drive did not verify.';
          });
        }}
      >
        <h3 id="release-h">Export a release</h3>
        <p className="muted">
          The records responsive to a request, as the requester receives them: every page an image with the redactions burned in, Bates-numbered, with an
          exemption log, signed. Every record must be marked reviewed first.
        </p>
        <p>
          <label htmlFor="release-req">Request</label>{' '}
          <select id="release-req" value={releaseFor} onChange={(e) => setReleaseFor(e.target.value)} required>
            <option value="">Choose a request</option>
            {requests.data
              ?.filter((r) => r.documents > 0)
              .map((r) => (
                <option key={r.id} value={r.id}>
                  {r.id} · {r.reviewed} of {r.documents} reviewed
                </option>
              ))}
          </select>{' '}
          <label htmlFor="release-prefix">Bates prefix (optional)</label>{' '}
          <input id="release-prefix" value={prefix} onChange={(e) => setPrefix(e.target.value)} maxLength={20} placeholder="from the request number" />
        </p>
        <button type="submit" disabled={!target || !releaseFor || releasing.busy}>
          {releasing.busy ? 'Writing the release…' : 'Export release to the drive'}
        </button>
        <StatusLine message={readBack(releasing.message, released)} />
        {released && (
          <dl className="facts" aria-label="Release written">
            <dt>Folder</dt>
            <dd className="wrap mono">{released.dir}</dd>
            <dt>Pages</dt>
            <dd>
              {released.pages.toLocaleString('en-US')} page(s) in {released.documents.toLocaleString('en-US')} record(s) · Bates {released.batesFirst} to{' '}
              {released.batesLast}
            </dd>
            <dt>Withheld</dt>
            <dd>
              {released.redactions.toLocaleString('en-US')} redactions, {released.withheldPages.toLocaleString('en-US')} pages in full
            </dd>
            <Verification outcome={released} />
          </dl>
        )}
      </form>
      <form
        className="panel"
        aria-labelledby="backup-h"
        onSubmit={(e) => {
          e.preventDefault();
          void backup.run(async () => {
            setMade(null);
            const r = await window.custodian.createBackup({ mountPoint: target, passphrase });
            setMade(r);
            setPassphrase('');
            setAgain('');
            return `Backup written: ${r.documents.toLocaleString('en-US')} records, ledger up to entry ${r.headSeq.toLocaleString('en-US')}.`;
          });
        }}
      >
        <h3 id="backup-h">Back up this workstation</h3>
        <p className="muted">
          Everything needed to restore this workstation if its disk fails: the catalogue, every decision, the audit ledger and the signing key, sealed under a
          passphrase. Keep the passphrase apart from the drive: without it the backup cannot be restored (custodian restore).
        </p>
        <p>
          <label htmlFor="backup-pass">Passphrase (at least 12 characters)</label>{' '}
          <input
            id="backup-pass"
            type="password"
            autoComplete="new-password"
            minLength={12}
            value={passphrase}
            onChange={(e) => setPassphrase(e.target.value)}
            required
          />
        </p>
        <p>
          <label htmlFor="backup-again">The passphrase again</label>{' '}
          <input id="backup-again" type="password" autoComplete="new-password" value={again} onChange={(e) => setAgain(e.target.value)} required />
          {again && again !== passphrase && <span className="bad"> The two passphrases differ.</span>}
        </p>
        <button type="submit" disabled={!target || backup.busy || passphrase.length < 12 || again !== passphrase}>
          {backup.busy ? 'Writing the backup…' : 'Back up to the drive'}
        </button>
        <StatusLine message={backup.message} />
        {made && (
          <dl className="facts" aria-label="Backup written">
            <dt>Folder</dt>
            <dd className="wrap mono">{made.dir}</dd>
            <dt>Signed by</dt>
            <dd className="wrap mono">{made.fingerprint}</dd>
          </dl>
        )}
      </form>
    </div>
  );
}

/** What a signed folder written to the drive proved when it was read back. */
type ReadBack = { verified: boolean; problems: string[] };

/** An export whose copy on the drive did not verify is not a success, whatever the call returned. */
function readBack<M extends { ok: boolean }>(message: M | null, outcome: ReadBack | null): M | null {
  return message && { ...message, ok: message.ok && outcome?.verified !== false };
}

/** The verification line of an export's facts. */
function Verification({ outcome }: { outcome: ReadBack }) {
  return (
    <>
      <dt>Verification</dt>
      <dd className={outcome.verified ? 'ok' : 'bad'}>
        {outcome.verified ? 'Signed by this workstation’s key; every file checks out.' : outcome.problems.join('; ')}
      </dd>
    </>
  );
}

import { useState } from 'react';
import type { BackupOutcome, ExportOutcome } from '../../shared/types';
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
      {/* An export whose copy on the drive did not verify is not a success, whatever the call returned. */}
      <StatusLine message={action.message && { ...action.message, ok: action.message.ok && outcome?.verified !== false }} />
      {outcome && (
        <dl className="facts panel" aria-label="Exported report">
          <dt>Folder</dt>
          <dd className="wrap mono">{outcome.dir}</dd>
          <dt>Records</dt>
          <dd>{outcome.documents.toLocaleString('en-US')}</dd>
          <dt>Ledger head</dt>
          <dd className="mono wrap">{outcome.ledgerHead}</dd>
          <dt>Verification</dt>
          <dd className={outcome.verified ? 'ok' : 'bad'}>
            {outcome.verified ? 'Signed by this workstation’s key; every file checks out.' : outcome.problems.join('; ')}
          </dd>
        </dl>
      )}
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

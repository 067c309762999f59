import { useEffect, useState } from 'react';
import type { LedgerVerifyResult, QuarantineItem } from '../shared/types';

/** Ledger state and the quarantine list, from the engine through window.custodian. */
export function App() {
  const [ledger, setLedger] = useState<LedgerVerifyResult | null>(null);
  const [held, setHeld] = useState<QuarantineItem[]>([]);
  useEffect(() => {
    void window.custodian.verifyLedger().then(setLedger);
    void window.custodian.listQuarantine({}).then(setHeld);
  }, []);
  return (
    <main>
      <h1>Custodian</h1>
      <section aria-label="Ledger">
        {ledger === null ? (
          'Checking the ledger…'
        ) : ledger.ok ? (
          <span className="ok">Ledger intact: {ledger.entries} entries</span>
        ) : (
          <span className="bad">
            Ledger broken at entry {ledger.firstBadSeq}: {ledger.reason}
          </span>
        )}
      </section>
      <section aria-label="Quarantine">
        <h2>Quarantine ({held.length})</h2>
        <table>
          <tbody>
            {held.map((q) => (
              <tr key={q.id}>
                <td>{q.reasonCode}</td>
                <td>{q.path}</td>
                <td>{q.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </main>
  );
}

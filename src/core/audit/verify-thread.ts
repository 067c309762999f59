import { Worker } from 'node:worker_threads';
import type { LedgerVerifyResult } from '../../shared/types.js';
import { EngineError, type EngineErrorCode } from '../errors.js';
import { openReadOnly } from '../store/index.js';
import { verifyLedger } from './ledger-audit.js';
import { loadSigningKey } from './signing-key.js';

/** What the verify thread is handed: the data folder and its database key (copied into the thread, never written). */
export type VerifyThreadInput = { dataDir: string; key: Uint8Array };

/**
 * {@link verifyLedger} on a connection of its own, inside one read transaction: in WAL that is one snapshot,
 * so a batch committing meanwhile can neither break the chain nor make tables and ledger disagree mid-check.
 */
export function verifyLedgerSnapshot(input: VerifyThreadInput): LedgerVerifyResult {
  const db = openReadOnly(input.dataDir, Buffer.from(input.key));
  try {
    return db.transaction(() => verifyLedger(db, input.dataDir, () => loadSigningKey(input.dataDir)))();
  } finally {
    db.close();
  }
}

/** What the verify thread posts back: the verdict, or the error that kept it from one. */
export type VerifyThreadAnswer = { ok: true; result: LedgerVerifyResult } | { ok: false; code: EngineErrorCode; message: string };

/** {@link verifyLedgerSnapshot} as the thread answers it: an error keeps its engine code across the thread boundary. */
export function answerVerify(input: VerifyThreadInput): VerifyThreadAnswer {
  try {
    return { ok: true, result: verifyLedgerSnapshot(input) };
  } catch (err) {
    return err instanceof EngineError
      ? { ok: false, code: err.code, message: err.message }
      : { ok: false, code: 'io-error', message: `The ledger check could not finish: ${err instanceof Error ? err.message : String(err)}` };
  }
}

/**
 * Runs {@link verifyLedgerSnapshot} in a worker thread (`workerFile`: `workers/verify-worker`), so the thread
 * that answers the app keeps answering while a million entries are checked (6–10 s here).
 * @throws EngineError with the thread's code (`database-unusable`, `io-error`) when it could not judge the ledger.
 */
export function verifyLedgerInThread(workerFile: string, input: VerifyThreadInput): Promise<LedgerVerifyResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerFile, { workerData: input });
    let answered = false;
    const fail = (message: string): void => reject(new EngineError('io-error', `The ledger check could not finish: ${message}`));
    worker.once('message', (answer: VerifyThreadAnswer) => {
      answered = true;
      if (answer.ok) resolve(answer.result);
      else reject(new EngineError(answer.code, answer.message));
    });
    worker.once('error', (err) => {
      answered = true;
      fail(err.message);
    });
    worker.once('exit', (code) => {
      if (!answered) fail(`its thread ended (exit ${code}).`);
    });
  });
}

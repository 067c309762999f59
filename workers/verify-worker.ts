/**
 * Worker-thread entry for the app's `ledger verify`: a read-only connection of its own and one snapshot,
 * so a long check does not hold up the engine's other answers. No pool: one thread per check, then it ends.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { answerVerify, type VerifyThreadInput } from '../src/core/audit/verify-thread.js';

parentPort!.postMessage(answerVerify(workerData as VerifyThreadInput));

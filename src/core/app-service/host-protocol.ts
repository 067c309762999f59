import type { AppEvent, Reply } from '../../shared/bridge-api.js';
import type { DbKeyStore } from '../store/index.js';

// The messages between the desktop app's main process and the engine host (an Electron utilityProcess; a
// child_process.fork in the tests). The main process keeps windows, dialogs, notifications and the sender
// check; the host keeps the database, the pools and every answer. Plain data only: each side clones it.

/** How the main process opens the engine in its host. */
export type HostOpenMessage = {
  kind: 'open';
  /** The data folder and the built files the host's pools start (their paths are known to the app's build only). */
  engine: { dataDir: string; workerFile?: string; renderWorkerFile?: string; verifyWorkerFile?: string; ocrAdapterModule?: string };
  version: string;
  /**
   * The database key as the main process found it (Electron's safeStorage unseals only there), hex; null for
   * an encrypted database whose key it does not hold. `store` names where it is kept, for messages.
   */
  dbKey: { hex: string | null; store: DbKeyStore['kind']; location: string };
  /** Whether the main process offers a native folder dialog. */
  canChooseFolders: boolean;
};

/** A message the main process sends the host. */
export type ToHost =
  | HostOpenMessage
  /** One IPC call from the window, already checked as coming from it. */
  | { kind: 'call'; id: number; channel: string; args: unknown }
  /** The main process's answer to an `ask` (the chosen folders, or null). */
  | { kind: 'answer'; id: number; value: string[] | null }
  /** Quit: stop after the pages running, close the database, then `closed`. */
  | { kind: 'close' };

/** A message the host sends the main process. */
export type FromHost =
  | { kind: 'opened' }
  /** The engine could not open (the CLI's data-folder messages); the host waits for `close`. */
  | { kind: 'open-failed'; code: string; message: string }
  | { kind: 'reply'; id: number; reply: Reply<unknown> }
  /** An event for the window (run progress, something changed). */
  | { kind: 'event'; event: AppEvent }
  /** The engine asks for the native folder dialog; the main process answers with `answer`. */
  | { kind: 'ask'; id: number; what: 'choose-folders' }
  /** A desktop notification (a request escalated). */
  | { kind: 'notify'; title: string; body: string }
  | { kind: 'closed' };

/** One end of the host's channel: what it sends and a listener for what it receives. */
export type HostPort = { post(message: FromHost): void; onMessage(listener: (message: ToHost) => void): void };

import type { AppEvent, Reply } from '../shared/bridge-api.js';
import type { FromHost, HostOpenMessage, ToHost } from '../core/app-service/host-protocol.js';

/** The engine host's process as the main process sees it (an Electron utilityProcess; a forked child in tests). */
export type HostProcess = {
  post(message: ToHost): void;
  onMessage(listener: (message: FromHost) => void): void;
  onExit(listener: (code: number | null) => void): void;
  kill(): void;
};

/** What the main process does for the host: the window's events, the folder dialog, notifications. */
export type RelayDeps = {
  /** Pushes an event to the window (the lifecycle's send, which skips a destroyed window). */
  emit(event: AppEvent): void;
  chooseFolders?(): Promise<string[] | null>;
  notify?(title: string, body: string): void;
  /** The host ended without being asked to (a crash): pending calls are answered `engine-stopped` first. */
  onCrash?(code: number | null): void;
};

/** How long a quit waits for the host to finish the pages running and close the database before killing it. */
export const CLOSE_GRACE_MS = 60_000;

const STOPPED: Reply<never> = {
  ok: false,
  code: 'engine-stopped',
  message: 'Custodian’s engine has stopped. Quit and start Custodian again: work already saved is kept and the batch goes on.',
};

/**
 * The main process's end of the engine host: each IPC call becomes one `call` message and its `reply`
 * resolves it (calls run side by side in the host, so a long one does not hold the others back); events
 * and the host's requests for a dialog or a notification go to `deps`. Nothing here blocks the main
 * process: windows, menus and dialogs stay live whatever the engine is doing.
 */
export class EngineRelay {
  private nextId = 1;
  private readonly pending = new Map<number, (reply: Reply<unknown>) => void>();
  private exited = false;
  private closing = false;
  private readonly exitWaiters: (() => void)[] = [];

  private constructor(
    private readonly host: HostProcess,
    private readonly deps: RelayDeps,
  ) {}

  /**
   * Opens the engine in `host`. Resolves once it is open; rejects with the engine's message (a data folder
   * it cannot use, a key it lacks) after telling the host to close, or when the host ends before opening.
   */
  static start(host: HostProcess, open: Omit<HostOpenMessage, 'kind'>, deps: RelayDeps): Promise<EngineRelay> {
    const relay = new EngineRelay(host, deps);
    return new Promise((resolve, reject) => {
      let opened = false;
      host.onMessage((m) => {
        if (m.kind === 'opened') {
          opened = true;
          resolve(relay);
        } else if (m.kind === 'open-failed') {
          relay.closing = true;
          host.post({ kind: 'close' });
          reject(Object.assign(new Error(m.message), { code: m.code }));
        } else relay.receive(m);
      });
      host.onExit((code) => {
        relay.exited = true;
        for (const answer of relay.pending.values()) answer(STOPPED);
        relay.pending.clear();
        for (const w of relay.exitWaiters.splice(0)) w();
        if (!opened) reject(new Error(`Custodian’s engine stopped while opening its data (exit ${code ?? 'signal'}).`));
        else if (!relay.closing) deps.onCrash?.(code);
      });
      host.post({ kind: 'open', ...open });
    });
  }

  /** Sends one call to the engine; resolves with its reply (`engine-stopped` once the host has ended). */
  call(channel: string, args: unknown): Promise<Reply<unknown>> {
    if (this.exited) return Promise.resolve(STOPPED);
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.host.post({ kind: 'call', id, channel, args });
    });
  }

  /**
   * Quits the engine gracefully: the host stops after the pages running, closes the database and ends.
   * Resolves when it has ended; after {@link CLOSE_GRACE_MS} it is killed (the queue is crash-safe: the
   * next start finishes the work).
   */
  close(graceMs = CLOSE_GRACE_MS): Promise<void> {
    if (this.exited) return Promise.resolve();
    this.closing = true;
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.host.kill(), graceMs);
      this.exitWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
      this.host.post({ kind: 'close' });
    });
  }

  private receive(m: FromHost): void {
    switch (m.kind) {
      case 'reply':
        this.pending.get(m.id)?.(m.reply);
        this.pending.delete(m.id);
        return;
      case 'event':
        this.deps.emit(m.event);
        return;
      case 'notify':
        this.deps.notify?.(m.title, m.body);
        return;
      case 'ask': {
        const choose = this.deps.chooseFolders ?? (() => Promise.resolve(null));
        void choose()
          .catch(() => null)
          .then((value) => {
            if (!this.exited) this.host.post({ kind: 'answer', id: m.id, value });
          });
        return;
      }
      default:
        return;
    }
  }
}

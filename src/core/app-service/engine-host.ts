import { storageError } from '../errors.js';
import { givenKeyStore } from '../store/index.js';
import { AppService } from './app-service.js';
import type { FromHost, HostOpenMessage, HostPort, ToHost } from './host-protocol.js';

/** How the host ends: Electron's utility process and a forked Node child both exit the process. */
export type HostExit = (code: number) => void;

/**
 * Serves the app's engine over `port`: opens the {@link AppService} when told to, answers each call as it
 * comes (calls are not queued behind one another: a call that waits on a thread, as `ledger:verify` does,
 * lets the next ones through), relays events, asks the main process for its folder dialog and notifications,
 * and closes gracefully on `close` before `exit(0)`. An engine that cannot open is reported (`open-failed`);
 * the main process then shows it and sends `close`.
 */
export function serveEngine(port: HostPort, exit: HostExit): void {
  let service: AppService | undefined;
  let closing: Promise<void> | undefined;
  let nextAsk = 1;
  const asks = new Map<number, (folders: string[] | null) => void>();
  const post = (message: FromHost): void => port.post(message);

  const open = (m: HostOpenMessage): void => {
    try {
      service = AppService.open(
        { ...m.engine, dbKeys: givenKeyStore(m.dbKey.hex === null ? null : Buffer.from(m.dbKey.hex, 'hex'), m.dbKey.store, m.dbKey.location) },
        {
          host: 'electron',
          version: m.version,
          emit: (event) => post({ kind: 'event', event }),
          notify: (title, body) => post({ kind: 'notify', title, body }),
          chooseFolders: m.canChooseFolders
            ? () =>
                new Promise((resolve) => {
                  const id = nextAsk++;
                  asks.set(id, resolve);
                  post({ kind: 'ask', id, what: 'choose-folders' });
                })
            : undefined,
        },
      );
      post({ kind: 'opened' });
    } catch (err) {
      const known = storageError(err);
      // The host stays up until told to close: exiting now could drop this message on its way.
      post({ kind: 'open-failed', code: known?.code ?? 'internal-error', message: known?.message ?? (err instanceof Error ? err.message : String(err)) });
    }
  };

  const call = async (id: number, channel: string, args: unknown): Promise<void> => {
    const reply = service && !closing ? await service.dispatch(channel, args) : { ok: false as const, code: 'engine-closed', message: 'Custodian is closing.' };
    post({ kind: 'reply', id, reply });
  };

  port.onMessage((m: ToHost) => {
    switch (m.kind) {
      case 'open':
        if (!service) open(m);
        return;
      case 'call':
        void call(m.id, m.channel, m.args);
        return;
      case 'answer':
        asks.get(m.id)?.(m.value);
        asks.delete(m.id);
        return;
      case 'close':
        closing ??= (service?.close() ?? Promise.resolve())
          .catch((err: unknown) => {
            process.stderr.write(`custodian: engine close failed: ${err instanceof Error ? err.message : String(err)}\n`);
          })
          .finally(() => {
            post({ kind: 'closed' });
            // A turn of the loop for the message to leave; the main process takes the exit as closed too.
            setImmediate(() => exit(0));
          });
        return;
    }
  });
}

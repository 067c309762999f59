import { bridgeMethods, type AppEvent, type CustodianApi, type Reply } from '../shared/bridge-api';

/**
 * The browser's `window.custodian`: the same contract as Electron's preload, spoken over the bridge's
 * WebSocket on our own origin with the token from the page's fragment (`npm run ui`).
 */
export async function installWsBridge(): Promise<void> {
  const token = new URLSearchParams(location.hash.slice(1)).get('token') ?? '';
  const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/bridge?token=${encodeURIComponent(token)}`);
  await new Promise<void>((resolve, reject) => {
    ws.onopen = () => resolve();
    ws.onerror = () => reject(new Error('Cannot reach the Custodian engine: open the address `npm run ui` printed, token included.'));
  });
  const pending = new Map<number, (reply: Reply<unknown>) => void>();
  const listeners = new Set<(e: AppEvent) => void>();
  let nextId = 1;
  ws.onmessage = (m: MessageEvent<string>) => {
    const msg = JSON.parse(m.data) as { id?: number; reply?: Reply<unknown>; event?: AppEvent };
    if (msg.event) for (const l of listeners) l(msg.event);
    else if (msg.id !== undefined && msg.reply) {
      pending.get(msg.id)?.(msg.reply);
      pending.delete(msg.id);
    }
  };
  ws.onclose = () => {
    for (const resolve of pending.values()) resolve({ ok: false, code: 'disconnected', message: 'The connection to the engine was lost; reload the page.' });
    pending.clear();
  };
  const api: CustodianApi = {
    ...bridgeMethods(
      (channel, args) =>
        new Promise((resolve) => {
          const id = nextId++;
          pending.set(id, resolve);
          ws.send(JSON.stringify({ id, channel, args }));
        }),
    ),
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    // A browser does not reveal where a dropped file lives; the intake form takes a typed path instead.
    pathForFile: () => null,
  };
  window.custodian = api;
}

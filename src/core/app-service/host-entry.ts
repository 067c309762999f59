/**
 * The engine host's process: in the desktop app an Electron utilityProcess (messages on `process.parentPort`),
 * under plain Node a `child_process.fork` child with advanced serialization (the tests drive it so). Either
 * way the same {@link serveEngine} answers; the parent going away closes the engine as a quit does.
 */
import { serveEngine } from './engine-host.js';
import type { FromHost, HostPort, ToHost } from './host-protocol.js';

/** Electron's `process.parentPort`, typed here: the engine never imports electron. */
type ParentPort = { on(event: 'message', listener: (e: { data: ToHost }) => void): void; postMessage(message: FromHost): void };

function parentChannel(): HostPort {
  const electronPort = (process as NodeJS.Process & { parentPort?: ParentPort }).parentPort;
  if (electronPort) return { post: (m) => electronPort.postMessage(m), onMessage: (listener) => electronPort.on('message', (e) => listener(e.data)) };
  if (!process.send) throw new Error('The engine host runs as a child process with a channel to its parent (Electron utilityProcess or child_process.fork).');
  return {
    post: (m) => {
      // A parent that is gone cannot be told; the disconnect below closes the engine.
      if (process.connected) process.send!(m);
    },
    onMessage: (listener) => {
      process.on('message', (m) => listener(m as ToHost));
      process.once('disconnect', () => listener({ kind: 'close' }));
    },
  };
}

serveEngine(parentChannel(), (code) => process.exit(code));

import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { HostProcess } from '../../src/main/engine-relay.js';
import type { FromHost, HostOpenMessage } from '../../src/core/app-service/host-protocol.js';
import { keyFileStore, provisionKey } from '../../src/core/store/db-key.js';
import { REPO } from './fixtures.js';

/** The engine host's entry as the Node build makes it. */
export const HOST_ENTRY = path.join(REPO, 'dist', 'src', 'core', 'app-service', 'host-entry.js');

/** The host forked with advanced serialization (the app's is a utilityProcess), in the shape the relay takes. */
export function forkHost(entry = HOST_ENTRY): HostProcess & { child: ChildProcess; stderr: () => string; exited: Promise<number | null> } {
  const child = fork(entry, [], { serialization: 'advanced', stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    stderr: () => stderr,
    exited,
    post: (m) => void child.send(m),
    onMessage: (listener) => child.on('message', (m) => listener(m as FromHost)),
    onExit: (listener) => child.once('exit', (code) => listener(code)),
    kill: () => void child.kill(),
  };
}

/** What the main process sends to open a folder: the key found as the app finds it (here the CLI's key file). */
export function openMessage(dataDir: string, engine: Partial<HostOpenMessage['engine']> = {}): Omit<HostOpenMessage, 'kind'> {
  const keys = keyFileStore(dataDir);
  const key = provisionKey(dataDir, keys);
  return {
    engine: { dataDir, ...engine },
    version: '0.1.0-test',
    dbKey: { hex: key?.toString('hex') ?? null, store: keys.kind, location: keys.location },
    canChooseFolders: true,
  };
}

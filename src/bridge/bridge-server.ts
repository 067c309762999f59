import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, realpath, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { AppService } from '../core/app-service/index.js';
import type { EngineOptions } from '../core/index.js';
import type { AppEvent } from '../shared/bridge-api.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

/** A running browser bridge. */
export type BridgeServer = { url: string; port: number; token: string; service: AppService; close(): Promise<void> };

/** How to start the bridge. */
export type BridgeOptions = {
  engine: Omit<EngineOptions, 'onProgress'>;
  /** The built renderer (electron-vite's out/renderer). */
  rendererDir: string;
  /** 0 (default): any free port. Always 127.0.0.1. */
  port?: number;
  version: string;
};

const same = (a: string, b: string): boolean => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/**
 * Serves the renderer on 127.0.0.1 and hosts the engine behind the same contract as Electron's IPC, over a
 * WebSocket that needs a random token (in the URL's fragment, so it never reaches a log) and our own origin.
 * Every message is validated against the contract by {@link AppService.dispatch}.
 */
export async function startBridgeServer(options: BridgeOptions): Promise<BridgeServer> {
  const token = randomBytes(24).toString('base64url');
  const rendererRoot = await realpath(options.rendererDir);
  // The page's own policy (one source: the renderer's index.html, as Electron loads it), sent as a header too,
  // with frame-ancestors, which only a header can carry.
  const page = await readFile(path.join(rendererRoot, 'index.html'), 'utf8');
  const metaCsp = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/u.exec(page)?.[1];
  if (!metaCsp) throw new Error(`${rendererRoot}/index.html has no Content-Security-Policy`);
  const CSP = `${metaCsp}; frame-ancestors 'none'`;
  const sockets = new Set<WebSocket>();
  const service = AppService.open(options.engine, {
    host: 'browser',
    version: options.version,
    emit: (event: AppEvent) => {
      const text = JSON.stringify({ event });
      for (const ws of sockets) ws.send(text);
    },
  });

  const serveFile = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const rel = decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname);
    const file = path.join(rendererRoot, path.normalize(rel));
    const headers = { 'Content-Security-Policy': CSP, 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-store' };
    try {
      const real = await realpath(file);
      if (!real.startsWith(rendererRoot + path.sep) || !(await stat(real)).isFile()) throw new Error('outside');
      res.writeHead(200, { ...headers, 'Content-Type': TYPES[path.extname(real)] ?? 'application/octet-stream' });
      createReadStream(real).pipe(res);
    } catch {
      res.writeHead(404, headers).end('Not found');
    }
  };

  const http = createServer((req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return void res.writeHead(405).end();
    void serveFile(req, res);
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1 << 20 });
  let origin = '';
  http.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const given = url.searchParams.get('token') ?? '';
    // A page from any other origin (a web page the browser also has open) must not reach the engine.
    if (url.pathname !== '/bridge' || req.headers.origin !== origin || !same(given, token)) {
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      ws.on('message', (data) => {
        let msg: { id?: unknown; channel?: unknown; args?: unknown };
        try {
          msg = JSON.parse(data.toString()) as typeof msg;
        } catch {
          return;
        }
        if (typeof msg.id !== 'number' || typeof msg.channel !== 'string') return;
        const id = msg.id;
        void service.dispatch(msg.channel, msg.args).then((reply) => ws.send(JSON.stringify({ id, reply })));
      });
    });
  });

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  const port = (http.address() as { port: number }).port;
  origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}/#token=${token}`,
    port,
    token,
    service,
    close: async () => {
      for (const ws of sockets) ws.terminate();
      wss.close();
      await new Promise<void>((resolve) => http.close(() => resolve()));
      await service.close();
    },
  };
}

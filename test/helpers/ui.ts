import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import axe from 'axe-core';
import { chromium, type Browser, type Page } from 'playwright-core';
import { REPO } from './fixtures.js';

/** Debian's Chromium (never a downloaded one: nothing is downloaded here). */
export const CHROMIUM = process.env.CUSTODIAN_CHROMIUM ?? '/usr/bin/chromium';

/** Where the e2e screenshots go (a CI artifact, not committed). */
export const ARTIFACTS = path.join(REPO, 'test-artifacts', 'ui');

/** The mount point of the e2e suite's stand-in USB drive, inside the bridge's own mount namespace. */
export const E2E_DRIVE = '/media/CUSTODIAN-E2E';

/** A `npm run ui` bridge running as a child process. */
export type UiBridge = { url: string; origin: string; child: ChildProcess; stop(): Promise<void> };

/**
 * Starts the browser bridge (`dist/src/bridge/ui-server.js`) over `dataDir`. As root where mount namespaces
 * are allowed, it runs in its own namespace with a small tmpfs mounted under /media: a removable drive the
 * engine's real drive listing finds, visible to no other process.
 */
export async function startUiBridge(dataDir: string, env: NodeJS.ProcessEnv = {}): Promise<UiBridge & { hasDrive: boolean }> {
  const server = [process.execPath, path.join(REPO, 'dist', 'src', 'bridge', 'ui-server.js'), '--data-dir', dataDir, '--workers', '2'];
  const hasDrive = spawnSync('unshare', ['-m', 'true']).status === 0;
  const quoted = server.map((a) => `'${a}'`).join(' ');
  const child = hasDrive
    ? spawn(
        'unshare',
        [
          '-m',
          'sh',
          '-c',
          `mkdir -p /media && mount -t tmpfs -o size=1m none /media && mkdir ${E2E_DRIVE} && mount -t tmpfs -o size=64m e2e-usb ${E2E_DRIVE} && exec ${quoted}`,
        ],
        {
          env: { ...process.env, CUSTODIAN_FAILPOINTS: '', ...env },
        },
      )
    : spawn(server[0]!, server.slice(1), { env: { ...process.env, CUSTODIAN_FAILPOINTS: '', ...env } });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /Custodian is at (\S+)/u.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`ui-server exited (${code}): ${err}`)));
  });
  return {
    url,
    origin: new URL(url).origin,
    child,
    hasDrive,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Launches Debian's Chromium headless the project way (no background networking). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** A serious or critical accessibility violation axe-core found. */
export type AxeViolation = { id: string; impact: string; help: string; nodes: string[] };

/** Runs axe-core in the page; @returns the serious and critical violations. */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  // Evaluated through the DevTools protocol, so the page's CSP (script-src 'self') does not block it.
  await page.evaluate(axe.source);
  // A string, not a function: this file is type-checked without the DOM library.
  const results = (await page.evaluate(
    `axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact || '', help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')) })))`,
  )) as AxeViolation[];
  return results.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** Saves a screenshot of the page as `<ARTIFACTS>/<name>.png`. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/** The two screens the app is checked on: a common laptop and a common desktop monitor. */
export const VIEWPORTS = [
  { name: '1366', width: 1366, height: 768 },
  { name: '1920', width: 1920, height: 1080 },
] as const;

/** One bridge message as the page sent it, or a reply as it received it (channel known for replies to counted requests). */
export type BridgeFrame = { dir: 'sent' | 'received'; bytes: number; channel: string | null; rows: number | null };

/**
 * Counts the bridge's WebSocket traffic of a page (attach before `goto`): every frame's size, the channel of
 * each request and of its reply, and how many rows a documents reply carried.
 */
export function bridgeTraffic(page: Page): { frames: BridgeFrame[]; since(mark: number): BridgeFrame[] } {
  const frames: BridgeFrame[] = [];
  const channelOf = new Map<number, string>();
  page.on('websocket', (ws) => {
    ws.on('framesent', (f) => {
      const text = typeof f.payload === 'string' ? f.payload : f.payload.toString();
      const msg = JSON.parse(text) as { id: number; channel: string };
      channelOf.set(msg.id, msg.channel);
      frames.push({ dir: 'sent', bytes: text.length, channel: msg.channel, rows: null });
    });
    ws.on('framereceived', (f) => {
      const text = typeof f.payload === 'string' ? f.payload : f.payload.toString();
      const msg = JSON.parse(text) as { id?: number; reply?: { ok: boolean; value?: unknown } };
      const channel = msg.id !== undefined ? (channelOf.get(msg.id) ?? null) : null;
      const value = msg.reply?.value;
      const rows = Array.isArray(value)
        ? value.length
        : value && typeof value === 'object' && 'rows' in value
          ? (value as { rows: unknown[] }).rows.length
          : null;
      frames.push({ dir: 'received', bytes: Buffer.byteLength(text), channel, rows });
    });
  });
  return { frames, since: (mark) => frames.slice(mark) };
}

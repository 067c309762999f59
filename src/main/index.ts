/// <reference types="electron-vite/node" />
import { app, BrowserWindow, dialog, ipcMain, Menu, Notification, utilityProcess } from 'electron';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import workerChunk from '../../workers/extract-worker.ts?modulePath';
import renderChunk from '../../workers/render-worker.ts?modulePath';
import verifyWorkerFile from '../../workers/verify-worker.ts?modulePath';
import ocrAdapterFile from '../core/extract/tesseract-ocr.ts?modulePath';
import hostEntry from '../core/app-service/host-entry.ts?modulePath';
import { provisionKey } from '../core/store/db-key.js';
import { safeStorageKeyStore } from './safe-storage-key.js';
import { EngineRelay, type HostProcess } from './engine-relay.js';
import { channels } from '../shared/contract.js';
import type { AppEvent } from '../shared/bridge-api.js';
import { appDataDir } from './data-dir.js';
import { runLifecycle } from './lifecycle.js';
import { appMenuTemplate } from './menu.js';
import { lockDownContents, lockDownSession } from './security.js';
import { isTrustedSender } from './trusted-sender.js';

const RENDERER_FILE = path.join(import.meta.dirname, '../renderer/index.html');
/** The one channel main pushes events on. */
const EVENT_CHANNEL = 'custodian:event';
/** The pools' CommonJS entries, emitted beside the worker chunks by the build (electron.vite.config.ts). */
const extractEntry = path.join(path.dirname(workerChunk), 'extract-entry.cjs');
const renderEntry = path.join(path.dirname(renderChunk), 'render-entry.cjs');

function createWindow(): BrowserWindow {
  const w = new BrowserWindow({
    width: 1280,
    height: 800,
    minWidth: 1024,
    minHeight: 700,
    show: false,
    title: 'Custodian',
    // Kept literal here: electronegativity judges the options written at the BrowserWindow call.
    webPreferences: {
      preload: path.join(import.meta.dirname, '../preload/index.cjs'),
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      spellcheck: false,
      // Middle-click must not open links in new windows behind the window-open handler's back.
      disableBlinkFeatures: 'Auxclick',
    },
  });
  w.once('ready-to-show', () => w.show());
  void w.loadFile(RENDERER_FILE);
  return w;
}

/** Every channel is checked here, in the main process, and only then relayed to the engine host. */
function registerHandlers(relay: EngineRelay): void {
  for (const channel of Object.keys(channels)) {
    ipcMain.handle(channel, async (event, ...args: unknown[]) => {
      const frame = event.senderFrame;
      if (!isTrustedSender(frame && { url: frame.url, isMainFrame: frame.parent === null }, RENDERER_FILE))
        return { ok: false, code: 'refused', message: 'Message refused: it did not come from the Custodian window.' };
      return relay.call(channel, args);
    });
  }
}

/**
 * The engine's own process: SQLite, the pools and every answer run there, so the window never waits on
 * them (Electron's guidance: do not block the main process). Its V8 heap cage is its own too.
 */
function forkEngineHost(): HostProcess {
  const child = utilityProcess.fork(hostEntry, [], { serviceName: 'Custodian engine', stdio: 'inherit' });
  return {
    post: (m) => child.postMessage(m),
    onMessage: (listener) => child.on('message', listener),
    onExit: (listener) => child.once('exit', listener),
    kill: () => void child.kill(),
  };
}

async function chooseFolders(): Promise<string[] | null> {
  const win = life.window();
  const options = { title: 'Choose folders to take in', properties: ['openDirectory', 'multiSelections'] as const };
  const r = await (win
    ? dialog.showOpenDialog(win, { ...options, properties: [...options.properties] })
    : dialog.showOpenDialog({ ...options, properties: [...options.properties] }));
  return r.canceled ? null : r.filePaths;
}

app.on('web-contents-created', (_e, contents) => lockDownContents(contents));

const life = runLifecycle({
  app,
  onReady: () => {
    lockDownSession();
    Menu.setApplicationMenu(Menu.buildFromTemplate(appMenuTemplate(process.platform)));
  },
  openEngine: async (send) => {
    const dataDir = appDataDir();
    // safeStorage unseals only in the main process: the key is found here and handed to the host.
    const keys = safeStorageKeyStore(dataDir);
    const key = provisionKey(dataDir, keys);
    const relay = await EngineRelay.start(
      forkEngineHost(),
      {
        engine: {
          dataDir,
          workerFile: extractEntry,
          renderWorkerFile: renderEntry,
          verifyWorkerFile,
          ocrAdapterModule: pathToFileURL(ocrAdapterFile).href,
        },
        version: app.getVersion(),
        dbKey: { hex: key?.toString('hex') ?? null, store: keys.kind, location: keys.location },
        canChooseFolders: true,
      },
      {
        emit: (event: AppEvent) => send(EVENT_CHANNEL, event),
        // A deadline escalation reaches the clerk even with the window minimised; the notification opens nothing.
        notify: (title, body) => {
          if (Notification.isSupported()) new Notification({ title, body }).show();
        },
        chooseFolders,
        onCrash: (code) => {
          dialog.showErrorBox(
            'Custodian’s engine stopped',
            `The engine process ended unexpectedly (exit ${code ?? 'signal'}). Start Custodian again: work already saved is kept and the batch goes on.`,
          );
          app.exit(1);
        },
      },
    );
    registerHandlers(relay);
    return relay;
  },
  createWindow,
  showError: (title, message) => dialog.showErrorBox(title, message),
});

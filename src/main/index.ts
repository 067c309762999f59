/// <reference types="electron-vite/node" />
import { app, BrowserWindow, dialog, ipcMain, Menu, Notification } from 'electron';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import workerChunk from '../../workers/extract-worker.ts?modulePath';
import renderChunk from '../../workers/render-worker.ts?modulePath';
import ocrAdapterFile from '../core/extract/tesseract-ocr.ts?modulePath';
import { AppService } from '../core/app-service/index.js';
import { safeStorageKeyStore } from './safe-storage-key.js';
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

function registerHandlers(s: AppService): void {
  for (const channel of Object.keys(channels)) {
    ipcMain.handle(channel, async (event, ...args: unknown[]) => {
      const frame = event.senderFrame;
      if (!isTrustedSender(frame && { url: frame.url, isMainFrame: frame.parent === null }, RENDERER_FILE))
        return { ok: false, code: 'refused', message: 'Message refused: it did not come from the Custodian window.' };
      return s.dispatch(channel, args);
    });
  }
}

app.on('web-contents-created', (_e, contents) => lockDownContents(contents));

const life = runLifecycle({
  app,
  onReady: () => {
    lockDownSession();
    Menu.setApplicationMenu(Menu.buildFromTemplate(appMenuTemplate(process.platform)));
  },
  openEngine: (send) => {
    const service = AppService.open(
      {
        dataDir: appDataDir(),
        workerFile: extractEntry,
        renderWorkerFile: renderEntry,
        ocrAdapterModule: pathToFileURL(ocrAdapterFile).href,
        dbKeys: safeStorageKeyStore(appDataDir()),
      },
      {
        host: 'electron',
        version: app.getVersion(),
        emit: (event: AppEvent) => send(EVENT_CHANNEL, event),
        // A deadline escalation reaches the clerk even with the window minimised; the notification opens nothing.
        notify: (title, body) => {
          if (Notification.isSupported()) new Notification({ title, body }).show();
        },
        chooseFolders: async () => {
          const win = life.window();
          const options = { title: 'Choose folders to take in', properties: ['openDirectory', 'multiSelections'] as const };
          const r = await (win
            ? dialog.showOpenDialog(win, { ...options, properties: [...options.properties] })
            : dialog.showOpenDialog({ ...options, properties: [...options.properties] }));
          return r.canceled ? null : r.filePaths;
        },
      },
    );
    registerHandlers(service);
    return service;
  },
  createWindow,
  showError: (title, message) => dialog.showErrorBox(title, message),
});

/// <reference types="electron-vite/node" />
import { app, BrowserWindow, dialog, ipcMain } from 'electron';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import workerFile from '../../workers/extract-worker.ts?modulePath';
import ocrAdapterFile from '../core/extract/tesseract-ocr.ts?modulePath';
import { AppService } from '../core/app-service/index.js';
import { channels } from '../shared/contract.js';
import type { AppEvent } from '../shared/bridge-api.js';
import { lockDownContents, lockDownSession } from './security.js';
import { isTrustedSender } from './trusted-sender.js';

const RENDERER_FILE = path.join(import.meta.dirname, '../renderer/index.html');
/** The one channel main pushes events on. */
const EVENT_CHANNEL = 'custodian:event';

let service: AppService | undefined;
let win: BrowserWindow | undefined;

function createWindow(): BrowserWindow {
  const w = new BrowserWindow({
    width: 1280,
    height: 800,
    minWidth: 1024,
    minHeight: 700,
    show: false,
    title: 'Custodian',
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

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (win?.isMinimized()) win.restore();
    win?.focus();
  });
  app.on('web-contents-created', (_e, contents) => lockDownContents(contents));
  void app.whenReady().then(() => {
    lockDownSession();
    service = AppService.open(
      {
        dataDir: process.env.CUSTODIAN_DATA_DIR || app.getPath('userData'),
        workerFile,
        ocrAdapterModule: pathToFileURL(ocrAdapterFile).href,
      },
      {
        host: 'electron',
        version: app.getVersion(),
        emit: (event: AppEvent) => win?.webContents.send(EVENT_CHANNEL, event),
        chooseFolders: async () => {
          const r = await dialog.showOpenDialog(win!, { title: 'Choose folders to take in', properties: ['openDirectory', 'multiSelections'] });
          return r.canceled ? null : r.filePaths;
        },
      },
    );
    registerHandlers(service);
    win = createWindow();
  });
  app.on('window-all-closed', () => {
    void (service?.close() ?? Promise.resolve()).finally(() => app.quit());
  });
}

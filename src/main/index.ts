import { app, BrowserWindow, ipcMain, session, type IpcMainInvokeEvent } from 'electron';
import path from 'node:path';
import { Engine } from '../core/index.js';
import { channels, type Channel, type ChannelArgs, type ChannelResult } from '../shared/contract.js';

const RENDERER_FILE = path.join(import.meta.dirname, '../renderer/index.html');

let engine: Engine | undefined;

/** Only our own page, loaded from the app bundle, may call the engine. */
function assertTrustedSender(event: IpcMainInvokeEvent): void {
  const url = event.senderFrame?.url ?? '';
  if (!url.startsWith('file://') || !url.includes('/renderer/index.html')) throw new Error(`IPC refused from untrusted sender ${url}`);
}

function handle<C extends Channel>(channel: C, run: (...args: ChannelArgs<C>) => Promise<ChannelResult[C]> | ChannelResult[C]): void {
  ipcMain.handle(channel, async (event, ...raw: unknown[]) => {
    assertTrustedSender(event);
    const args = channels[channel].args.parse(raw) as ChannelArgs<C>;
    return run(...args);
  });
}

function createWindow(): void {
  const win = new BrowserWindow({
    width: 1280,
    height: 800,
    show: false,
    webPreferences: {
      preload: path.join(import.meta.dirname, '../preload/index.cjs'),
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      webSecurity: true,
    },
  });
  win.webContents.on('will-navigate', (e) => e.preventDefault());
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  win.once('ready-to-show', () => win.show());
  void win.loadFile(RENDERER_FILE);
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  void app.whenReady().then(() => {
    // Air gap: the app itself never needs the network; refuse every request that is not a local file.
    session.defaultSession.webRequest.onBeforeRequest((details, callback) =>
      callback({ cancel: !details.url.startsWith('file://') && !details.url.startsWith('devtools://') }),
    );
    engine = Engine.open({ dataDir: process.env.CUSTODIAN_DATA_DIR || app.getPath('userData') });
    handle('ledger:verify', () => engine!.verifyLedger());
    handle('quarantine:list', (options) => engine!.listQuarantine(options).map(({ jobId: _j, intakeEntryId: _e, ...item }) => item));
    createWindow();
  });
  app.on('web-contents-created', (_e, contents) => contents.on('will-attach-webview', (event) => event.preventDefault()));
  app.on('window-all-closed', () => {
    engine?.close();
    app.quit();
  });
}

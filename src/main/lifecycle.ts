/**
 * The main process's lifecycle, with the Electron APIs it uses passed in, so it is tested in plain Node
 * against a small fake: single-instance lock, a graceful close on every way of quitting (`before-quit` is
 * emitted for Ctrl+Q, the menu, logout and SIGTERM; `window-all-closed` is not), no send to a destroyed
 * window, and a clear dialog plus exit 1 when the engine cannot open.
 */

/** The part of a BrowserWindow the lifecycle touches. */
export type LifecycleWindow = {
  isDestroyed(): boolean;
  isMinimized(): boolean;
  restore(): void;
  focus(): void;
  on(event: 'closed', listener: () => void): unknown;
  webContents: { send(channel: string, ...args: unknown[]): void };
};

/** The part of Electron's `app` the lifecycle touches. */
export type LifecycleApp = {
  requestSingleInstanceLock(): boolean;
  whenReady(): Promise<unknown>;
  on(event: 'second-instance' | 'window-all-closed', listener: () => void): unknown;
  on(event: 'before-quit', listener: (e: { preventDefault(): void }) => void): unknown;
  quit(): void;
  exit(code: number): void;
};

/** What the lifecycle needs from the shell around it. */
export type LifecycleDeps<W extends LifecycleWindow> = {
  app: LifecycleApp;
  /** Opens the engine; `send` pushes an event to the window when there is one alive. */
  openEngine(send: (channel: string, event: unknown) => void): Promise<{ close(): Promise<void> }> | { close(): Promise<void> };
  createWindow(): W;
  /** Shows a modal error (Electron's `dialog.showErrorBox`). */
  showError(title: string, message: string): void;
  /** Runs once the app is ready, before the engine opens (session lock-down, menu). */
  onReady?(): void;
};

/** What the lifecycle exposes: the live window (if any) and a send that never throws on a destroyed one. */
export type Lifecycle<W> = { window(): W | undefined; send(channel: string, event: unknown): void; ready: Promise<void> };

const OPEN_FAILED_TITLE = 'Custodian cannot open its data';

/** Starts the app. Returns at once; `ready` settles when the window is up (or the app has exited). */
export function runLifecycle<W extends LifecycleWindow>(deps: LifecycleDeps<W>): Lifecycle<W> {
  const { app } = deps;
  let win: W | undefined;
  let engine: { close(): Promise<void> } | undefined;
  let closing: Promise<void> | undefined;
  const send = (channel: string, event: unknown): void => {
    if (win && !win.isDestroyed()) win.webContents.send(channel, event);
  };
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return { window: () => undefined, send, ready: Promise.resolve() };
  }
  app.on('second-instance', () => {
    if (!win || win.isDestroyed()) return;
    if (win.isMinimized()) win.restore();
    win.focus();
  });
  // Every way of quitting passes here: prevent the first, close the engine gracefully, then exit.
  app.on('before-quit', (e) => {
    if (closing === undefined) {
      e.preventDefault();
      closing = (engine?.close() ?? Promise.resolve()).catch(() => undefined).finally(() => app.exit(0));
    } else if (closing !== null) e.preventDefault();
  });
  app.on('window-all-closed', () => app.quit());
  const ready = app.whenReady().then(async () => {
    deps.onReady?.();
    try {
      engine = await deps.openEngine(send);
    } catch (err) {
      deps.showError(OPEN_FAILED_TITLE, openFailureMessage(err));
      closing = Promise.resolve();
      app.exit(1);
      return;
    }
    const w = deps.createWindow();
    w.on('closed', () => {
      if (win === w) win = undefined;
    });
    win = w;
  });
  return { window: () => win, send, ready };
}

/** The engine's own message (the CLI's wording for data-folder errors) and what to do next. */
export function openFailureMessage(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return `${message}\n\nNothing was changed. Fix the data folder (or set CUSTODIAN_DATA_DIR to a folder you can write), then start Custodian again.`;
}

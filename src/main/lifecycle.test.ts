import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { EngineError } from '../core/index.js';
import { runLifecycle, type LifecycleApp, type LifecycleWindow } from './lifecycle.js';

/** A fake of the few Electron APIs the lifecycle uses: events, lock, quit and exit, as Electron orders them. */
class FakeApp extends EventEmitter implements LifecycleApp {
  exits: number[] = [];
  quits = 0;
  constructor(private readonly lock = true) {
    super();
  }
  requestSingleInstanceLock(): boolean {
    return this.lock;
  }
  whenReady(): Promise<unknown> {
    return Promise.resolve();
  }
  /** Electron's quit: before-quit, and quitting goes on unless a listener prevented it. */
  quit(): void {
    this.quits += 1;
    let prevented = false;
    this.emit('before-quit', { preventDefault: () => (prevented = true) });
    if (!prevented) this.exits.push(0);
  }
  exit(code: number): void {
    this.exits.push(code);
  }
}

class FakeWindow extends EventEmitter implements LifecycleWindow {
  destroyed = false;
  sent: unknown[] = [];
  focused = 0;
  webContents = {
    send: (_c: string, e: unknown): void => {
      if (this.destroyed) throw new Error('Object has been destroyed');
      this.sent.push(e);
    },
  };
  isDestroyed(): boolean {
    return this.destroyed;
  }
  isMinimized(): boolean {
    return false;
  }
  restore(): void {}
  focus(): void {
    if (this.destroyed) throw new Error('Object has been destroyed');
    this.focused += 1;
  }
  destroy(): void {
    this.destroyed = true;
    this.emit('closed');
  }
}

function start(openEngine: () => Promise<{ close(): Promise<void> }>, lock = true) {
  const app = new FakeApp(lock);
  const errors: string[] = [];
  const windows: FakeWindow[] = [];
  const life = runLifecycle({
    app,
    openEngine,
    createWindow: () => {
      const w = new FakeWindow();
      windows.push(w);
      return w;
    },
    showError: (title, message) => errors.push(`${title}: ${message}`),
  });
  return { app, errors, windows, life };
}

describe('main-process lifecycle (fake Electron)', () => {
  it('Ctrl+Q / menu Quit / SIGTERM: before-quit waits for the engine to close, then exits 0', async () => {
    const order: string[] = [];
    let release!: () => void;
    const { app, life } = start(async () => ({
      close: () => new Promise<void>((r) => (release = () => (order.push('engine closed'), r()))),
    }));
    await life.ready;
    app.quit();
    expect(app.exits).toEqual([]);
    app.quit(); // a second quit while closing does not cut the close short
    expect(app.exits).toEqual([]);
    release();
    await new Promise((r) => setImmediate(r));
    order.push(`exit ${app.exits.join()}`);
    expect(order).toEqual(['engine closed', 'exit 0']);
  });

  it('events after the window is destroyed are dropped, not thrown; second-instance ignores a dead window', async () => {
    const { app, windows, life } = start(async () => ({ close: async () => {} }));
    await life.ready;
    life.send('custodian:event', { kind: 'changed', what: 'ledger' });
    windows[0]!.destroy();
    expect(() => life.send('custodian:event', { kind: 'changed', what: 'ledger' })).not.toThrow();
    expect(life.window()).toBeUndefined();
    expect(() => app.emit('second-instance')).not.toThrow();
    expect(windows[0]!.sent).toHaveLength(1);
  });

  it('an engine that cannot open shows what to do and exits 1, not lingering with the lock', async () => {
    const { app, errors, windows, life } = start(async () => {
      throw new EngineError('data-dir-unusable', 'The data folder /data cannot be written (EACCES).');
    });
    await life.ready;
    expect(app.exits).toEqual([1]);
    expect(windows).toHaveLength(0);
    expect(errors[0]).toMatch(/cannot open its data: The data folder \/data cannot be written \(EACCES\)[\s\S]*CUSTODIAN_DATA_DIR/u);
  });

  it('a second instance quits at once without opening the engine', async () => {
    let opened = false;
    const { app, life } = start(async () => ((opened = true), { close: async () => {} }), false);
    await life.ready;
    expect(app.quits).toBe(1);
    expect(opened).toBe(false);
  });
});

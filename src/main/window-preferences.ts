import type { BrowserWindowConstructorOptions } from 'electron';

/**
 * The window's security preferences, exported so a test asserts on the object itself rather than on strings
 * in the built bundle. Sandboxed, isolated, no Node in the page, no webviews.
 */
export function windowPreferences(preloadFile: string): NonNullable<BrowserWindowConstructorOptions['webPreferences']> {
  return {
    preload: preloadFile,
    sandbox: true,
    contextIsolation: true,
    nodeIntegration: false,
    webSecurity: true,
    webviewTag: false,
    spellcheck: false,
    // Middle-click must not open links in new windows behind the window-open handler's back.
    disableBlinkFeatures: 'Auxclick',
  };
}

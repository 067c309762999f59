import { describe, expect, it } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import { appMenuTemplate } from './menu.js';

function flatten(items: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return items.flatMap((i) => [i, ...(Array.isArray(i.submenu) ? flatten(i.submenu) : [])]);
}

describe('application menu', () => {
  it.each(['linux', 'win32', 'darwin'] as const)('on %s has Quit and no DevTools, reload or browser link', (platform) => {
    const items = flatten(appMenuTemplate(platform));
    const roles = items.map((i) => i.role).filter(Boolean);
    expect(roles).toContain(platform === 'darwin' ? 'quit' : 'quit');
    for (const banned of ['toggleDevTools', 'reload', 'forceReload', 'help']) expect(roles).not.toContain(banned);
    expect(items.some((i) => typeof i.click === 'function')).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { appDataDir } from './data-dir.js';

describe('appDataDir', () => {
  it('on Windows keeps the database and key in Local AppData, not Roaming', () => {
    expect(appDataDir({ LOCALAPPDATA: 'C:\\Users\\clerk\\AppData\\Local', APPDATA: 'C:\\Users\\clerk\\AppData\\Roaming' }, 'win32', 'C:\\Users\\clerk')).toBe(
      'C:\\Users\\clerk\\AppData\\Local\\Custodian',
    );
  });
  it('one folder name whether run from the source tree or installed; the variable wins', () => {
    expect(appDataDir({}, 'linux', '/home/clerk')).toBe('/home/clerk/.local/share/custodian');
    expect(appDataDir({ CUSTODIAN_DATA_DIR: '/srv/records' }, 'linux', '/home/clerk')).toBe('/srv/records');
  });
});

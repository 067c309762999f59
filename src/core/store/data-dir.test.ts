import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers/fixtures.js';
import { EngineError } from '../errors.js';
import { defaultDataDir, ensureDataDir, resolveDataDir } from './data-dir.js';
import { openDatabase } from './db.js';

describe('data dir', () => {
  it('defaults to the platform app-data folder', () => {
    expect(defaultDataDir('linux', {}, '/home/clerk')).toBe('/home/clerk/.local/share/custodian');
    expect(defaultDataDir('linux', { XDG_DATA_HOME: '/data/xdg' }, '/home/clerk')).toBe('/data/xdg/custodian');
    expect(defaultDataDir('linux', { XDG_DATA_HOME: 'relative' }, '/home/clerk')).toBe('/home/clerk/.local/share/custodian');
    expect(defaultDataDir('win32', { APPDATA: 'C:\\Users\\clerk\\AppData\\Roaming' }, 'C:\\Users\\clerk')).toBe(
      'C:\\Users\\clerk\\AppData\\Roaming\\Custodian',
    );
    expect(defaultDataDir('darwin', {}, '/Users/clerk')).toBe('/Users/clerk/Library/Application Support/Custodian');
  });

  it('prefers --data-dir, then CUSTODIAN_DATA_DIR', () => {
    expect(resolveDataDir('/x', { CUSTODIAN_DATA_DIR: '/y' })).toBe('/x');
    expect(resolveDataDir(undefined, { CUSTODIAN_DATA_DIR: '/y' })).toBe('/y');
  });

  it('explains a data dir that cannot be created, and writes nothing', () => {
    const file = path.join(tempDir(), 'a-file');
    writeFileSync(file, 'not a folder');
    const dir = path.join(file, 'custodian');
    expect(() => ensureDataDir(dir)).toThrow(EngineError);
    expect(() => openDatabase(dir)).toThrow(/Cannot use data directory .*custodian/);
    expect(existsSync(dir)).toBe(false);
  });

  it('explains a database file that is not a database', () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'custodian.db'), 'this is not SQLite, it is a note a clerk saved by mistake'.repeat(20));
    expect(() => openDatabase(dir)).toThrow(/Cannot open database .*custodian\.db/);
  });
});

import { describe, expect, it } from 'vitest';
import { unpackedPath } from './package-paths.js';

describe('unpackedPath', () => {
  it('maps a path inside app.asar to app.asar.unpacked, and leaves others alone', () => {
    expect(unpackedPath('/opt/Custodian/resources/app.asar/node_modules/pdfjs-dist')).toBe(
      '/opt/Custodian/resources/app.asar.unpacked/node_modules/pdfjs-dist',
    );
    expect(unpackedPath('C:\\Custodian\\resources\\app.asar\\node_modules\\x')).toBe('C:\\Custodian\\resources\\app.asar.unpacked\\node_modules\\x');
    expect(unpackedPath('/srv/custodian/node_modules/pdfjs-dist')).toBe('/srv/custodian/node_modules/pdfjs-dist');
    expect(unpackedPath('/srv/app.asar.unpacked/x')).toBe('/srv/app.asar.unpacked/x');
  });
});

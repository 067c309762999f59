import { describe, expect, it } from 'vitest';
import { pathToFileURL } from 'node:url';
import { isTrustedSender } from './trusted-sender.js';

const RENDERER = '/opt/Custodian/resources/app.asar/out/renderer/index.html';
const own = pathToFileURL(RENDERER).href;

describe('isTrustedSender', () => {
  it('accepts only the main frame of our own renderer file', () => {
    expect(isTrustedSender({ url: own, isMainFrame: true }, RENDERER)).toBe(true);
    expect(isTrustedSender({ url: `${own}#/quarantine`, isMainFrame: true }, RENDERER)).toBe(true);
  });

  it.each([
    ['an iframe of our page', { url: own, isMainFrame: false }],
    ['a web page', { url: 'https://example.org/renderer/index.html', isMainFrame: true }],
    ['another local file', { url: 'file:///tmp/evil/renderer/index.html', isMainFrame: true }],
    ['a file on a remote host', { url: 'file://attacker/opt/Custodian/resources/app.asar/out/renderer/index.html', isMainFrame: true }],
    ['a data URL', { url: 'data:text/html,<script>1</script>', isMainFrame: true }],
    ['garbage', { url: 'not a url', isMainFrame: true }],
  ])('refuses %s', (_name, frame) => {
    expect(isTrustedSender(frame, RENDERER)).toBe(false);
  });

  it('refuses a message with no frame (destroyed window)', () => {
    expect(isTrustedSender(null, RENDERER)).toBe(false);
  });
});

describe('isTrustedSender compares paths, not URL spellings', () => {
  it('accepts an install folder with characters a URL escapes', () => {
    const odd = '/opt/Records {2026}|^ room/resources/app.asar/out/renderer/index.html';
    expect(isTrustedSender({ url: pathToFileURL(odd).href, isMainFrame: true }, odd, 'linux')).toBe(true);
    expect(isTrustedSender({ url: 'file:///opt/Records%20{2026}|^%20room/resources/app.asar/out/renderer/index.html', isMainFrame: true }, odd, 'linux')).toBe(
      true,
    );
  });

  it('on Windows, a lower-case drive letter is the same file', () => {
    const win = 'C:\\Program Files\\Custodian\\resources\\app.asar\\out\\renderer\\index.html';
    const url = 'file:///c:/Program%20Files/Custodian/resources/app.asar/out/renderer/index.html#/ledger';
    expect(isTrustedSender({ url, isMainFrame: true }, win, 'win32')).toBe(true);
    expect(isTrustedSender({ url: 'file:///d:/Program%20Files/Custodian/resources/app.asar/out/renderer/index.html', isMainFrame: true }, win, 'win32')).toBe(
      false,
    );
  });
});

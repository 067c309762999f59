import { describe, expect, it } from 'vitest';
import { openSecret, sealSecret } from './key-envelope.js';

describe('key envelope (scrypt + AES-256-GCM)', () => {
  const secret = Buffer.from('-----BEGIN PRIVATE KEY-----\nnot really a key\n-----END PRIVATE KEY-----\n');
  const sealed = sealSecret(secret, 'correct horse battery staple', 'backup-1');

  it('opens with the passphrase and context it was sealed under, and holds no clear text', () => {
    expect(openSecret(sealed, 'correct horse battery staple', 'backup-1').equals(secret)).toBe(true);
    expect(JSON.stringify(sealed)).not.toContain('PRIVATE KEY');
  });

  it.each([
    ['a wrong passphrase', { ...sealed }, 'correct horse battery stapler', 'backup-1'],
    ['another backup', { ...sealed }, 'correct horse battery staple', 'backup-2'],
    [
      'a changed ciphertext',
      { ...sealed, ciphertext: Buffer.from(Buffer.from(sealed.ciphertext, 'base64').map((b, i) => (i === 0 ? b ^ 1 : b))).toString('base64') },
      'correct horse battery staple',
      'backup-1',
    ],
  ])('refuses %s', (_what, envelope, passphrase, context) => {
    expect(() => openSecret(envelope, passphrase, context)).toThrow(expect.objectContaining({ code: 'refused' }));
  });

  it('refuses a passphrase shorter than 12 characters', () => {
    expect(() => sealSecret(secret, 'short', 'x')).toThrow(expect.objectContaining({ code: 'invalid-argument' }));
  });
});

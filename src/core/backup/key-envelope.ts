import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';
import { EngineError } from '../errors.js';

/** The shortest passphrase a backup accepts: it is all that stands between a lost drive and the signing key. */
export const MIN_PASSPHRASE_LENGTH = 12;

/** scrypt cost: 2^17 × 8 × 128 B = 128 MiB and about a third of a second here, per try of a guessed passphrase. */
const SCRYPT = { N: 2 ** 17, r: 8, p: 1, maxmem: 256 * 1024 * 1024 } as const;
const FORMAT = 'custodian-key-envelope/1';

/** A secret sealed under a passphrase: scrypt for the key, AES-256-GCM for the bytes (JSON, all base64). */
export type KeyEnvelope = { format: typeof FORMAT; kdf: 'scrypt'; N: number; r: number; p: number; salt: string; iv: string; tag: string; ciphertext: string };

function checkPassphrase(passphrase: string): void {
  if (passphrase.length < MIN_PASSPHRASE_LENGTH)
    throw new EngineError('invalid-argument', `The passphrase must be at least ${MIN_PASSPHRASE_LENGTH} characters long.`);
}

/**
 * Seals `secret` under `passphrase`. `context` is bound in as associated data, so an envelope cannot be
 * moved into another backup unnoticed.
 */
export function sealSecret(secret: Uint8Array, passphrase: string, context: string): KeyEnvelope {
  checkPassphrase(passphrase);
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const key = scryptSync(passphrase.normalize('NFC'), salt, 32, SCRYPT);
  const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(Buffer.from(context));
  const ciphertext = Buffer.concat([cipher.update(secret), cipher.final()]);
  const b64 = (b: Buffer): string => b.toString('base64');
  return {
    format: FORMAT,
    kdf: 'scrypt',
    N: SCRYPT.N,
    r: SCRYPT.r,
    p: SCRYPT.p,
    salt: b64(salt),
    iv: b64(iv),
    tag: b64(cipher.getAuthTag()),
    ciphertext: b64(ciphertext),
  };
}

/**
 * Opens an envelope made by {@link sealSecret}.
 * @throws EngineError `refused` when the passphrase is wrong or the envelope was altered (GCM cannot tell which).
 */
export function openSecret(envelope: KeyEnvelope, passphrase: string, context: string): Buffer {
  if (envelope.format !== FORMAT || envelope.kdf !== 'scrypt') throw new EngineError('invalid-argument', `The key envelope is not in the ${FORMAT} format.`);
  const buf = (s: string): Buffer => Buffer.from(s, 'base64');
  const key = scryptSync(passphrase.normalize('NFC'), buf(envelope.salt), 32, { N: envelope.N, r: envelope.r, p: envelope.p, maxmem: SCRYPT.maxmem });
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, buf(envelope.iv)).setAAD(Buffer.from(context)).setAuthTag(buf(envelope.tag));
    return Buffer.concat([decipher.update(buf(envelope.ciphertext)), decipher.final()]);
  } catch (err) {
    throw new EngineError('refused', "The passphrase does not open the backup's signing key (or the key file was altered).", { cause: err });
  }
}

import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** The workstation's signing identity: an Ed25519 key pair kept in the data dir. */
export type SigningKey = { privateKey: KeyObject; publicKey: KeyObject; publicPem: string; fingerprint: string };

/** SHA-256 (hex) of a raw 32-byte Ed25519 public key: the fingerprint auditors compare. */
export function fingerprintOf(publicKey: KeyObject): string {
  const der = publicKey.export({ format: 'der', type: 'spki' });
  return createHash('sha256')
    .update(der.subarray(der.length - 32))
    .digest('hex');
}

/**
 * Loads the data dir's Ed25519 key pair, creating it on first use: `keys/` is 0700 and the private key
 * file 0600 (owner only), written whole before it is renamed into place. The private key never leaves.
 */
export function loadSigningKey(dataDir: string): SigningKey {
  const dir = path.join(dataDir, 'keys');
  const privateFile = path.join(dir, 'ed25519-private.pem');
  if (!existsSync(privateFile)) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    chmodSync(dir, 0o700);
    const { privateKey } = generateKeyPairSync('ed25519');
    const tmp = `${privateFile}.${process.pid}.tmp`;
    writeFileSync(tmp, privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600 });
    renameSync(tmp, privateFile);
  }
  const privateKey = createPrivateKey(readFileSync(privateFile));
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, publicPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(), fingerprint: fingerprintOf(publicKey) };
}

/** Ed25519 signature of `data`. */
export function signBytes(key: SigningKey, data: Uint8Array | string): Buffer {
  return sign(null, typeof data === 'string' ? Buffer.from(data) : data, key.privateKey);
}

/** Whether `signature` is `publicPem`'s Ed25519 signature of `data`. */
export function verifyBytes(publicPem: string, data: Uint8Array | string, signature: Uint8Array): boolean {
  try {
    return verify(null, typeof data === 'string' ? Buffer.from(data) : data, createPublicKey(publicPem), signature);
  } catch {
    return false;
  }
}

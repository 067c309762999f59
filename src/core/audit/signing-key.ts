import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { chmodSync, existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The workstation's signing identity: an Ed25519 key pair kept in the data dir. `note`: set when opening
 * it found the key files readable by others and made them owner-only again (the caller says so once).
 */
export type SigningKey = { privateKey: KeyObject; publicKey: KeyObject; publicPem: string; fingerprint: string; note?: string };

/**
 * Makes `keys/` (and `keys/retired/`) 0700 and every file in them 0600 where they are looser: a copy
 * or an umask may have left them readable. @returns a sentence naming what was fixed, or undefined.
 */
export function tightenKeyModes(dir: string): string | undefined {
  const fixed: string[] = [];
  const tighten = (p: string, mode: number): void => {
    const st = lstatSync(p);
    if (st.isSymbolicLink() || (st.mode & 0o777 & ~mode) === 0) return;
    chmodSync(p, mode);
    fixed.push(`${path.relative(path.dirname(dir), p)} was ${(st.mode & 0o777).toString(8).padStart(4, '0')}`);
  };
  tighten(dir, 0o700);
  for (const sub of [dir, path.join(dir, 'retired')]) {
    if (!existsSync(sub)) continue;
    if (sub !== dir) tighten(sub, 0o700);
    for (const f of readdirSync(sub)) if (lstatSync(path.join(sub, f)).isFile()) tighten(path.join(sub, f), 0o600);
  }
  return fixed.length ? `The signing key files were readable by others and are now owner-only (${fixed.join(', ')}).` : undefined;
}

/** SHA-256 (hex) of a raw 32-byte Ed25519 public key: the fingerprint auditors compare. */
export function fingerprintOf(publicKey: KeyObject): string {
  const der = publicKey.export({ format: 'der', type: 'spki' });
  return createHash('sha256')
    .update(der.subarray(der.length - 32))
    .digest('hex');
}

/**
 * Loads the data dir's Ed25519 key pair, creating it on first use: `keys/` is 0700 and the private key
 * file 0600 (owner only), written whole before it is renamed into place, and both are made so again on
 * every open if found looser (`note` says so). The private key never leaves.
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
  const note = tightenKeyModes(dir);
  const privateKey = createPrivateKey(readFileSync(privateFile));
  const publicKey = createPublicKey(privateKey);
  const key: SigningKey = {
    privateKey,
    publicKey,
    publicPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    fingerprint: fingerprintOf(publicKey),
  };
  return note ? { ...key, note } : key;
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

/** Public keys this workstation has used, by fingerprint: the current one and every retired one. */
export function keyring(dataDir: string, current: SigningKey): Map<string, string> {
  const ring = new Map<string, string>([[current.fingerprint, current.publicPem]]);
  const dir = path.join(dataDir, 'keys', 'retired');
  if (existsSync(dir)) for (const f of readdirSync(dir).filter((n) => n.endsWith('.pem'))) ring.set(f.slice(0, -4), readFileSync(path.join(dir, f), 'utf8'));
  return ring;
}

/**
 * Replaces the signing key: the new public key is signed by the old one (for the ledger's `key.rotated`
 * event), the old public key is kept under keys/retired/ so earlier checkpoints still verify, and the new
 * private key takes the old one's place atomically.
 */
export function rotateSigningKey(dataDir: string, ts: string): { old: SigningKey; next: SigningKey; endorsement: string } {
  const old = loadSigningKey(dataDir);
  const dir = path.join(dataDir, 'keys');
  const retired = path.join(dir, 'retired');
  mkdirSync(retired, { recursive: true, mode: 0o700 });
  writeFileSync(path.join(retired, `${old.fingerprint}.pem`), old.publicPem, { mode: 0o600 });
  const { privateKey } = generateKeyPairSync('ed25519');
  const next = { privateKey, publicKey: createPublicKey(privateKey), publicPem: '', fingerprint: '' };
  next.publicPem = next.publicKey.export({ format: 'pem', type: 'spki' }).toString();
  next.fingerprint = fingerprintOf(next.publicKey);
  const endorsement = signBytes(old, rotationMessage(next.fingerprint, next.publicPem, ts)).toString('base64');
  const file = path.join(dir, 'ed25519-private.pem');
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600 });
  renameSync(tmp, file);
  return { old, next, endorsement };
}

/** The bytes an old key signs to endorse its successor. */
export function rotationMessage(fingerprint: string, publicPem: string, ts: string): string {
  return JSON.stringify({ custodianKeyRotation: 1, newFingerprint: fingerprint, newPublicKey: publicPem, ts });
}

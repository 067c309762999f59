import { createHash, createPublicKey } from 'node:crypto';
import { chmodSync, closeSync, fsyncSync, mkdirSync, openSync, readFileSync, readSync, readdirSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import path from 'node:path';
import { EngineError, errnoCode } from '../errors.js';
import { failpoint, type FailpointName } from '../failpoints.js';
import { fingerprintOf, signBytes, verifyBytes, type SigningKey } from './signing-key.js';

/** The two files that seal a signed folder: the manifest of every other file, and its Ed25519 signature. */
export const SEAL_FILES = ['manifest-sha256.txt', 'signature.ed25519'] as const;

/** Writes `data` to a new file in `dir` and fsyncs it; refuses to overwrite. */
export function writeDurable(dir: string, name: string, data: string | Uint8Array, mode = 0o644): void {
  const fd = openSync(path.join(dir, name), 'wx', mode);
  try {
    const bytes = typeof data === 'string' ? Buffer.from(data) : data;
    for (let off = 0; off < bytes.length;) off += writeSync(fd, bytes, off, bytes.length - off);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** fsyncs a folder (or a file), so a rename or a write into it survives power loss. */
export function fsyncPath(p: string): void {
  const fd = openSync(p, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** SHA-256 (hex) of a file, read in 1 MiB chunks: a database snapshot may be larger than memory should hold. */
export function sha256OfFile(file: string): string {
  const hash = createHash('sha256');
  const buf = Buffer.allocUnsafe(1 << 20);
  const fd = openSync(file, 'r');
  try {
    for (let n = readSync(fd, buf); n > 0; n = readSync(fd, buf)) hash.update(buf.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

/** What goes into a signed folder. */
export type SignedFolderSpec = {
  /** Folder the signed folder is created in (made if missing). */
  outDir: string;
  /** Name of the signed folder; nothing by that name exists until it is complete. */
  name: string;
  key: SigningKey;
  /** Small files, written in this order. */
  files: Record<string, string | Uint8Array>;
  /** Writes large files into the temporary folder itself (a database snapshot) and returns their names. */
  fill?: (tmp: string) => Promise<string[]>;
  /** Words for errors: "The <what> could not be written …". */
  what: string;
  /** Owner-only (folder 0700, files 0600): for a folder holding what the data folder holds. Default: readable by all, as a report is. */
  ownerOnly?: boolean;
  /** Crash point passed after each small file, for the tests. */
  failpointName?: FailpointName;
};

/**
 * Writes a folder that anyone can check offline: every file, then `manifest-sha256.txt` (SHA-256 of each,
 * `sha256sum -c` format) and `signature.ed25519` over the manifest. It is built in a hidden temporary folder
 * on the same device, every file and the folder fsynced, then renamed: a full disk, a read-only target or a
 * pulled drive leaves nothing with the folder's name.
 * @returns the folder's path.
 * @throws EngineError `io-error` saying what failed.
 */
export async function writeSignedFolder(spec: SignedFolderSpec): Promise<string> {
  const { outDir, name, key, files, what } = spec;
  const final = path.join(outDir, name);
  const tmp = path.join(outDir, `.${name}.partial`);
  try {
    mkdirSync(outDir, { recursive: true });
    const mode = spec.ownerOnly ? 0o600 : 0o644;
    mkdirSync(tmp, { mode: spec.ownerOnly ? 0o700 : 0o755 });
    const hashes: [string, string][] = [];
    for (const [file, data] of Object.entries(files)) {
      writeDurable(tmp, file, data, mode);
      hashes.push([file, createHash('sha256').update(data).digest('hex')]);
      if (spec.failpointName) failpoint(spec.failpointName);
    }
    for (const file of (await spec.fill?.(tmp)) ?? []) {
      chmodSync(path.join(tmp, file), mode);
      fsyncPath(path.join(tmp, file));
      hashes.push([file, sha256OfFile(path.join(tmp, file))]);
    }
    const manifest = hashes.map(([file, hash]) => `${hash}  ${file}\n`).join('');
    writeDurable(tmp, SEAL_FILES[0], manifest, mode);
    writeDurable(tmp, SEAL_FILES[1], signBytes(key, manifest), mode);
    fsyncPath(tmp);
    renameSync(tmp, final);
    fsyncPath(outDir);
    return final;
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    const code = errnoCode(err);
    const why =
      code === 'ENOSPC'
        ? 'the drive is full'
        : code === 'EROFS' || code === 'EACCES' || code === 'EPERM'
          ? 'the drive cannot be written'
          : code === 'EIO' || code === 'ENODEV' || code === 'ENOENT'
            ? 'the drive went away'
            : code === 'EEXIST'
              ? `${final} already exists`
              : (err as Error).message;
    throw new EngineError('io-error', `The ${what} could not be written to ${outDir}: ${why}. Nothing was left that looks like a ${what}.`, { cause: err });
  }
}

/** What checking a signed folder found: the signer and the files listed, or the first thing that failed. */
export type SignedFolderVerdict = { ok: true; fingerprint: string; publicPem: string; files: string[] } | { ok: false; problem: string };

/**
 * Checks a signed folder with nothing but the folder: the signature over the manifest under the folder's
 * `public-key.pem`, every listed file's SHA-256, every `required` file listed, and no file added.
 */
export function verifySignedFolder(dir: string, required: readonly string[], what: string): SignedFolderVerdict {
  const fail = (problem: string): SignedFolderVerdict => ({ ok: false, problem });
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => statSync(path.join(dir, n)).isFile() || statSync(path.join(dir, n)).isDirectory());
  } catch {
    return fail(`${dir} cannot be read as a ${what} folder`);
  }
  const read = (n: string): Buffer | null => {
    try {
      return readFileSync(path.join(dir, n));
    } catch {
      return null;
    }
  };
  const manifest = read(SEAL_FILES[0]);
  if (!manifest) return fail(`${SEAL_FILES[0]} is missing`);
  const signature = read(SEAL_FILES[1]);
  if (!signature) return fail(`${SEAL_FILES[1]} is missing`);
  const pem = read('public-key.pem');
  if (!pem) return fail('public-key.pem is missing');
  let fingerprint: string;
  try {
    fingerprint = fingerprintOf(createPublicKey(pem));
  } catch {
    return fail('public-key.pem is not an Ed25519 public key');
  }
  if (!verifyBytes(pem.toString(), manifest, signature))
    return fail(`${SEAL_FILES[1]} does not verify: the manifest was changed or signed with another key than public-key.pem`);
  const listed = new Map<string, string>();
  for (const line of manifest.toString().split('\n').filter(Boolean)) {
    const m = /^([0-9a-f]{64}) {2}(.+)$/u.exec(line);
    if (!m) return fail(`${SEAL_FILES[0]} has a malformed line: ${JSON.stringify(line)}`);
    listed.set(m[2]!, m[1]!);
  }
  for (const f of required) if (!listed.has(f)) return fail(`${SEAL_FILES[0]} does not list ${f}`);
  for (const [file, want] of listed) {
    let got: string;
    try {
      got = sha256OfFile(path.join(dir, file));
    } catch {
      return fail(`${file} is missing`);
    }
    if (got !== want) return fail(`${file} was changed: its SHA-256 does not match the manifest`);
  }
  const extra = names.filter((n) => !listed.has(n) && !(SEAL_FILES as readonly string[]).includes(n));
  if (extra.length) return fail(`files not in the manifest: ${extra.join(', ')}`);
  return { ok: true, fingerprint, publicPem: pem.toString(), files: [...listed.keys()] };
}

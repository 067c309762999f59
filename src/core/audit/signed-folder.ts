import { createHash, createPublicKey } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  constants,
  fstatSync,
  fsyncSync,
  lstatSync,
  mkdirSync,
  openSync,
  readSync,
  readdirSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
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

/** The most a seal file, key or facts file of a signed folder may hold; a larger one is refused unread. */
export const SMALL_FILE_CAP = 64 * 1024 * 1024;

/** Why a file of a signed folder was refused: the verification code and the sentence saying so. */
export type FolderReadProblem = { code: 'path-outside-report' | 'special-file' | 'missing' | 'too-large' | 'unreadable'; problem: string };

/** Whether `name` is one plain file name: no separator, not `.`/`..`, not absolute, no NUL. */
export function isPlainName(name: string): boolean {
  return name !== '' && name !== '.' && name !== '..' && !/[/\\\0]/u.test(name) && !path.isAbsolute(name);
}

/**
 * Opens one file of a signed folder for reading, as a folder from a stranger must be opened: the name must
 * be a plain name inside `dir` (else `path-outside-report`, and nothing is opened), `lstat` must say regular
 * file (a link, FIFO, device or socket is `special-file`, never opened), it is opened with O_NOFOLLOW and
 * O_NONBLOCK (a file swapped for a link or FIFO after the lstat fails or does not block), `fstat` must again
 * say regular, and its size must be at most `cap`. The caller closes the descriptor.
 */
export function openFolderFile(dir: string, name: string, cap = Number.MAX_SAFE_INTEGER): { fd: number; size: number } | FolderReadProblem {
  if (!isPlainName(name))
    return { code: 'path-outside-report', problem: `path-outside-report: ${JSON.stringify(name)} is not a file of this folder; it was not opened` };
  const file = path.join(dir, name);
  let st;
  try {
    st = lstatSync(file);
  } catch {
    return { code: 'missing', problem: `${name} is missing` };
  }
  if (!st.isFile()) return { code: 'special-file', problem: `special-file: ${name} is not a regular file (a link, pipe or device); it was not opened` };
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
  } catch {
    return { code: 'unreadable', problem: `${name} cannot be read` };
  }
  const now = fstatSync(fd);
  if (!now.isFile()) {
    closeSync(fd);
    return { code: 'special-file', problem: `special-file: ${name} is not a regular file (a link, pipe or device); it was not opened` };
  }
  if (now.size > cap) {
    closeSync(fd);
    return { code: 'too-large', problem: `too-large: ${name} is larger than ${cap} bytes; it was not read` };
  }
  return { fd, size: now.size };
}

/** Reads one small file of a signed folder whole, through `openFolderFile`'s checks (cap 64 MiB). */
export function readFolderFile(dir: string, name: string, cap = SMALL_FILE_CAP): Buffer | FolderReadProblem {
  const opened = openFolderFile(dir, name, cap);
  if ('code' in opened) return opened;
  try {
    const out = Buffer.alloc(opened.size);
    let off = 0;
    for (let n = 1; off < out.length && n > 0; off += n) n = readSync(opened.fd, out, off, out.length - off, off);
    return out.subarray(0, off);
  } catch {
    return { code: 'unreadable', problem: `${name} cannot be read` };
  } finally {
    closeSync(opened.fd);
  }
}

/** SHA-256 (hex) of one file of a signed folder, streamed (a snapshot may be large), through `openFolderFile`'s checks. */
function hashFolderFile(dir: string, name: string): string | FolderReadProblem {
  const opened = openFolderFile(dir, name);
  if ('code' in opened) return opened;
  const hash = createHash('sha256');
  const buf = Buffer.allocUnsafe(1 << 20);
  try {
    for (let n = readSync(opened.fd, buf); n > 0; n = readSync(opened.fd, buf)) hash.update(buf.subarray(0, n));
    return hash.digest('hex');
  } catch {
    return { code: 'unreadable', problem: `${name} cannot be read` };
  } finally {
    closeSync(opened.fd);
  }
}

/** What checking a signed folder found: the signer and the files listed, or the first thing that failed (with its code when it has one). */
export type SignedFolderVerdict =
  { ok: true; fingerprint: string; publicPem: string; files: string[] } | { ok: false; problem: string; code?: FolderReadProblem['code'] };

/**
 * Checks a signed folder with nothing but the folder: the signature over the manifest under the folder's
 * `public-key.pem`, every listed file's SHA-256, every `required` file listed, and no file added. The folder
 * may be hostile: every file is read through `openFolderFile` (no link followed, no special file opened,
 * no name outside the folder), and the seal and key files are size-capped.
 */
export function verifySignedFolder(dir: string, required: readonly string[], what: string): SignedFolderVerdict {
  const fail = (problem: string, code?: FolderReadProblem['code']): SignedFolderVerdict => ({ ok: false, problem, ...(code ? { code } : {}) });
  let names: string[];
  try {
    if (!lstatSync(dir).isDirectory()) return fail(`${dir} is not a ${what} folder`);
    names = readdirSync(dir);
  } catch {
    return fail(`${dir} cannot be read as a ${what} folder`);
  }
  const seal: Buffer[] = [];
  for (const name of [SEAL_FILES[0], SEAL_FILES[1], 'public-key.pem']) {
    const got = readFolderFile(dir, name);
    if ('code' in got) return fail(got.problem, got.code === 'missing' ? undefined : got.code);
    seal.push(got);
  }
  const [manifest, signature, pem] = seal as [Buffer, Buffer, Buffer];
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
    const got = hashFolderFile(dir, file);
    if (typeof got !== 'string') return fail(got.problem, got.code === 'missing' ? undefined : got.code);
    if (got !== want) return fail(`${file} was changed: its SHA-256 does not match the manifest`);
  }
  const extra = names.filter((n) => !listed.has(n) && !(SEAL_FILES as readonly string[]).includes(n));
  if (extra.length) return fail(`files not in the manifest: ${extra.join(', ')}`);
  return { ok: true, fingerprint, publicPem: pem.toString(), files: [...listed.keys()] };
}

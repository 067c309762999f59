import { constants } from 'node:fs';
import { lstat, open } from 'node:fs/promises';
import path from 'node:path';
import type { ReasonCode } from '../../shared/reason-codes.js';

/**
 * Largest custody manifest (CSV or BagIt tag file) Custodian reads, 64 MiB. Checked on the open file's
 * `fstat` before a byte is read, so a huge or endless file costs nothing.
 */
export const MAX_MANIFEST_BYTES = 64 << 20;

/** Why a manifest was not read at all: its reason code and a sentence for the detail. */
export class ManifestRefused extends Error {
  constructor(
    readonly code: Extract<ReasonCode, 'manifest-not-regular' | 'manifest-too-large'>,
    message: string,
  ) {
    super(message);
    this.name = 'ManifestRefused';
  }
}

// O_NOFOLLOW: a link swapped in after the lstat fails to open instead of being followed.
// O_NONBLOCK: a FIFO swapped in after the lstat opens at once (and the fstat refuses it) instead of waiting
// for a writer forever. Both are absent on Windows, where the lstat and fstat checks still hold.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

/**
 * Reads the manifest `name` of the folder `root`, only if it is a regular file right there: never a link
 * (wherever it points), a FIFO, socket or device, and never one over {@link MAX_MANIFEST_BYTES}. The file
 * is opened without following links or blocking, then `fstat`ed to be the very file `lstat` saw, and
 * read from that descriptor only.
 * @throws ManifestRefused when the file is not a regular file or too large; other I/O errors as they come.
 */
export async function readManifestBytes(root: string, name: string): Promise<Buffer> {
  const file = path.join(root, name);
  const seen = await lstat(file);
  if (!seen.isFile()) throw new ManifestRefused('manifest-not-regular', `${name} is not a regular file (${kindOf(seen)}); it was not opened`);
  if (seen.size > MAX_MANIFEST_BYTES) throw tooLarge(name, seen.size);
  let handle;
  try {
    handle = await open(file, OPEN_FLAGS);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ELOOP') throw new ManifestRefused('manifest-not-regular', `${name} became a link; it was not followed`);
    throw err;
  }
  try {
    const opened = await handle.stat();
    if (!opened.isFile() || opened.dev !== seen.dev || opened.ino !== seen.ino)
      throw new ManifestRefused('manifest-not-regular', `${name} was replaced while it was opened; it was not read`);
    if (opened.size > MAX_MANIFEST_BYTES) throw tooLarge(name, opened.size);
    // One byte more than the cap: a file that grows after the fstat is caught, not read without end.
    const buffer = Buffer.allocUnsafe(opened.size + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length === buffer.length) throw new ManifestRefused('manifest-not-regular', `${name} grew while it was read; it was not used`);
    }
    return buffer.subarray(0, length);
  } finally {
    await handle.close();
  }
}

function tooLarge(name: string, size: number): ManifestRefused {
  return new ManifestRefused('manifest-too-large', `${name} is ${size} bytes, over the ${MAX_MANIFEST_BYTES}-byte limit for manifests; it was not read`);
}

function kindOf(s: Awaited<ReturnType<typeof lstat>>): string {
  if (s.isSymbolicLink()) return 'a link';
  if (s.isFIFO()) return 'a pipe';
  if (s.isSocket()) return 'a socket';
  if (s.isCharacterDevice() || s.isBlockDevice()) return 'a device';
  if (s.isDirectory()) return 'a folder';
  return 'not a file';
}

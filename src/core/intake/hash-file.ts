import { createHash, type Hash } from 'node:crypto';
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import type { DigestAlgorithm } from '../custody/index.js';
import { SNIFF_BYTES } from './detect-format.js';

export type { DigestAlgorithm };

/** What one streaming read of a file yields. */
export type FileDigest = {
  size: number;
  /** Hex digests; always has `sha256`, plus each extra algorithm asked for. */
  digests: Partial<Record<DigestAlgorithm, string>> & { sha256: string };
  /** The first bytes, for format detection. */
  head: Uint8Array;
};

/** Read size: large enough that syscall overhead vanishes next to hashing. */
const CHUNK = 1 << 20;
const MIN_CHUNK = 64 << 10;
/**
 * O_NONBLOCK: opening a FIFO put in a file's place must not hang; the fstat then refuses it. O_NOFOLLOW: a
 * link put in its place is not followed (the walk hands links it may follow over as their resolved target).
 * Windows has neither flag; the fstat check still holds there.
 */
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOFOLLOW ?? 0);

/**
 * Hashes a file in one streaming pass (never whole in memory), computing SHA-256 and any extra
 * digests a custody manifest needs, and keeps the leading bytes for format detection.
 * Refuses anything that is not a regular file once opened (a path swapped for a FIFO would block), and
 * never follows a link at `filePath` (ELOOP).
 * @param onBytes called after each chunk with the bytes just read, for progress.
 */
export async function hashFile(filePath: string, extra: readonly DigestAlgorithm[] = [], onBytes?: (n: number) => void): Promise<FileDigest> {
  const algorithms = [...new Set<DigestAlgorithm>(['sha256', ...extra])];
  const hashes: [DigestAlgorithm, Hash][] = algorithms.map((a) => [a, createHash(a)]);
  const handle = await open(filePath, OPEN_FLAGS);
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw Object.assign(new Error(`${filePath} is not a regular file`), { code: 'ENOTREG' });
    // A buffer the size of a small file (one read, then EOF) instead of a fresh megabyte for every scan.
    const buffer = Buffer.allocUnsafe(Math.min(CHUNK, Math.max(MIN_CHUNK, stat.size + 1)));
    const head = Buffer.alloc(SNIFF_BYTES);
    let headLength = 0;
    let size = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      const chunk = buffer.subarray(0, bytesRead);
      if (headLength < SNIFF_BYTES) headLength += chunk.copy(head, headLength, 0, SNIFF_BYTES - headLength);
      for (const [, h] of hashes) h.update(chunk);
      size += bytesRead;
      onBytes?.(bytesRead);
    }
    const digests = Object.fromEntries(hashes.map(([a, h]) => [a, h.digest('hex')])) as FileDigest['digests'];
    return { size, digests, head: head.subarray(0, headLength) };
  } finally {
    await handle.close();
  }
}

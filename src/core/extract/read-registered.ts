import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { errnoCode } from '../errors.js';
import { ExtractError } from './extract-types.js';

/**
 * Reads a registered file in a pool thread and proves these are the bytes registered at intake.
 * @throws ExtractError `vanished`, `unreadable`, or `changed-since-intake` (other bytes, or no longer a regular file).
 */
export async function readRegisteredFile(path: string, sha256: string): Promise<Uint8Array> {
  let bytes: Uint8Array;
  try {
    bytes = await readRegularFile(path);
  } catch (err) {
    if (errnoCode(err) === 'ENOTREG')
      throw new ExtractError('changed-since-intake', 'the file is no longer a regular file (a pipe, device or folder is in its place); it was not read', true);
    throw new ExtractError(errnoCode(err) === 'ENOENT' ? 'vanished' : 'unreadable', `cannot read the file (${errnoCode(err) ?? 'error'})`, true);
  }
  if (createHash('sha256').update(bytes).digest('hex') !== sha256) throw new ExtractError('changed-since-intake', 'the file changed after intake', true);
  return bytes;
}

/**
 * Reads a registered file whole, refusing anything that is not a regular file once opened: O_NONBLOCK so a
 * FIFO put in its place after intake opens at once (and is refused) instead of wedging this thread. Links
 * are followed here (a link inside the dropped folder is registered by its own path); the hash check after
 * the read proves the bytes.
 */
async function readRegularFile(path: string): Promise<Buffer> {
  const handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    if (!(await handle.stat()).isFile()) throw Object.assign(new Error(`${path} is not a regular file`), { code: 'ENOTREG' });
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { corpus, pngLike, tempDir, write } from '../../../test/helpers/fixtures.js';
import { hashFile } from './hash-file.js';

describe('hashFile', () => {
  it('streams SHA-256 plus the digests a manifest needs, in one pass', async () => {
    const file = corpus('pdfs/multipage.pdf');
    const bytes = readFileSync(file);
    let seen = 0;
    const result = await hashFile(file, ['md5', 'sha512', 'sha1'], (n) => (seen += n));
    expect(result.size).toBe(bytes.length);
    expect(seen).toBe(bytes.length);
    for (const alg of ['sha256', 'md5', 'sha512', 'sha1'] as const) {
      expect(result.digests[alg]).toBe(createHash(alg).update(bytes).digest('hex'));
    }
    expect(Buffer.from(result.head).toString('latin1', 0, 5)).toBe('%PDF-');
  });

  it('hashes files larger than its read buffer and empty files', async () => {
    const dir = tempDir();
    const big = write(path.join(dir, 'big.png'), pngLike(3 * 1024 * 1024 + 17));
    expect((await hashFile(big)).digests.sha256).toBe(createHash('sha256').update(readFileSync(big)).digest('hex'));
    const empty = write(path.join(dir, 'empty'), '');
    expect(await hashFile(empty)).toMatchObject({ size: 0, digests: { sha256: createHash('sha256').digest('hex') } });
  });

  it('refuses a FIFO at once instead of blocking on it', async () => {
    const fifo = path.join(tempDir(), 'pipe.pdf');
    execFileSync('mkfifo', [fifo]);
    await expect(hashFile(fifo)).rejects.toMatchObject({ code: 'ENOTREG' });
  });

  it('never follows a link at the path it is given', async () => {
    const dir = tempDir();
    const real = write(path.join(dir, 'real.png'), pngLike());
    symlinkSync(real, path.join(dir, 'link.png'));
    await expect(hashFile(path.join(dir, 'link.png'))).rejects.toMatchObject({ code: 'ELOOP' });
  });
});

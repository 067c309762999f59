import { closeSync, existsSync, fstatSync, ftruncateSync, mkdirSync, openSync, readSync, writeSync, fsyncSync } from 'node:fs';
import path from 'node:path';
import type { Db } from '../store/index.js';
import { EngineError } from '../errors.js';
import { entriesAfter } from '../ledger/index.js';
import { fsyncPath } from '../audit/index.js';

/** Name of the mirror file inside the mirror folder. */
export const MIRROR_FILE = 'custodian-ledger.jsonl';

/** What a mirror pass did. */
export type MirrorResult = { file: string; appended: number; lastSeq: number };

/** The last complete line of the file and the byte offset where it ends (after its newline). */
function lastCompleteLine(fd: number): { line: string | null; end: number } {
  const size = fstatSync(fd).size;
  let tail = Buffer.alloc(0);
  // Read backwards in 64 KiB steps until the tail holds the last line whole. Newlines are found in bytes:
  // 0x0a never occurs inside a UTF-8 sequence, so a chunk boundary cannot fool the search.
  for (let pos = size; pos > 0;) {
    const len = Math.min(65_536, pos);
    pos -= len;
    const chunk = Buffer.alloc(len);
    readSync(fd, chunk, 0, len, pos);
    tail = Buffer.concat([chunk, tail]);
    const lastNl = tail.lastIndexOf(0x0a);
    if (lastNl === -1) continue;
    const prevNl = lastNl === 0 ? -1 : tail.lastIndexOf(0x0a, lastNl - 1);
    // Bytes after the last newline are a line cut short by a crash: they are dropped.
    if (prevNl !== -1 || pos === 0) return { line: tail.subarray(prevNl + 1, lastNl).toString('utf8'), end: pos + lastNl + 1 };
  }
  return { line: null, end: 0 };
}

/**
 * Appends every ledger entry the mirror does not hold yet to `<dir>/custodian-ledger.jsonl` (one JSON entry
 * per line, as in a report's ledger.jsonl), fsynced, for records rooms with no network: a second drive as
 * the write-once copy. Resumes from the mirror's own last seq, after checking that entry is this ledger's
 * (same hash); a line cut short by a crash is dropped and written again.
 * @throws EngineError `refused` when the mirror holds another ledger's history or one this ledger no longer has.
 */
export function mirrorLedger(db: Db, dir: string): MirrorResult {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, MIRROR_FILE);
  const created = !existsSync(file);
  const fd = openSync(file, created ? 'wx+' : 'r+', 0o600);
  try {
    const { line, end } = lastCompleteLine(fd);
    let lastSeq = 0;
    if (line) {
      let last: { seq: number; hash: string };
      try {
        last = JSON.parse(line) as { seq: number; hash: string };
      } catch {
        throw new EngineError('refused', `The mirror in ${dir} does not end with a ledger entry: it was altered; keep it aside and mirror to a fresh folder.`);
      }
      const ours = db.prepare('SELECT hash FROM ledger WHERE seq = ?').pluck().get(last.seq) as string | undefined;
      if (ours !== last.hash)
        throw new EngineError(
          'refused',
          `The mirror in ${dir} ends with entry ${last.seq}, which ${ours ? 'differs from' : 'is not in'} this ledger: it mirrors another history.`,
        );
      lastSeq = last.seq;
    }
    if (end < fstatSync(fd).size) ftruncateSync(fd, end);
    let offset = end;
    let appended = 0;
    for (let batch = entriesAfter(db, lastSeq, 1000); batch.length; batch = entriesAfter(db, lastSeq, 1000)) {
      const bytes = Buffer.from(batch.map((e) => `${JSON.stringify(e)}\n`).join(''));
      for (let off = 0; off < bytes.length;) off += writeSync(fd, bytes, off, bytes.length - off, offset + off);
      offset += bytes.length;
      fsyncSync(fd);
      appended += batch.length;
      lastSeq = batch.at(-1)!.seq;
    }
    if (created) fsyncPath(dir);
    return { file, appended, lastSeq };
  } finally {
    closeSync(fd);
  }
}

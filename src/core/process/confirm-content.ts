import { performance } from 'node:perf_hooks';
import { hashFile } from '../intake/hash-file.js';
import { errnoCode } from '../errors.js';
import type { JobProcessor } from '../queue/index.js';

/**
 * The processing step of this pipeline version: re-reads the registered file and proves its bytes are
 * still the ones registered at intake. A file changed in between is a custody problem and is
 * quarantined, never processed under the wrong hash. Text extraction builds on this step.
 */
export const confirmContent: JobProcessor = async (job) => {
  const started = performance.now();
  try {
    const { digests, size } = await hashFile(job.path);
    if (digests.sha256 !== job.sha256) {
      return { kind: 'quarantine', code: 'changed-since-intake', detail: { expected: job.sha256, actual: digests.sha256, size } };
    }
    return { kind: 'done', result: { bytes: size, durationMs: Math.round(performance.now() - started) } };
  } catch (err) {
    const errno = errnoCode(err) ?? 'unknown';
    return { kind: 'quarantine', code: errno === 'ENOENT' ? 'vanished' : 'unreadable', detail: { errno } };
  }
};

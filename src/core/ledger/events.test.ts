import { describe, expect, it } from 'vitest';
import { EVENT_CATALOGUE, ONCE_PER_SUBJECT } from './index.js';

describe('the ledger event catalogue', () => {
  it('names each event as <subject>.<what happened>, in kebab case', () => {
    for (const type of Object.keys(EVENT_CATALOGUE)) expect(type).toMatch(/^[a-z]+\.[a-z]+(-[a-z]+)*$/u);
  });

  it('marks what must happen once per subject however often a run is killed (the crash suite checks these)', () => {
    expect(ONCE_PER_SUBJECT).toEqual({
      'file.registered': 'entryId',
      'file.duplicate': 'entryId',
      'file.quarantined': 'entryId',
      'file.unsupported': 'entryId',
      'file.custody-metadata': 'entryId',
      'job.queued': 'jobId',
      'job.done': 'jobId',
      'job.quarantined': 'jobId',
      'batch.started': 'batchId',
      'batch.walked': 'batchId',
      'batch.completed': 'batchId',
    });
  });
});

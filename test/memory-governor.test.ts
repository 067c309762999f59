/**
 * Pages in flight follow live memory readings (issue 20): the real engine, pool threads and scripted OCR,
 * with an injected telemetry source in place of the process's RSS and the machine's available memory.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { events, testEngine } from './helpers/engine.js';
import { multiPageTiff, scriptedOcr, tempDir } from './helpers/fixtures.js';
import type { MemorySample } from '../src/core/pool/index.js';

describe('memory governor in a batch', () => {
  it('over budget, one page at a time with intake held; as memory frees, the whole pool again; nothing lost', async () => {
    const folder = tempDir();
    for (let i = 0; i < 8; i++) writeFileSync(path.join(folder, `scan-${i}.tif`), multiPageTiff(3));
    // Readings 1–8 are over the budget, the rest well under it.
    let readings = 0;
    const telemetry = (): MemorySample => (++readings <= 8 ? { rssMb: 1500, availableMb: 6000 } : { rssMb: 300, availableMb: 6000 });
    const whileThrottled: { busy: number; intakePaused: boolean }[] = [];
    let busiestAfter = 0;
    const engine = testEngine({
      workers: 2,
      ocrAdapterModule: scriptedOcr('ok', undefined, 60),
      memoryTelemetry: telemetry,
      memoryBudget: { rssMb: 1000, minAvailableMb: 500 },
      onProgress: (p) => {
        if (p.phase !== 'processing') return;
        if (readings >= 1 && readings <= 8) whileThrottled.push({ busy: p.workersBusy, intakePaused: p.intakePaused });
        else if (readings > 8) busiestAfter = Math.max(busiestAfter, p.workersBusy);
      },
    });
    const summary = await engine.ingest([folder]);
    expect(summary.jobs).toMatchObject({ total: 8, done: 8, quarantined: 0 });
    expect(summary.pages.total).toBe(24);

    // The first reading over budget took the pool from 2 pages to 1 and held intake; the ones after it
    // could take no more (one page always runs). The first reading under gave the second page back.
    expect(events(engine, 'pool.throttled')).toEqual([
      { from: 2, to: 1, rssMb: 1500, availableMb: 6000, budgetRssMb: 1000, minAvailableMb: 500, intakeHeld: true },
    ]);
    expect(events(engine, 'pool.restored')).toEqual([
      { from: 1, to: 2, rssMb: 300, availableMb: 6000, budgetRssMb: 1000, minAvailableMb: 500, intakeHeld: false },
    ]);
    expect(whileThrottled.length).toBeGreaterThan(0);
    expect(Math.max(...whileThrottled.map((s) => s.busy))).toBe(1);
    expect(whileThrottled.every((s) => s.intakePaused)).toBe(true);
    expect(busiestAfter).toBe(2);
  });
});

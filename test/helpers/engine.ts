import { Engine, type EngineOptions } from '../../src/core/index.js';
import { scriptedOcr, tempDir } from './fixtures.js';
import { afterEach } from 'vitest';

const open: Engine[] = [];
afterEach(async () => {
  while (open.length) await open.pop()!.close();
});

/**
 * An engine on a fresh data dir (or the given one), closed after the test. By default its pool threads
 * run the scripted OCR adapter (fast, deterministic) over real decoding; pass `ocrAdapterModule` or
 * `realOcr: true` for tesseract.js.
 */
export function testEngine(options: Partial<EngineOptions> & { realOcr?: boolean } = {}): Engine {
  const { realOcr, ...rest } = options;
  const engine = Engine.open({
    dataDir: options.dataDir ?? tempDir('custodian-data-'),
    ocrAdapterModule: realOcr ? undefined : scriptedOcr(),
    ...rest,
  });
  open.push(engine);
  return engine;
}

/** Rows of a query, for assertions on what the engine stored. */
export function rows<T = Record<string, unknown>>(engine: Engine, sql: string, ...args: unknown[]): T[] {
  return engine.db.prepare(sql).all(...args) as T[];
}

/** Ledger events of one type, payloads parsed. */
export function events(engine: Engine, type: string): Record<string, unknown>[] {
  return rows<{ payload: string }>(engine, 'SELECT payload FROM ledger WHERE type = ? ORDER BY seq', type).map(
    (r) => JSON.parse(r.payload) as Record<string, unknown>,
  );
}

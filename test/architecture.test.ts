import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { REPO } from './helpers/fixtures.js';
import { EVENT_CATALOGUE, type EventInfo } from '../src/core/ledger/index.js';

/** The layer table of the architecture guide, enforced by the lint config CI runs. */
describe('layer boundaries (eslint)', () => {
  const eslint = new ESLint({ cwd: REPO });
  const violations = async (filePath: string, code: string): Promise<string[]> => {
    const [result] = await eslint.lintText(code, { filePath });
    return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
  };

  it.each(['src/core/probe.ts', 'src/cli/probe.ts', 'src/bridge/probe.ts', 'workers/probe.ts'])(
    '%s may not import electron or the app folders',
    async (file) => {
      const found = await violations(
        file,
        `import { app } from 'electron';\nimport { x } from '../main/index.js';\nimport { y } from '../../src/renderer/App.js';\nexport const z = [app, x, y];\n`, // repo-paths: probe
      );
      expect(found).toHaveLength(3);
    },
  );

  it('the renderer may not import Node or the engine', async () => {
    expect(
      await violations('src/renderer/probe.ts', `import fs from 'node:fs';\nimport { Engine } from '../core/index.js';\nexport const z = [fs, Engine];\n`),
    ).toHaveLength(2);
  });

  it('shared holds types and zod only', async () => {
    expect(await violations('src/shared/probe.ts', `import { z } from 'zod';\nimport path from 'node:path';\nexport const q = [z, path];\n`)).toHaveLength(1);
  });

  it('thread-side extract/ may not import the database, the ledger or the queue', async () => {
    const found = await violations(
      'src/core/extract/probe.ts',
      `import { openDatabase } from '../store/index.js';\nimport { appendEvent } from '../ledger/index.js';\nimport { leaseNextJob } from '../queue/index.js';\nexport const z = [openDatabase, appendEvent, leaseNextJob];\n`,
    );
    expect(found).toHaveLength(3);
    expect(await violations('src/core/extract/probe.ts', `import { laneFor } from '../sensitive/detect.js';\nexport const z = laneFor;\n`)).toEqual([]);
  });

  it('an engine folder is imported through its index.ts', async () => {
    expect(
      await violations(
        'src/core/intake/probe.ts',
        `import { prepared } from '../store/prepared.js';\nimport { openDatabase } from '../store/index.js';\nexport const z = [prepared, openDatabase];\n`,
      ),
    ).toHaveLength(1);
    expect(await violations('src/core/probe.ts', `import { hashFile } from './intake/hash-file.js';\nexport const z = hashFile;\n`)).toHaveLength(1);
  });

  it('the Electron shell may import electron and the engine', async () => {
    expect(
      await violations('src/main/probe.ts', `import { app } from 'electron';\nimport { Engine } from '../core/index.js';\nexport const z = [app, Engine];\n`),
    ).toEqual([]);
  });
});

/** Which engine folders each engine folder imports (type imports included). */
function folderGraph(): Map<string, Set<string>> {
  const core = path.join(REPO, 'src', 'core');
  const graph = new Map<string, Set<string>>();
  for (const entry of readdirSync(core, { recursive: true, encoding: 'utf8' })) {
    const from = entry.split(path.sep)[0]!;
    if (!entry.endsWith('.ts') || entry.endsWith('.test.ts') || !entry.includes(path.sep)) continue;
    for (const [, spec] of readFileSync(path.join(core, entry), 'utf8').matchAll(/from '(\.[^']+)'/gu)) {
      const target = path.relative(core, path.resolve(core, path.dirname(entry), spec!)).split(path.sep);
      if (target.length < 2 || target[0] === '..' || target[0] === from) continue;
      graph.set(from, (graph.get(from) ?? new Set()).add(target[0]!));
    }
  }
  return graph;
}

describe('engine folders', () => {
  it('import each other one way only (no folder imports a folder that imports it back)', () => {
    const graph = folderGraph();
    const mutual = [...graph].flatMap(([a, deps]) => [...deps].filter((b) => graph.get(b)?.has(a)).map((b) => `${a} <-> ${b}`));
    expect(mutual).toEqual([]);
    expect(graph.get('intake')).toContain('custody');
  });
});

describe('docs/architecture.md', () => {
  it('lists exactly the ledger events of the catalogue (src/core/ledger/events.ts), as it describes them', () => {
    const doc = readFileSync(path.join(REPO, 'docs', 'architecture.md'), 'utf8');
    const listed = doc
      .slice(doc.indexOf('<!-- events:start -->') + 21, doc.indexOf('<!-- events:end -->'))
      .trim()
      .split('\n');
    const expected = Object.entries(EVENT_CATALOGUE as Record<string, EventInfo>).map(
      ([type, info]) => `- \`${type}\`${info.oncePer ? ` (once per \`${info.oncePer}\`)` : ''}: ${info.about}`,
    );
    // On a change to the catalogue, paste these lines between the markers.
    expect(listed).toEqual(expected);
  });
});

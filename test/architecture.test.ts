import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { REPO } from './helpers/fixtures.js';

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

  it('the Electron shell may import electron and the engine', async () => {
    expect(
      await violations('src/main/probe.ts', `import { app } from 'electron';\nimport { Engine } from '../core/index.js';\nexport const z = [app, Engine];\n`),
    ).toEqual([]);
  });
});

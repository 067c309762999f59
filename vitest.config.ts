import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defineConfig } from 'vitest/config';

// Database key files go to the user's config folder (see src/core/store/db-key.ts): tests keep theirs in a
// folder of their own, never in the home of whoever runs them.
const configHome = mkdtempSync(path.join(os.tmpdir(), 'custodian-test-config-'));

/**
 * Two projects, so the edit–test loop stays fast:
 * - `unit`: the `*.test.ts` files beside the code under `src/`. No build, no global setup
 *   (`npx vitest run --project unit` takes seconds).
 * - `integration`: `test/`, which spawns the compiled CLI and the UI bridge, so `dist/` is built once first.
 * `npm test` (and a bare `vitest run`) runs both.
 */
export default defineConfig({
  test: {
    env: { XDG_CONFIG_HOME: configHome },
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Crash tests spawn real CLI processes; two cores here, so do not oversubscribe.
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'unit', include: ['src/**/*.test.ts'] } },
      { extends: true, test: { name: 'integration', include: ['test/**/*.test.ts'], globalSetup: ['test/global-setup.ts'] } },
    ],
  },
});

import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defineConfig } from 'vitest/config';

// Database key files go to the user's config folder (see src/core/store/db-key.ts): tests keep theirs in a
// folder of their own, never in the home of whoever runs them.
const configHome = mkdtempSync(path.join(os.tmpdir(), 'custodian-test-config-'));

/** The long hardening suites (`npm run test:crash`, `test:fuzz`, `test:soak`): run one at a time, by name. */
export default defineConfig({
  test: {
    env: { XDG_CONFIG_HOME: configHome },
    include: ['test/suites/**/*.suite.ts'],
    testTimeout: 3_600_000,
    hookTimeout: 600_000,
    fileParallelism: false,
    globalSetup: ['test/global-setup.ts'],
  },
});

import { defineConfig } from 'vitest/config';

/** The long hardening suites (`npm run test:crash`, `test:fuzz`, `test:soak`): run one at a time, by name. */
export default defineConfig({
  test: {
    include: ['test/suites/**/*.suite.ts'],
    testTimeout: 3_600_000,
    hookTimeout: 600_000,
    fileParallelism: false,
    globalSetup: ['test/global-setup.ts'],
  },
});

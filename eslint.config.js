// Lint: typescript-eslint's recommended rules, plus the layer table of the architecture guide as import
// restrictions (the engine, CLI and workers never see Electron or the app folders; the renderer sees only
// shared types). Inside the engine, a folder is used through its index.ts, and the thread-side extract/
// never sees the database, the ledger or the queue.
import tseslint from 'typescript-eslint';

const electron = { group: ['electron', 'electron/*'], message: 'The engine, CLI and workers run without Electron.' };
const appFolders = {
  group: ['**/main/**', '**/preload/**', '**/renderer/**', '**/main', '**/preload', '**/renderer'],
  message: 'Only the Electron shell may depend on the app folders.',
};

// A folder of src/core is reached through its index.ts. sensitive/detect.ts is the thread-side entry of
// sensitive/ (pure detectors), for extract/, whose threads must not load the stores. extract/thread.ts is
// extract/'s thread side (pdf.js, tesseract.js, native image decoders), kept out of its index.ts so the
// engine and the Electron main bundle do not load them.
const throughIndex = {
  group: ['../*/*.js', '!../*/index.js', '!../shared/*.js', '!../extract/thread.js', './*/*.js', '!./*/index.js'],
  message: 'Import another engine folder through its index.ts.',
};
const throughIndexOrDetect = { ...throughIndex, group: [...throughIndex.group, '!../sensitive/detect.js'] };
const threadSide = {
  group: ['**/store', '**/store/**', '**/ledger', '**/ledger/**', '**/queue', '**/queue/**', '**/sensitive/index.js', '**/dispatch', '**/dispatch/**'],
  message: 'extract/ runs in pool threads: it may not use the database, the ledger or the queue (sensitive/: import ./detect.js).',
};

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.demo-data/**', 'test-artifacts/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['src/cli/**', 'src/bridge/**', 'workers/**', 'bench/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [electron, appFolders] }] },
  },
  {
    files: ['src/core/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [electron, appFolders, throughIndex] }] },
  },
  {
    files: ['src/core/extract/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [electron, appFolders, throughIndexOrDetect, threadSide] }] },
  },
  {
    files: ['src/shared/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [electron, appFolders, { group: ['node:*', '**/core/**', '**/cli/**'], message: 'src/shared holds types and zod schemas only.' }] },
      ],
    },
  },
  {
    files: ['src/renderer/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            electron,
            { group: ['node:*', '**/core/**', '**/cli/**', '**/main/**', '**/preload/**'], message: 'The renderer talks only to window.custodian.' },
          ],
        },
      ],
    },
  },
);

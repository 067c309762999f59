// Lint: typescript-eslint's recommended rules, plus the layer table of the architecture guide as import
// restrictions (the engine, CLI and workers never see Electron or the app folders; the renderer sees only
// shared types).
import tseslint from 'typescript-eslint';

const electron = { group: ['electron', 'electron/*'], message: 'The engine, CLI and workers run without Electron.' };
const appFolders = {
  group: ['**/main/**', '**/preload/**', '**/renderer/**', '**/main', '**/preload', '**/renderer'],
  message: 'Only the Electron shell may depend on the app folders.',
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
    files: ['src/core/**', 'src/cli/**', 'src/bridge/**', 'workers/**', 'bench/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [electron, appFolders] }] },
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

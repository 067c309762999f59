import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';
import { resolve } from 'node:path';

export default defineConfig({
  main: {
    build: { rollupOptions: { input: resolve(import.meta.dirname, 'src/main/index.ts') } },
  },
  preload: {
    // A sandboxed preload cannot load ES modules or npm packages: one CommonJS bundle.
    build: { rollupOptions: { input: resolve(import.meta.dirname, 'src/preload/index.ts'), output: { format: 'cjs', entryFileNames: '[name].cjs' } } },
  },
  renderer: {
    root: resolve(import.meta.dirname, 'src/renderer'),
    build: { rollupOptions: { input: resolve(import.meta.dirname, 'src/renderer/index.html') } },
    plugins: [react()],
  },
});

import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      // The audit index runs in a worker thread: its entry is bundled next to main's.
      lib: {
        entry: {
          index: resolve(__dirname, 'main/index.ts'),
          'audit-worker': resolve(__dirname, 'app/audit/audit-worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // A sandboxed preload is one CommonJS file with everything it needs inlined.
      externalizeDeps: false,
      isolatedEntries: true,
      lib: { entry: resolve(__dirname, 'preload/index.ts'), formats: ['cjs'] },
      rollupOptions: { output: { entryFileNames: 'index.cjs' } },
    },
  },
  renderer: {
    root: resolve(__dirname, 'renderer'),
    base: './',
    plugins: [react()],
    build: {
      outDir: resolve(__dirname, 'out/renderer'),
      rollupOptions: { input: resolve(__dirname, 'renderer/index.html') },
    },
  },
});

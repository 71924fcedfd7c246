import { defineConfig } from 'vitest/config';
import path from 'node:path';

export default defineConfig({
  resolve: {
    // Plain Node cannot load the real electron package (it tries to download the runtime), so
    // main/shell is tested against a mock with the same surface. See test/mocks/electron.ts.
    alias: { electron: path.resolve(import.meta.dirname, 'test/mocks/electron.ts') },
  },
  test: {
    include: ['shared/**/*.test.ts', 'main/**/*.test.ts', 'server/**/*.test.ts', 'cli/**/*.test.ts', 'renderer/**/*.test.ts', 'renderer/**/*.test.tsx', 'test/**/*.test.ts'],
    exclude: ['test/e2e/**', 'node_modules/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Builds the bin's bundles once for the run (see the file): ~25 files run the real `conn`.
    globalSetup: ['test/global-setup.ts'],
  },
});

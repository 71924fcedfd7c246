import { defineConfig } from 'vitest/config';
import { availableParallelism } from 'node:os';
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
    // Vitest's default is one file at a time on 2 cores (cores - 1), and the other core then sits
    // idle: most of the time goes to `conn` processes and sockets that a test file waits on. Two
    // at once took the suite from 2194 s to 1349 s on the shared 2-core machine (docs/testing.md).
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // Builds the bin's bundles once for the run (see the file): ~25 files run the real `conn`.
    globalSetup: ['test/global-setup.ts'],
  },
});

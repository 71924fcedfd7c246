import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/*
 * The renderer is built once and served by two hosts: Electron's app:// protocol and `conn web`
 * over http. A relative base keeps asset URLs valid under both.
 */
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    // The polyfill would be an inline script, which the CSP forbids; Chromium needs none.
    modulePreload: { polyfill: false },
    sourcemap: true,
    // One bundle, loaded from disk or loopback: splitting would buy nothing but requests.
    chunkSizeWarningLimit: 1500,
  },
});

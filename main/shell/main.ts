import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { shellPaths, startShell } from './shell-app.js';

// The Electron main process entry, bundled to dist/shell/main.js (package.json "main").
startShell(shellPaths(path.dirname(fileURLToPath(import.meta.url))));

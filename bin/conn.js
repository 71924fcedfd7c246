#!/usr/bin/env node
// The `conn` command. It loads the esbuild bundle made by `npm install` (the prepare script),
// so a terminal gets a single small file to parse and starts in well under a second.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const bundle = fileURLToPath(new URL('../dist/cli/conn.js', import.meta.url));
if (!existsSync(bundle)) {
  console.error('conn: not built yet; run `npm install` (or `npm run build:node`) in the Conn checkout');
  process.exit(1);
}
await import(pathToFileURL(bundle).href);

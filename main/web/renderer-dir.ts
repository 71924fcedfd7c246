import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Finds the built renderer: dist/renderer beside the running bundle (dist/cli/conn.js) or in
 * any folder above this file (when run from source with tsx). CONN_RENDERER_DIR overrides.
 */
export function findRendererDir(from: string = path.dirname(fileURLToPath(import.meta.url)), env: NodeJS.ProcessEnv = process.env): string | null {
  if (env['CONN_RENDERER_DIR']) return path.resolve(env['CONN_RENDERER_DIR']);
  let dir = from;
  for (;;) {
    for (const candidate of [path.join(dir, 'renderer'), path.join(dir, 'dist', 'renderer')]) {
      // A source renderer/ has index.html too; only a built one has assets/.
      if (existsSync(path.join(candidate, 'index.html')) && existsSync(path.join(candidate, 'assets'))) return candidate;
    }
    const up = path.dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
}

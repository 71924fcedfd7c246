import type { Core } from '../main/core/open.js';
import type { GlobalOptions } from './context.js';

/**
 * Opens the core for one command and always closes it. The import is dynamic so `conn --help`
 * and argument errors never load the native SQLite module.
 */
export async function withCore<T>(g: GlobalOptions, fn: (core: Core) => T | Promise<T>): Promise<T> {
  const { openCore } = await import('../main/core/open.js');
  const core = openCore({ dataDir: g.dataDir });
  try {
    return await fn(core);
  } finally {
    await core.close();
  }
}

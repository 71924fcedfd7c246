import type { Command } from 'commander';
import { ConnError } from '../shared/domain/errors.js';
import { defaultDataDir } from '../main/core/paths.js';

/** Global options, valid before or after the command name. */
export interface GlobalOptions {
  dataDir: string;
  json: boolean;
}

export function globalsOf(cmd: Command): GlobalOptions {
  const o = cmd.optsWithGlobals() as { dataDir?: string; json?: boolean };
  return { dataDir: o.dataDir ?? defaultDataDir(), json: Boolean(o.json) };
}

/** Prints a result: JSON for scripts, the human text otherwise. */
export function output(g: GlobalOptions, json: unknown, human: () => string): void {
  if (g.json) process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
  else {
    const text = human();
    if (text) process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  }
}

/** Stops the command with a one-line error and a non-zero exit; nothing has been written. */
export function fail(code: ConnError['code'], message: string): never {
  throw new ConnError(code, message);
}

/** Whether to draw progress: only for a person at a terminal, never into a pipe or --json. */
export function showProgress(g: GlobalOptions): boolean {
  return !g.json && Boolean(process.stderr.isTTY);
}

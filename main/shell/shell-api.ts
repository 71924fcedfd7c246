import { SHELL_METHOD_NAMES, type ShellMethod } from '../../shared/api/bridge.js';
import type { ShellNotification } from '../../shared/api/contract.js';

/*
 * Names shared by the main process and the preload. Kept free of zod and Node so the
 * sandboxed preload bundle stays small; the schemas live in ipc-channels.ts.
 */

/** main → preload: the renderer's end of a MessageChannelMain to the core process. */
export const CORE_PORT_CHANNEL = 'core-port';
/** main → preload: a ShellNotification (deep link, quick-note hotkey). */
export const SHELL_EVENT_CHANNEL = 'conn:shell-event';

export function isShellMethod(method: unknown): method is ShellMethod {
  return typeof method === 'string' && (SHELL_METHOD_NAMES as readonly string[]).includes(method);
}

/** The envelope every shell IPC handler resolves to: errors travel as values, not as throws. */
export type IpcResult = { ok: true; result: unknown } | { ok: false; error: { code: string; message: string } };

const REF = /^INC-[0-9A-HJKMNP-TV-Z]{6}$/;

/** Checks what main sends before the preload forwards it to the page. */
export function isShellNotification(x: unknown): x is ShellNotification {
  if (typeof x !== 'object' || x === null) return false;
  const o = x as Record<string, unknown>;
  if (o['type'] === 'quick-note') return Object.keys(o).length === 1;
  return o['type'] === 'open-incident' && typeof o['ref'] === 'string' && REF.test(o['ref']) && Object.keys(o).length === 2;
}

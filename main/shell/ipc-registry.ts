import type { IpcMainInvokeEvent } from 'electron';
import { z } from 'zod';
import { ConnError, describeZodIssue } from '../../shared/domain/errors.js';
import { isAppUrl } from './navigation.js';
import type { IpcResult } from './shell-api.js';

/*
 * Every ipcMain handler goes through here, so none can forget the two checks: the call comes
 * from our own app:// top-level frame (not an iframe, not a page that navigated elsewhere),
 * and its payload is within the size limit and parses with the channel's schema. Only then
 * does the handler run. Failures resolve to { ok: false, error } with a sentence to act on.
 */

export interface ChannelSpec<S extends z.ZodType = z.ZodType> {
  schema: S;
  /** Largest accepted payload, as JSON bytes. */
  maxBytes: number;
  handler: (params: z.output<S>, event: IpcMainInvokeEvent) => unknown;
}

/** Keeps the schema's type attached to the handler's params at the definition site. */
export function defineChannel<S extends z.ZodType>(spec: ChannelSpec<S>): ChannelSpec<S> {
  return spec;
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

/** Why a sender is refused, or null when it is our top-level app:// frame. */
export function senderProblem(event: Pick<IpcMainInvokeEvent, 'senderFrame'>): string | null {
  const frame = event.senderFrame;
  if (!frame) return 'the calling frame is gone';
  if (frame.parent) return 'only the top-level frame may call the shell';
  if (!isAppUrl(frame.url)) return `the caller is not the Conn window (${String(frame.url).slice(0, 80)})`;
  return null;
}

function byteLength(value: unknown): number {
  if (value === undefined) return 0;
  try {
    return Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8');
  } catch {
    return Number.POSITIVE_INFINITY; // cycles or BigInt: not something a renderer should send
  }
}

function failure(code: string, message: string): IpcResult {
  return { ok: false, error: { code, message } };
}

export async function runChannel(name: string, spec: ChannelSpec, event: IpcMainInvokeEvent, payload: unknown): Promise<IpcResult> {
  const problem = senderProblem(event);
  if (problem) return failure('forbidden', `${name} refused: ${problem}.`);
  if (byteLength(payload) > spec.maxBytes) return failure('too-large', `${name} refused: the request is larger than ${spec.maxBytes} bytes.`);
  const parsed = spec.schema.safeParse(payload ?? {});
  if (!parsed.success) return failure('invalid-input', `${name}: ${describeZodIssue(parsed.error.issues)}.`);
  try {
    return { ok: true, result: (await spec.handler(parsed.data, event)) ?? null };
  } catch (err) {
    if (err instanceof ConnError) return failure(err.code, err.message);
    return failure('internal', `${name} failed in the desktop shell: ${err instanceof Error ? err.message : String(err)}`);
  }
}

export interface IpcRegistry {
  register(name: string, spec: ChannelSpec): void;
  names(): string[];
  dispose(): void;
}

export function createIpcRegistry(ipcMain: IpcMainLike): IpcRegistry {
  const channels = new Map<string, ChannelSpec>();
  return {
    register(name, spec) {
      if (channels.has(name)) throw new Error(`IPC channel ${name} is registered twice`);
      channels.set(name, spec);
      // One payload argument: extra arguments are a caller we did not write.
      ipcMain.handle(name, (event, ...args) =>
        args.length > 1 ? failure('invalid-input', `${name}: expected one argument.`) : runChannel(name, spec, event, args[0]),
      );
    },
    names: () => [...channels.keys()],
    dispose() {
      for (const name of channels.keys()) ipcMain.removeHandler(name);
      channels.clear();
    },
  };
}

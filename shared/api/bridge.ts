import { LIMITS } from '../domain/limits.js';

/**
 * What the Electron preload exposes to the window as `window.connBridge`, and what the browser
 * build emulates over a WebSocket. Both carry the same JSON strings: RpcRequest one way,
 * RpcResponse and CoreNotification the other (see contract.ts). Never raw ipcRenderer.
 */
export interface ConnBridge {
  send(message: string): void;
  onMessage(listener: (message: string) => void): () => void;
  /** 'electron' in the desktop app; the browser host has no bridge and uses a WebSocket. */
  readonly host: 'electron';
}

declare global {
  interface Window {
    connBridge?: ConnBridge;
  }
}

/*
 * Values the preload needs, kept here rather than in contract.ts so the sandboxed preload
 * bundle does not pull in zod (contract.ts re-exports them).
 */

/** The largest message either transport accepts, after which it refuses without parsing. */
export const MAX_RPC_BYTES = LIMITS.eventBytes + 16 * 1024;

/** Methods the Electron shell answers itself; see the shell section of contract.ts. */
export const SHELL_METHOD_NAMES = [
  'shell.appInfo',
  'shell.openExternal',
  'shell.setHubToken',
  'shell.clearHubToken',
  'shell.restartToUpdate',
  'shell.systemAudio',
  'shell.armSystemAudio',
] as const;
export type ShellMethod = (typeof SHELL_METHOD_NAMES)[number];

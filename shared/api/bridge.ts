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

/**
 * How the renderer reaches the core: JSON strings both ways (contract.ts). Electron hands us
 * `window.connBridge`; the browser build opens a WebSocket to `conn web`. The RPC client does
 * not know which it has.
 */
export interface Transport {
  send(message: string): void;
  onMessage(listener: (message: string) => void): () => void;
  /** Called with true when the core is reachable and false when it is not. */
  onConnection(listener: (connected: boolean) => void): () => void;
  readonly connected: boolean;
  close(): void;
  /**
   * Drops a message that is still queued, never sent; true if it was. The RPC client withdraws a
   * call it has given up on, so a note the person was told did not go through is not appended
   * when the connection comes back (and again when they press Add a second time).
   */
  withdraw?(message: string): boolean;
}

/** Electron: the preload's bridge is always connected to the core process. */
export function bridgeTransport(bridge: NonNullable<Window['connBridge']>): Transport {
  return {
    send: (m) => bridge.send(m),
    onMessage: (l) => bridge.onMessage(l),
    onConnection: (l) => {
      l(true);
      return () => {};
    },
    connected: true,
    close: () => {},
  };
}

import { windowClient, type WindowClient } from './rpc-client.js';
import { bridgeTransport, type Transport } from './transport.js';
import { socketUrl, takeToken, websocketTransport } from './websocket-transport.js';

let client: WindowClient | null = null;

/** Picks the transport for this host: the Electron bridge when present, else the WebSocket. */
export function connect(): WindowClient {
  const transport: Transport = window.connBridge
    ? bridgeTransport(window.connBridge)
    : websocketTransport(socketUrl(window.location, takeToken()));
  client = windowClient(transport);
  return client;
}

/** The one client of this window; stores call through it. */
export function rpc(): WindowClient {
  if (!client) throw new Error('the RPC client is used before connect()');
  return client;
}

import { RpcClient } from './rpc-client.js';
import { bridgeTransport, type Transport } from './transport.js';
import { socketUrl, takeToken, websocketTransport } from './websocket-transport.js';

let client: RpcClient | null = null;

/** Picks the transport for this host: the Electron bridge when present, else the WebSocket. */
export function connect(): RpcClient {
  const transport: Transport = window.connBridge
    ? bridgeTransport(window.connBridge)
    : websocketTransport(socketUrl(window.location, takeToken()));
  client = new RpcClient(transport);
  return client;
}

/** The one client of this window; stores call through it. */
export function rpc(): RpcClient {
  if (!client) throw new Error('the RPC client is used before connect()');
  return client;
}

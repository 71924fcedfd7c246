import { MAX_RPC_BYTES, RpcRequestSchema, type CoreNotification, type RpcError, type RpcResponse } from '../../../shared/api/contract.js';
import { ConnError } from '../../../shared/domain/errors.js';
import type { Core } from '../open.js';
import { callMethod } from './handlers.js';

export interface RpcServer {
  /** One request in, one response out, both JSON strings. Never throws. */
  handle(raw: string): Promise<string>;
  /** Core notifications to push to the client. Returns the unsubscribe function. */
  onNotification(listener: (n: CoreNotification) => void): () => void;
}

/**
 * The transport-agnostic server side of the API contract: the Electron utilityProcess serves
 * it over a MessagePort and `conn web` over a WebSocket. Whatever arrives, the answer is an
 * RpcResponse; an internal failure is reported by code, never as a stack trace.
 */
export function createRpcServer(core: Core, log: (err: unknown) => void = () => {}): RpcServer {
  return {
    async handle(raw) {
      // Measure before parsing: a 100 MB string must not be walked by JSON.parse.
      if (raw.length > MAX_RPC_BYTES || Buffer.byteLength(raw, 'utf8') > MAX_RPC_BYTES) {
        return respond({ id: 0, error: { code: 'too-large', message: `request is larger than ${Math.round(MAX_RPC_BYTES / 1024)} KiB` } });
      }
      let json: unknown;
      try {
        json = JSON.parse(raw);
      } catch {
        return respond({ id: 0, error: { code: 'invalid-input', message: 'request is not valid JSON' } });
      }
      const req = RpcRequestSchema.safeParse(json);
      if (!req.success) {
        const id = typeof (json as { id?: unknown })?.id === 'number' ? (json as { id: number }).id : 0;
        return respond({ id, error: { code: 'invalid-input', message: 'request must be { id, method, params }' } });
      }
      try {
        const result = await callMethod(core, req.data.method, req.data.params);
        return respond({ id: req.data.id, result: result ?? null });
      } catch (err) {
        return respond({ id: req.data.id, error: toRpcError(err, log) });
      }
    },
    onNotification(listener) {
      return core.bus.on(listener);
    },
  };
}

export function toRpcError(err: unknown, log: (err: unknown) => void = () => {}): RpcError {
  if (err instanceof ConnError) return { code: err.code, message: err.message };
  log(err);
  return { code: 'internal', message: 'the core failed to handle this request; see the log for details' };
}

function respond(r: RpcResponse): string {
  return JSON.stringify(r);
}

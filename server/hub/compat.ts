import {
  HUB_MIN_CLIENT_PROTOCOL,
  HUB_PROTOCOL_VERSION,
  ProtocolVersionSchema,
  UNVERSIONED_PROTOCOL,
  isHubFailure,
  type HubErrorCode,
  type HubErrorData,
  type PushAck,
} from '../../shared/sync/protocol.js';

/*
 * Protocol versions on the hub's side (the rules are in shared/sync/protocol.ts). The hub
 * decides compatibility once, at connect, before it looks at the token, and from then on speaks
 * each client its own version: a hub that accepts protocol-1 clients must never send one a code
 * protocol 1 cannot read. That is not cosmetic: a protocol-1 client parses a push ack against
 * the codes it knows, so one rejection coded 'not-found' would fail the whole ack, and it would
 * push the same events again forever.
 */

export interface ProtocolRange {
  /** The version this hub speaks: HUB_PROTOCOL_VERSION (tests may pretend to be newer). */
  speaks: number;
  /** The oldest client version it serves. */
  minClient: number;
}

export function protocolRange(opts: { protocolVersion?: number | undefined; minClientProtocol?: number | undefined }): ProtocolRange {
  const speaks = opts.protocolVersion ?? HUB_PROTOCOL_VERSION;
  const minClient = opts.minClientProtocol ?? HUB_MIN_CLIENT_PROTOCOL;
  if (minClient > speaks) throw new Error(`a hub that speaks protocol ${speaks} cannot require clients to speak ${minClient}`);
  return { speaks, minClient };
}

/**
 * The client's protocol from its handshake `auth` (none means 1), or why it is refused: the
 * sentence names the side that must be upgraded, since retrying cannot help either of them.
 */
export type ProtocolCheck = { protocol: number } | { refused: HubErrorData; upgrade: 'conn' | 'hub' };

export function clientProtocol(range: ProtocolRange, auth: unknown): ProtocolCheck {
  const raw = typeof auth === 'object' && auth !== null ? (auth as { protocol?: unknown }).protocol : undefined;
  if (raw === undefined) return checkRange(range, UNVERSIONED_PROTOCOL);
  const parsed = ProtocolVersionSchema.safeParse(raw);
  if (!parsed.success) {
    return {
      refused: { code: 'incompatible', message: `this hub speaks protocol ${range.speaks} and cannot read the protocol version your Conn sent: upgrade the hub, or use a Conn release from the same time as the hub` },
      upgrade: 'hub',
    };
  }
  return checkRange(range, parsed.data);
}

function checkRange(range: ProtocolRange, client: number): ProtocolCheck {
  if (client > range.speaks) {
    return { refused: { code: 'incompatible', message: `this hub speaks protocol ${range.speaks} and your Conn speaks ${client}: upgrade the hub` }, upgrade: 'hub' };
  }
  if (client < range.minClient) {
    const serves = range.minClient === range.speaks ? `only ${range.speaks}` : `${range.minClient} to ${range.speaks}`;
    return { refused: { code: 'incompatible', message: `this hub speaks protocol ${range.speaks} (it serves ${serves}) and your Conn speaks ${client}: upgrade Conn` }, upgrade: 'conn' };
  }
  return { protocol: client };
}

/**
 * What each code protocol 1 cannot read becomes for a protocol-1 client. The sentence is kept:
 * the person still reads the real reason.
 *  - 'not-found': protocol 1 refused a write to another team's incident as 'forbidden'.
 *  - 'rate-limited': protocol 1 has no retryAfterMs; 'unavailable' makes it retry after a pause,
 *    keeping every event, which is what 'rate-limited' asks for.
 * 'incompatible' is sent only at connect, where protocol 1 reads any coded refusal as final and
 * shows its sentence, which is right.
 */
const FOR_PROTOCOL_1: Partial<Record<HubErrorCode, HubErrorCode>> = {
  'not-found': 'forbidden',
  'rate-limited': 'unavailable',
};

/** A refusal (of a connection or a request) in the client's version. */
export function errorFor(protocol: number, error: HubErrorData): HubErrorData {
  if (protocol >= 2) return error;
  const code = FOR_PROTOCOL_1[error.code];
  return code ? { code, message: error.message } : error;
}

/** Any ack in the client's version: failures and push rejections get codes it can read. */
export function ackFor(protocol: number, ack: unknown): unknown {
  if (protocol >= 2) return ack;
  if (isHubFailure(ack)) return { error: errorFor(protocol, ack.error) };
  if (isPushAck(ack)) {
    return { ...ack, rejected: ack.rejected.map((r) => ({ ...r, code: errorFor(protocol, { code: r.code, message: r.message }).code })) };
  }
  return ack;
}

function isPushAck(ack: unknown): ack is PushAck {
  return typeof ack === 'object' && ack !== null && Array.isArray((ack as { rejected?: unknown }).rejected) && Array.isArray((ack as { accepted?: unknown }).accepted);
}

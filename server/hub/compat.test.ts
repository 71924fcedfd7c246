import { describe, expect, it } from 'vitest';
import { ackFor, clientProtocol, errorFor, protocolRange } from './compat.js';

/* Speaking each client its own protocol version: the pure rules the hub applies at connect and on every ack. */

describe('which clients a hub serves', () => {
  const range = protocolRange({});
  it('reads a handshake without a version as protocol 1, and serves 1 and 2', () => {
    expect(clientProtocol(range, { token: 't' })).toEqual({ protocol: 1 });
    expect(clientProtocol(range, { token: 't', protocol: 1 })).toEqual({ protocol: 1 });
    expect(clientProtocol(range, { token: 't', protocol: 2 })).toEqual({ protocol: 2 });
    expect(clientProtocol(range, undefined)).toEqual({ protocol: 1 });
  });

  it('names the side to upgrade', () => {
    expect(clientProtocol(range, { protocol: 3 })).toMatchObject({ upgrade: 'hub', refused: { code: 'incompatible', message: expect.stringMatching(/upgrade the hub$/) as unknown } });
    expect(clientProtocol(protocolRange({ protocolVersion: 4, minClientProtocol: 2 }), { protocol: 1 })).toMatchObject({
      upgrade: 'conn',
      refused: { message: 'this hub speaks protocol 4 (it serves 2 to 4) and your Conn speaks 1: upgrade Conn' },
    });
    for (const protocol of [0, -1, 1.5, '2', null]) expect(clientProtocol(range, { protocol })).toMatchObject({ upgrade: 'hub' });
  });
});

describe('answers for a protocol-1 client', () => {
  it('turns the codes protocol 1 cannot read into ones it can, keeping the sentence', () => {
    expect(errorFor(1, { code: 'not-found', message: 'no incident INC-X in this team' })).toEqual({ code: 'forbidden', message: 'no incident INC-X in this team' });
    expect(errorFor(1, { code: 'rate-limited', message: 'slow down', retryAfterMs: 500 })).toEqual({ code: 'unavailable', message: 'slow down' });
    expect(errorFor(1, { code: 'conflict', message: 'c' })).toEqual({ code: 'conflict', message: 'c' });
    expect(ackFor(1, { error: { code: 'rate-limited', message: 'slow down', retryAfterMs: 500 } })).toEqual({ error: { code: 'unavailable', message: 'slow down' } });
    expect(ackFor(1, { accepted: [{ id: 'a', seq: 1 }], rejected: [{ id: 'b', code: 'not-found', message: 'm' }], head: 1 })).toEqual({
      accepted: [{ id: 'a', seq: 1 }],
      rejected: [{ id: 'b', code: 'forbidden', message: 'm' }],
      head: 1,
    });
  });

  it('leaves answers for protocol 2 as they are', () => {
    const ack = { error: { code: 'rate-limited', message: 'slow down', retryAfterMs: 500 } };
    expect(ackFor(2, ack)).toBe(ack);
  });
});

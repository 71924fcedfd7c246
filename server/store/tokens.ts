import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';

/*
 * Member tokens: "conn_<memberId>_<secret>". The member id makes lookup one indexed read; the
 * secret is 32 random bytes and only its salted SHA-256 is stored, so a copy of the hub's
 * database does not let anyone connect.
 */

const PREFIX = 'conn_';
/** Alert integrations' tokens (server/alerts/): the same shape, told apart by their prefix. */
export const INTEGRATION_TOKEN_PREFIX = 'conni_';

export interface MintedToken {
  memberId: string;
  token: string;
  salt: string;
  hash: string;
}

export function hashSecret(salt: string, secret: string): string {
  return createHash('sha256').update(salt).update(':').update(secret).digest('hex');
}

export function mintToken(memberId: string = randomUUID(), prefix = PREFIX): MintedToken {
  const secret = randomBytes(32).toString('base64url');
  const salt = randomBytes(16).toString('hex');
  return { memberId, token: `${prefix}${memberId}_${secret}`, salt, hash: hashSecret(salt, secret) };
}

/** Splits a token into its member (or integration) id and secret, or null when it is not shaped like one. */
export function parseToken(token: string, prefix = PREFIX): { memberId: string; secret: string } | null {
  if (!token.startsWith(prefix)) return null;
  const m = /^([0-9a-f-]{36})_([A-Za-z0-9_-]{20,})$/.exec(token.slice(prefix.length));
  return m ? { memberId: m[1]!, secret: m[2]! } : null;
}

/** Constant-time check of a secret against a stored salt and hash. */
export function secretMatches(secret: string, salt: string, hash: string): boolean {
  const a = Buffer.from(hashSecret(salt, secret), 'hex');
  const b = Buffer.from(hash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

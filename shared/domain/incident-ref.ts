import { z } from 'zod';

/**
 * Crockford's base32: no I, L, O or U, so a reference read aloud on a bridge call cannot be
 * misheard as a digit. 6 symbols carry 30 random bits: among 10,000 incidents the chance of
 * any two sharing a reference is under 5%, and the id stays the real key (refs only resolve
 * to it), so a clash is an ambiguity the CLI reports, never a merged incident.
 */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const REF_PREFIX = 'INC-';
export const RefSchema = z.string().regex(/^INC-[0-9A-HJKMNP-TV-Z]{6}$/, 'a reference looks like INC-7KQ2XM');

/** Derives the reference from the random tail of the incident's UUIDv7, so every replica agrees. */
export function refFromId(id: string): string {
  const hex = id.replace(/-/g, '').slice(-8);
  let bits = Number.parseInt(hex, 16) >>> 0;
  let out = '';
  for (let i = 0; i < 6; i++) {
    out = ALPHABET[bits & 31] + out;
    bits = Math.floor(bits / 32);
  }
  return REF_PREFIX + out;
}

/** Normalises what a person typed: any case, O read as 0, I/L read as 1, the prefix optional. */
export function normaliseRef(input: string): string {
  const body = input
    .trim()
    .toUpperCase()
    .replace(/^INC-?/, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
  return REF_PREFIX + body;
}

import { createHmac, timingSafeEqual } from 'node:crypto';

/*
 * PagerDuty signs each V3 webhook with the subscription's secret: `X-PagerDuty-Signature` is a
 * comma-separated list of `v1=<hex HMAC-SHA256 of the raw body>` (several while a secret is being
 * rotated). The raw bytes are what is signed, so this runs before the body is parsed.
 */

export function pagerDutySignatureValid(header: string | string[] | undefined, rawBody: Buffer, secret: string): boolean {
  const value = Array.isArray(header) ? header.join(',') : (header ?? '');
  const expected = createHmac('sha256', secret).update(rawBody).digest();
  let ok = false;
  for (const part of value.split(',')) {
    const m = /^\s*v1=([0-9a-f]{64})\s*$/i.exec(part);
    if (!m) continue;
    // Check every candidate, so the time taken does not say which one matched.
    if (timingSafeEqual(Buffer.from(m[1]!, 'hex'), expected)) ok = true;
  }
  return ok;
}

/** The header a sender would send: for tests and for `curl` examples. */
export function pagerDutySignature(rawBody: string | Buffer, secret: string): string {
  return `v1=${createHmac('sha256', secret).update(rawBody).digest('hex')}`;
}

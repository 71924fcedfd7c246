import { randomBytes } from 'node:crypto';
import { tokenMatches } from './access.js';

/*
 * One-time launch links for `conn web --open`. Whatever opens the browser (xdg-open, open,
 * start) gets its URL on its command line, which every account on the machine can read in
 * `ps`, so the long-lived token must not be in it. The link instead carries a nonce that is
 * good once, for a minute, and is traded for the token cookie: if someone else uses it first,
 * the person's browser gets a refusal they can see, not a silently shared session.
 */

export const LAUNCH_PATH = '/launch';
const LIFETIME_MS = 60_000;

export class LaunchLinks {
  private readonly pending: Array<{ nonce: string; expires: number }> = [];

  constructor(private readonly now: () => number = Date.now) {}

  /** A fresh nonce for one launch link. */
  mint(): string {
    this.drop();
    const nonce = randomBytes(32).toString('base64url');
    this.pending.push({ nonce, expires: this.now() + LIFETIME_MS });
    return nonce;
  }

  /** True once for a nonce minted here within the last minute; it is spent either way. */
  redeem(given: string | null): boolean {
    const at = this.pending.findIndex((p) => tokenMatches(given, p.nonce));
    if (at < 0) return false;
    const [link] = this.pending.splice(at, 1);
    this.drop();
    return link!.expires > this.now();
  }

  private drop(): void {
    const now = this.now();
    for (let i = this.pending.length - 1; i >= 0; i--) if (this.pending[i]!.expires <= now) this.pending.splice(i, 1);
  }
}

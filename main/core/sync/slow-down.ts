import { ConnError } from '../../../shared/domain/errors.js';
import { describeWait } from '../../../shared/sync/wait.js';

/*
 * What the client does when the hub says 'rate-limited': nothing was written or dropped, the
 * same request fits the hub's budget after `retryAfterMs`, so wait that long and send it again.
 * Never a reason to settle an event or give up.
 */

/** The hub refused a whole request or sign-in as over its budget. */
export class RateLimitedError extends ConnError {
  constructor(
    message: string,
    readonly retryAfterMs: number | undefined,
  ) {
    super('rate-limited', message);
  }
}

/** What a hub that sent no retryAfterMs gets: a pause, not a hammering. */
const DEFAULT_WAIT_MS = 1000;

/**
 * How long to wait: at least what the hub asked, plus up to a quarter more (at least 100 ms, at
 * most 5 s) so a team's cockpits do not come back in lockstep; but never longer than `capMs`,
 * after which the hub is simply asked again (a refusal costs it next to nothing).
 */
export function slowDownDelay(retryAfterMs: number | undefined, capMs: number, random: () => number = Math.random): number {
  const asked = Math.max(0, retryAfterMs ?? DEFAULT_WAIT_MS);
  const spread = Math.min(5000, Math.max(100, asked / 4));
  return Math.round(Math.min(capMs, asked + spread * random()));
}

/** The status line while waiting, with the hub's own sentence (which budget, which flag). */
export function slowDownMessage(waitMs: number, hubMessage: string): string {
  return `the hub asked us to slow down; retrying in ${describeWait(waitMs)}: ${hubMessage}`;
}

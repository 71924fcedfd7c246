import { requestFor } from './channel-requests.js';
import type { ClaimedDelivery, DeliveryOutcome, DeliveryQueue } from './delivery-queue.js';

/*
 * Sends queued stakeholder updates to their channels, from the hub. The hub delivers, not the
 * cockpit: it is the one party that is always on (an update written on a laptop in a dead
 * network goes out the moment the laptop's outbox reaches the hub, even if the laptop then
 * closes) and the only one that holds the channels' secrets.
 *
 * At-least-once with a key: a row is claimed (leased) before it is sent and settled after; a
 * hub that dies in between sends it again once the lease has passed, with the same
 * Idempotency-Key, and the receiver drops the copy. Retries back off exponentially with jitter,
 * so a receiver coming back is not hit by every hub at once.
 */

export interface DelivererOptions {
  queue: DeliveryQueue;
  /** How long a receiver may take to answer before the attempt counts as failed. */
  timeoutMs?: number;
  /** How long a claimed row is kept from other claims: longer than a request can take. */
  leaseMs?: number;
  /** The longest sleep between looks at the queue (other nodes' commits, and retries, come due). */
  pollMs?: number;
  backoff?: Partial<BackoffPolicy>;
  now?: () => number;
  random?: () => number;
  /** Called after each recorded outcome: the hub tells the team's cockpits to ask again. */
  onSettled?: (where: { teamId: string; incidentId: string }) => void;
  log?: (line: string) => void;
}

export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
  /** Attempts in all before a delivery is given up as failed. */
  attempts: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 5_000, maxMs: 10 * 60_000, attempts: 12 };
export const DEFAULT_DELIVERY_TIMEOUT_MS = 10_000;

/**
 * The wait before attempt `attempt + 1`: base·2^(attempt−1), capped, then "equal jitter" (half
 * of it fixed, half random), so retries spread out but never come sooner than half the step.
 */
export function backoffMs(attempt: number, policy: BackoffPolicy, random: () => number): number {
  const step = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(step / 2 + (step / 2) * random());
}

/** Statuses worth another try: the receiver is down, overloaded or asked us to wait. Any other 4xx will be refused again. */
export function isRetryable(status: number): boolean {
  return status >= 500 || status === 408 || status === 425 || status === 429;
}

const BODY_KEEP_BYTES = 4096;

/** At most the first few KiB of an answer: a receiver's error page is no reason to buffer megabytes. */
async function readSome(res: Response): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < BODY_KEEP_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return new TextDecoder().decode(Buffer.concat(chunks).subarray(0, BODY_KEEP_BYTES));
}

export interface Deliverer {
  /** Look at the queue now (a commit just queued something). */
  wake(): void;
  /** Stops claiming; resolves when the requests in flight have been settled. */
  stop(): Promise<void>;
}

export function startDeliverer(opts: DelivererOptions): Deliverer {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_DELIVERY_TIMEOUT_MS;
  const leaseMs = opts.leaseMs ?? timeoutMs + 5_000;
  const pollMs = opts.pollMs ?? 5_000;
  const policy: BackoffPolicy = { ...DEFAULT_BACKOFF, ...opts.backoff };
  const now = opts.now ?? Date.now;
  const random = opts.random ?? Math.random;
  const log = opts.log ?? (() => undefined);
  let stopped = false;
  // Stopping cuts requests in flight instead of waiting out a hanging receiver; their rows keep
  // their lease and are sent again (same key) by whichever hub claims them next.
  const stopping = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let wakeUp: (() => void) | undefined;

  async function attempt(d: ClaimedDelivery): Promise<DeliveryOutcome> {
    const base = { channelId: d.channel.id, eventId: d.eventId, attempt: d.attempt };
    const req = requestFor(d.channel, d.snapshot, now(), d.remoteIncidentId);
    let status: number | null = null;
    let response: string | null;
    let retry: boolean;
    try {
      // redirect 'manual': a receiver answers for itself; following a redirect would send the
      // signed body and the API key to wherever it points.
      const res = await fetch(req.url, { method: req.method, headers: req.headers, body: req.body, redirect: 'manual', signal: AbortSignal.any([AbortSignal.timeout(timeoutMs), stopping.signal]) });
      status = res.status;
      const text = await readSome(res);
      if (res.status >= 200 && res.status < 300) {
        let remoteIncidentId: string | undefined;
        if (d.channel.kind === 'statuspage' && !d.remoteIncidentId) {
          try {
            const id = (JSON.parse(text) as { id?: unknown }).id;
            if (typeof id === 'string') remoteIncidentId = id;
          } catch {
            // A created incident without an id to update later: later updates create their own.
          }
        }
        return { ...base, state: 'delivered', status, response: text, nextAttemptAt: null, remoteIncidentId };
      }
      response = text;
      retry = isRetryable(res.status);
    } catch (err) {
      const e = err as Error & { cause?: { code?: string; message?: string } };
      response = e.name === 'TimeoutError' ? `no answer within ${Math.round(timeoutMs / 1000)}s` : `could not connect: ${e.cause?.code ?? e.cause?.message ?? e.message}`;
      retry = true;
    }
    if (!retry || d.attempt >= policy.attempts) {
      return { ...base, state: 'failed', status, response: retry ? `gave up after ${d.attempt} tries; last: ${response}` : response, nextAttemptAt: null };
    }
    return { ...base, state: 'queued', status, response, nextAttemptAt: now() + backoffMs(d.attempt, policy, random) };
  }

  async function round(): Promise<number> {
    const batch = await opts.queue.claim(now(), leaseMs, 16);
    await Promise.all(
      batch.map(async (d) => {
        const outcome = await attempt(d);
        if (stopping.signal.aborted) return;
        const where = await opts.queue.settle(outcome, now());
        if (where) opts.onSettled?.(where);
        if (outcome.state !== 'delivered') log(`update ${d.eventId} to channel "${d.channel.name}": ${outcome.state} (${outcome.status ?? 'no answer'}: ${outcome.response ?? ''})`.slice(0, 500));
      }),
    );
    return batch.length;
  }

  const running = (async () => {
    while (!stopped) {
      let claimed = 0;
      try {
        claimed = await round();
      } catch (err) {
        log(`delivery round failed: ${err instanceof Error ? err.message : String(err)}`);
      }
      if (stopped) break;
      if (claimed > 0) continue;
      const due = await opts.queue.nextDue().catch(() => null);
      const wait = Math.max(10, Math.min(pollMs, due === null ? pollMs : due - now()));
      await new Promise<void>((resolve) => {
        wakeUp = resolve;
        timer = setTimeout(resolve, wait);
      });
      wakeUp = undefined;
    }
  })();

  return {
    wake() {
      if (timer) clearTimeout(timer);
      wakeUp?.();
    },
    async stop() {
      stopped = true;
      stopping.abort();
      this.wake();
      await running;
    },
  };
}

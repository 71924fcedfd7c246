import { formatHlc, HLC_ZERO, parseHlc, receive, tick, ClockDriftError, type Hlc, type HlcState } from '../../../shared/sync/hlc.js';
import type { Db } from '../db/database.js';

/** How far ahead of our wall clock a remote stamp may be before we refuse to adopt it. */
export const MAX_CLOCK_DRIFT_MS = 5 * 60_000;

/**
 * The hybrid logical clock, persisted in sync_state so it never goes backwards across restarts
 * or between the CLI and the desktop app sharing one database. Call only inside a write
 * transaction: the read-modify-write must not interleave with another process.
 */
export class PersistentClock {
  private readonly read;
  private readonly write;

  constructor(
    db: Db,
    private readonly now: () => number = Date.now,
  ) {
    this.read = db.prepare<[], { value: string }>("SELECT value FROM sync_state WHERE key = 'hlc'");
    this.write = db.prepare<[string]>("INSERT INTO sync_state (key, value) VALUES ('hlc', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value");
  }

  current(): HlcState {
    return parseHlc(this.read.get()?.value ?? HLC_ZERO);
  }

  /** A fresh stamp for a local event. */
  next(): Hlc {
    const s = tick(this.current(), this.now());
    this.write.run(formatHlc(s));
    return formatHlc(s);
  }

  /**
   * Folds remote stamps into the clock. A stamp too far ahead is not adopted (it would drag every
   * later local event into the future); the event itself is still stored — the hub is the
   * place that refuses such events.
   */
  observe(stamps: Iterable<Hlc>): void {
    let s = this.current();
    const before = s;
    const now = this.now();
    for (const stamp of stamps) {
      try {
        s = receive(s, parseHlc(stamp), now, MAX_CLOCK_DRIFT_MS);
      } catch (err) {
        if (!(err instanceof ClockDriftError)) throw err;
      }
    }
    if (s !== before) this.write.run(formatHlc(s));
  }
}

import type { ConnEvent } from '../../../shared/domain/events.js';
import { whileYouWereAway, type Digest } from '../../../shared/reports/digest.js';
import type { Core } from '../open.js';

/*
 * The "while you were away" digest across every incident this cockpit holds. When the reader was
 * last here is when they last marked the digest read, kept per profile in settings (a cockpit
 * whose profile is renamed or replaced starts afresh rather than inheriting someone's reading).
 */

/** Without a mark, the last day: enough to catch up on a shift without replaying history. */
const FIRST_LOOK_MS = 24 * 3_600_000;

const keyOf = (profileId: string) => `digest.readAt:${profileId}`;

function lastRead(core: Core, profileId: string): string | null {
  const row = core.db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?').get(keyOf(profileId));
  return row ? row.value : null;
}

export function digestOf(core: Core, since: string | undefined): Digest {
  const reader = core.profile.get();
  const now = new Date();
  const from = since !== undefined ? new Date(since).toISOString() : (lastRead(core, reader.id) ?? new Date(now.getTime() - FIRST_LOOK_MS).toISOString());
  const events: ConnEvent[] = [];
  for (const i of core.incidents.list({ all: true })) for (const e of core.events.eventsOf(i.id)) events.push(e);
  return whileYouWereAway({ events, reader: { name: reader.name, timeZone: reader.timeZone, workingHours: reader.workingHours }, since: from, now, cadence: core.cadence.cadence() });
}

export function markDigestRead(core: Core): { readAt: string } {
  const readAt = new Date().toISOString();
  core.db
    .prepare<[string, string]>('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value')
    .run(keyOf(core.profile.get().id), readAt);
  return { readAt };
}

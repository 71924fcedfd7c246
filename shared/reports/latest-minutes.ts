import { compareEvents, type ConnEvent, type EventOfKind } from '../domain/events.js';

/*
 * Which minutes of a call stand: the latest minutes.written of it by (hlc, id), the order every
 * cockpit agrees on, so a published text supersedes the draft Conn wrote when the call ended and
 * a later edit supersedes both. A redacted minutes entry still counts (its words are gone).
 */

export type MinutesEvent = EventOfKind<'minutes.written'>;

/** 'published' for minutes written before drafts existed (no status). */
export function minutesStatus(e: MinutesEvent): 'draft' | 'published' {
  return e.payload.status ?? 'published';
}

/** The latest minutes of `callId` (undefined: of the incident's discussion, no call), or null. */
export function latestMinutes(events: Iterable<ConnEvent>, callId: string | undefined): MinutesEvent | null {
  let best: MinutesEvent | null = null;
  for (const e of events) {
    if (e.kind !== 'minutes.written' || e.payload.target !== callId) continue;
    if (best === null || compareEvents(e, best) > 0) best = e;
  }
  return best;
}

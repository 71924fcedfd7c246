import type { ConnEvent, EventKind, EventOfKind, PayloadInputOf } from '../../domain/events.js';
import { emptyAcc, headsOf, mergeEvent } from '../../domain/fold.js';
import { formatHlc } from '../../sync/hlc.js';

/*
 * Events for the report tests, stamped at fixed instants (never the clock). Ids grow with each
 * event, so two events stamped alike are ordered by when the test wrote them: that is the id
 * tie-break every cockpit applies to concurrent writes. Like the cockpit's event store, each
 * write supersedes the heads of the fields it writes among the events written before it (its
 * author saw them all), unless the test says what its author had seen.
 */

export interface IncidentEvents {
  incidentId: string;
  events: ConnEvent[];
  ev<K extends EventKind>(at: string, author: string, kind: K, payload: PayloadInputOf<K>, opts?: { supersedes?: string[] }): EventOfKind<K>;
}

/** `n` (0-255) keeps the ids of several incidents apart. */
export function incidentEvents(n: number): IncidentEvents {
  const tag = n.toString(16).padStart(2, '0');
  let count = 0;
  // Unlike the event ids, the incident's ends in the tag: its reference comes from its last digits.
  const incidentId = `0190a5c4-0000-7000-9000-0000c0ffee${tag}`;
  const events: ConnEvent[] = [];
  const seen = emptyAcc(incidentId);
  const headsSeenBy = (e: ConnEvent): string[] => {
    const probe = emptyAcc(e.incidentId);
    mergeEvent(probe, e);
    return [...new Set(Object.keys(probe.registers).flatMap((key) => headsOf(seen, key)))];
  };
  return {
    incidentId,
    events,
    ev(at, author, kind, payload, opts = {}) {
      count += 1;
      const e = {
        id: `0190a5c4-0000-7000-8000-${tag}${count.toString(16).padStart(10, '0')}`,
        incidentId,
        hlc: formatHlc({ wall: Date.parse(at), counter: 0 }),
        author: { id: `p-${author}`, name: author },
        kind,
        payload,
      } as unknown as EventOfKind<typeof kind>;
      const supersedes = opts.supersedes ?? headsSeenBy(e as ConnEvent);
      if (supersedes.length) e.supersedes = supersedes;
      events.push(e as ConnEvent);
      mergeEvent(seen, e as ConnEvent);
      return e;
    },
  };
}

import type { ConnEvent } from '../../../shared/domain/events.js';
import type { Core, Presence } from '../open.js';

/*
 * Attendance from presence: while a call runs on an incident and the hub says this cockpit's
 * person is looking at it, they are on the call. Every cockpit sees everyone's presence, so if
 * each wrote what it saw, one join would be written once per teammate; instead each cockpit
 * writes only its own person's attendee.joined (and attendee.left), signed by them, as the
 * authority rule wants anyway. Someone on the phone is added by name (`conn call join --person`,
 * Add person in the app).
 *
 * A join is written once per call: not when the fold already lists them, and not when they left
 * it themselves (the Leave button, `conn call leave`): looking at the incident after leaving a
 * call is not rejoining it. When the window turns to something else, a join this cockpit wrote
 * is closed with a leave; a lost hub connection is not a leave (the call goes on by phone).
 */

export interface AttendanceSource {
  /** The incident the window shows now, or null. */
  watching(): string | null;
  /** Who the hub says is looking at an incident; `you` marks this cockpit's member. */
  presenceOf(incidentId: string): Presence[];
}

export interface CallAttendance {
  /** Look again now: the window turned to another incident (with or without a hub to say so). */
  poke(): void;
  stop(): void;
}

export function startCallAttendance(core: Core, source: AttendanceSource, log: (err: unknown) => void = () => undefined): CallAttendance {
  /** Calls this cockpit joined its person to, by incident: closed with a leave when the window turns away. */
  const joinedHere = new Map<string, string>();
  /** Calls its person left themselves: never rejoined automatically. */
  const leftByChoice = new Set<string>();
  /** Calls this cockpit wrote a leave for when the window turned away: their leave is no choice. */
  const leftHere = new Set<string>();
  let scheduled = false;
  let stopped = false;

  const me = () => core.profile.get().name;

  /** Did the person leave this call by a leave they wrote, after any join of theirs? */
  const leftThemselves = (incidentId: string, callId: string, name: string): boolean => {
    let last: ConnEvent | null = null;
    for (const e of core.events.eventsOf(incidentId)) {
      if ((e.kind === 'attendee.joined' || e.kind === 'attendee.left') && e.payload.target === callId && e.payload.person === name) {
        if (last === null || e.hlc > last.hlc || (e.hlc === last.hlc && e.id > last.id)) last = e;
      }
    }
    return last?.kind === 'attendee.left' && last.author.name === name;
  };

  const evaluate = (): void => {
    scheduled = false;
    if (stopped) return;
    const name = me();
    const watched = source.watching();
    // Leaves first: the window turned away from a call this cockpit joined.
    for (const [callId, incidentId] of [...joinedHere]) {
      if (incidentId === watched) continue;
      joinedHere.delete(callId);
      const call = core.events.stateOf(incidentId)?.calls.find((c) => c.id === callId);
      if (call && call.endedAt === null && call.attendees.includes(name)) {
        core.events.appendLocal(incidentId, 'attendee.left', { target: callId, person: name });
        leftHere.add(callId);
      }
    }
    if (watched === null || !source.presenceOf(watched).some((p) => p.you)) return;
    for (const call of core.events.stateOf(watched)?.calls ?? []) {
      if (call.endedAt !== null || joinedHere.has(call.id) || leftByChoice.has(call.id)) continue;
      if (call.attendees.includes(name)) {
        joinedHere.set(call.id, watched);
        continue;
      }
      if (!leftHere.has(call.id) && leftThemselves(watched, call.id, name)) {
        leftByChoice.add(call.id);
        continue;
      }
      core.events.appendLocal(watched, 'attendee.joined', { target: call.id, person: name });
      joinedHere.set(call.id, watched);
    }
  };

  // Later, not inside the notification: an append here notifies again, and one pass covers a burst.
  const schedule = (): void => {
    if (scheduled || stopped) return;
    scheduled = true;
    setTimeout(() => {
      try {
        evaluate();
      } catch (err) {
        // A refusal (a viewer) or a closing database: attendance is a convenience, never a crash.
        log(err);
      }
    }, 0);
  };

  const off = core.bus.on((n) => {
    if (n.type === 'presence-changed' || n.type === 'incident-changed') schedule();
  });
  return {
    poke: schedule,
    stop() {
      stopped = true;
      off();
    },
  };
}

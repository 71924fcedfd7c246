import type { z } from 'zod';
import type { CALL_METHODS, MinutesReading, UpcomingCall } from '../../../shared/api/calls-methods.js';
import type { ResultOf } from '../../../shared/api/contract.js';
import { ConnError } from '../../../shared/domain/errors.js';
import { isActiveStatus } from '../../../shared/domain/status.js';
import { hlcToDate } from '../../../shared/sync/hlc.js';
import { isValidTimeZone } from '../../../shared/time/zone.js';
import type { ConnEvent } from '../../../shared/domain/events.js';
import { refFromId } from '../../../shared/domain/incident-ref.js';
import { latestMinutes } from '../../../shared/reports/latest-minutes.js';
import { callMinutes } from '../../../shared/reports/minutes.js';
import type { Core } from '../open.js';
import { callTranscripts } from './recordings.js';

/*
 * Ending a call and its minutes. A method of its own rather than a side effect of
 * events.append(call.ended): an append stays one event everywhere (sync, the hub, other
 * cockpits never write minutes for someone else's end), and the caller gets both events back
 * to show the draft at once. The minutes are written by whoever ended the call, as a draft,
 * because nobody has read them yet.
 */

function callOf(core: Core, incidentId: string, callId: string) {
  const state = core.events.stateOf(incidentId);
  const call = state?.calls.find((c) => c.id === callId);
  if (!call) throw new ConnError('not-found', `no call ${callId} in ${refFromId(incidentId)}; \`conn show ${refFromId(incidentId)}\` lists its calls`);
  return call;
}

export function endCall(core: Core, incidentId: string, callId: string): { ended: ConnEvent; minutes: ConnEvent } {
  const call = callOf(core, incidentId, callId);
  if (call.endedAt !== null) throw new ConnError('conflict', `that call already ended at ${call.endedAt}; \`conn minutes ${refFromId(incidentId)} --call ${callId.slice(0, 8)}\` shows its minutes`);
  const timeZone = core.profile.get().timeZone;
  let out: { ended: ConnEvent; minutes: ConnEvent } | undefined;
  // One transaction: a call never ends here without its draft, nor gets a draft without ending.
  core.db.transaction(() => {
    const ended = core.events.appendLocal(incidentId, 'call.ended', { target: callId });
    const text = callMinutes({ events: [...core.events.eventsOf(incidentId)], callId, timeZone, cadence: core.cadence.cadence() }).markdown;
    const minutes = core.events.appendLocal(incidentId, 'minutes.written', { target: callId, text, status: 'draft' });
    out = { ended, minutes };
  })();
  return out!;
}

export function minutesOf(core: Core, incidentId: string, callId: string | undefined): ConnEvent | null {
  if (callId !== undefined) {
    callOf(core, incidentId, callId);
    return latestMinutes(core.events.eventsOf(incidentId), callId);
  }
  const all = [...core.events.eventsOf(incidentId)];
  const calls = core.events.stateOf(incidentId)?.calls ?? [];
  // The newest call with minutes: what someone asking for "the minutes" after a call means.
  for (const call of [...calls].reverse()) {
    const m = latestMinutes(all, call.id);
    if (m) return m;
  }
  return null;
}

export function publishMinutes(core: Core, incidentId: string, callId: string, text: string | undefined): ConnEvent {
  callOf(core, incidentId, callId);
  const latest = latestMinutes(core.events.eventsOf(incidentId), callId);
  const words = text ?? latest?.payload.text;
  if (words === undefined) throw new ConnError('not-found', `that call has no minutes yet; end it (\`conn call end\`) or pass the text to publish`);
  if (latest && text === undefined && latest.payload.status !== 'draft') {
    throw new ConnError('conflict', 'the latest minutes of that call are already published');
  }
  return core.events.appendLocal(incidentId, 'minutes.written', { target: callId, text: words, status: 'published' });
}

/** The zone generated minutes were written in: their "- Times in ZONE" line. */
const WRITTEN_IN = /^- Times in (\S+)$/m;

/**
 * The standing minutes, to read. Minutes Conn drafted name the zone their times are in; while
 * their text is still exactly what the generator writes in that zone (nobody edited them, and
 * nothing since changed what they say), they are written again in the reader's zone. Edited
 * minutes are the team's words and are shown as written, saying which zone their times are in.
 */
export function readMinutes(core: Core, incidentId: string, callId: string | undefined, zone: string | undefined): MinutesReading | null {
  const timeZone = zone ?? core.profile.get().timeZone;
  if (!isValidTimeZone(timeZone)) throw new ConnError('invalid-input', `"${timeZone}" is not an IANA time zone (like Europe/Berlin)`);
  const event = minutesOf(core, incidentId, callId);
  if (event === null || event.kind !== 'minutes.written') return null;
  const target = event.payload.target ?? null;
  const base = { event, callId: target, status: event.payload.status ?? 'published', author: event.author.name, at: hlcToDate(event.hlc).toISOString() } as const;
  const writtenIn = WRITTEN_IN.exec(event.payload.text)?.[1] ?? null;
  // Transcripts this device holds quote what was said around each decision. They are added when
  // reading, never saved into the minutes event: an unshared call's words stay on this device.
  const transcripts = target !== null ? callTranscripts(core, incidentId, target) : [];
  if (target !== null && writtenIn !== null && (writtenIn !== timeZone || transcripts.length > 0) && isValidTimeZone(writtenIn)) {
    const events = [...core.events.eventsOf(incidentId)];
    // Saved text is trimmed (the event schema trims it): compare it the same way.
    if (callMinutes({ events, callId: target, timeZone: writtenIn, cadence: core.cadence.cadence() }).markdown.trim() === event.payload.text) {
      return { ...base, text: callMinutes({ events, callId: target, timeZone, cadence: core.cadence.cadence(), transcripts }).markdown, timeZone, localised: true };
    }
  }
  return { ...base, text: event.payload.text, timeZone: writtenIn, localised: false };
}

/** Planned calls on active incidents in the window around now, soonest first. */
export function upcomingCalls(core: Core, sinceMin: number, withinMin: number, now = Date.now()): UpcomingCall[] {
  const me = core.profile.get().name.trim().toLowerCase();
  const out: UpcomingCall[] = [];
  for (const summary of core.incidents.list({})) {
    const state = core.events.stateOf(summary.id);
    if (!state || !isActiveStatus(state.status)) continue;
    for (const call of state.plannedCalls) {
      const at = Date.parse(call.at);
      if (at < now - sinceMin * 60_000 || at > now + withinMin * 60_000) continue;
      out.push({ incidentId: state.id, ref: state.ref, incidentTitle: state.title, call, you: call.attendees.some((a) => a.trim().toLowerCase() === me) });
    }
  }
  return out.sort((a, b) => a.call.at.localeCompare(b.call.at) || a.call.id.localeCompare(b.call.id));
}

type CallMethod = keyof typeof CALL_METHODS;

/** The call methods' handlers, spread into the core's handler map (handlers.ts). */
export const CALL_HANDLERS: { [M in CallMethod]: (core: Core, params: z.output<(typeof CALL_METHODS)[M]>) => ResultOf<M> } = {
  'minutes.read': (core, p) => readMinutes(core, p.incidentId, p.callId, p.timeZone),
  'calls.upcoming': (core, p) => upcomingCalls(core, p.sinceMin, p.withinMin),
};

import { ConnError } from '../../../shared/domain/errors.js';
import type { ConnEvent } from '../../../shared/domain/events.js';
import { refFromId } from '../../../shared/domain/incident-ref.js';
import { latestMinutes } from '../../../shared/reports/latest-minutes.js';
import { callMinutes } from '../../../shared/reports/minutes.js';
import type { Core } from '../open.js';

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
    const text = callMinutes({ events: [...core.events.eventsOf(incidentId)], callId, timeZone }).markdown;
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

import { METHODS, type Method, type ResultOf } from '../../../shared/api/contract.js';
import { ConnError, describeZodIssue } from '../../../shared/domain/errors.js';
import type { EventKind } from '../../../shared/domain/events.js';
import type { Core } from '../open.js';
import { RUNBOOK_HANDLERS } from '../runbooks/handlers.js';
import { UPDATE_HANDLERS } from './updates.js';
import { CADENCE_HANDLERS } from './cadence.js';
import { CALL_HANDLERS, endCall, minutesOf, publishMinutes } from './calls.js';
import { SEARCH_HANDLERS } from './search.js';
import { PROFILE_HANDLERS } from './profile.js';
import { BREAKGLASS_HANDLERS } from './breakglass.js';
import { digestOf, markDigestRead } from './digest.js';
import { HANDOFF_HANDLERS } from './handoff.js';
import { FOLLOWUP_HANDLERS } from './followup.js';
import { checkMilestoneWrite, REPORT_HANDLERS } from './reports.js';
import { listProfiles } from '../sync/teammates.js';
import { RECORDING_HANDLERS } from './recordings.js';

/** A handler receives params already parsed by its METHOD schema and returns the method's result. */
export type Handler<M extends Method> = (core: Core, params: import('zod').output<(typeof METHODS)[M]>) => ResultOf<M> | Promise<ResultOf<M>>;
type HandlerMap = { [M in Method]: Handler<M> };

function syncControlOf(core: Core): NonNullable<Core['sync']['control']> {
  if (!core.sync.control) {
    throw new ConnError('unavailable', 'connecting to a hub needs a running cockpit (the desktop app or `conn web`); from a terminal, run `conn connect HUB_URL --token TOKEN`');
  }
  return core.sync.control;
}

/** One handler per method of the contract; the type makes a missing one a compile error. */
export const HANDLERS: HandlerMap = {
  'profile.get': (core) => core.profile.get(),
  'profile.set': (core, p) => {
    const profile = core.profile.set(p);
    // The hub hears of it from the running sync (main/core/sync/teammates.ts), the roster from this.
    core.bus.emit({ type: 'profiles-changed' });
    return profile;
  },
  'profiles.list': (core) => listProfiles(core),
  'incidents.list': (core, p) => core.incidents.list({ all: p.all }),
  'incidents.declare': (core, p) => {
    const { id, ref } = core.incidents.declare(p);
    return { id, ref };
  },
  'incidents.get': (core, p) => core.incidents.get(p.ref),
  'timeline.window': (core, p) => core.timeline(p),
  'events.append': (core, p) => {
    checkMilestoneWrite(core, p.incidentId, p.kind, p.payload);
    return core.events.appendLocal(p.incidentId, p.kind as EventKind, p.payload);
  },
  'events.refused': (core) => core.events.refused(),
  'events.resend': (core, p) => core.events.resend(p.eventId),
  'events.discard': (core, p) => {
    core.events.discard(p.eventId);
    return { discarded: p.eventId };
  },
  'sync.status': (core) => core.sync.status(),
  'sync.connect': (core, p) => syncControlOf(core).connect(p),
  'sync.disconnect': (core) => syncControlOf(core).disconnect(),
  // Presence needs a running sync; without one nobody is known to be looking, which is no error.
  'presence.watch': (core, p) => {
    core.sync.control?.watch(p.incidentId);
    return { watching: p.incidentId };
  },
  'presence.get': (core, p) => core.sync.control?.presenceOf(p.incidentId) ?? [],
  'calls.end': (core, p) => endCall(core, p.incidentId, p.callId),
  'minutes.publish': (core, p) => publishMinutes(core, p.incidentId, p.callId, p.text),
  'minutes.get': (core, p) => minutesOf(core, p.incidentId, p.callId),
  'digest.get': (core, p) => digestOf(core, p.since),
  'digest.markRead': (core) => markDigestRead(core),
  ...RUNBOOK_HANDLERS,
  ...UPDATE_HANDLERS,
  ...CALL_HANDLERS,
  ...HANDOFF_HANDLERS,
  ...FOLLOWUP_HANDLERS,
  ...REPORT_HANDLERS,
  ...SEARCH_HANDLERS,
  ...PROFILE_HANDLERS,
  ...BREAKGLASS_HANDLERS,
  ...CADENCE_HANDLERS,
  ...RECORDING_HANDLERS,
};

/** Parses params with the method's schema and runs its handler. Throws ConnError. */
export async function callMethod(core: Core, method: string, params: unknown): Promise<unknown> {
  // Untyped on purpose: this is the boundary where untrusted JSON meets the handler map.
  if (!Object.hasOwn(METHODS, method)) throw new ConnError('not-found', `unknown method "${method}"`);
  const m = method as Method;
  const parsed = METHODS[m].safeParse(params ?? {});
  if (!parsed.success) throw new ConnError('invalid-input', `${method}: ${describeZodIssue(parsed.error.issues)}`);
  const handler = HANDLERS[m] as (core: Core, p: unknown) => unknown;
  return await handler(core, parsed.data);
}

import type { AppendParams } from '../shared/api/contract.js';
import { type FieldWords } from '../shared/domain/errors.js';
import { PAYLOADS, type ConnEvent, type EventKind, type PayloadInputOf } from '../shared/domain/events.js';
import type { IncidentState } from '../shared/domain/fold.js';
import { hlcToDate } from '../shared/sync/hlc.js';
import { formatInZone } from '../shared/time/zone.js';
import { checkedInput } from './cli-input.js';
import { output, type GlobalOptions } from './context.js';
import { incidentOf } from './lookups.js';
import { withApi, type Api } from './open-core.js';

/** What a payload is built from: the incident REF names, the profile's zone, and the API to look things up. */
export interface AppendContext {
  api: Api;
  incident: IncidentState;
  zone: string;
}

/** `events.append`'s params for one kind. TypeScript cannot narrow AppendParams by a generic K: one cast, here. */
function appendParams<K extends EventKind>(incidentId: string, kind: K, payload: PayloadInputOf<K>): AppendParams {
  return { incidentId, kind, payload } as AppendParams;
}

/**
 * Every command that writes to an incident: `events.append`, the call the app makes, with the
 * payload `payloadOf` builds once the incident and the profile's zone are known (to read a time
 * in that zone, or find an entry by the start of its id). It is checked first in the command's
 * words (`words` maps payload fields to its options), and the core checks it again. Prints what
 * was saved: `said on REF at TIME [id]`, or with --json the event with its `ref` and `at`.
 */
export async function append<K extends EventKind>(
  g: GlobalOptions,
  ref: string,
  kind: K,
  payloadOf: (ctx: AppendContext) => PayloadInputOf<K> | Promise<PayloadInputOf<K>>,
  said: string,
  words: FieldWords = {},
): Promise<ConnEvent> {
  const { event, ref: incidentRef, zone } = await withApi(g, async (api) => {
    const incident = await incidentOf(api, ref);
    const zone = (await api.call('profile.get', {})).timeZone;
    const payload = await payloadOf({ api, incident, zone });
    checkedInput(PAYLOADS[kind], payload, words);
    return { event: await api.call('events.append', appendParams(incident.id, kind, payload)), ref: incident.ref, zone };
  });
  const at = hlcToDate(event.hlc).toISOString();
  output(g, { ...event, ref: incidentRef, at }, () => `${said} on ${incidentRef} at ${formatInZone(at, zone)}  [${event.id}]`);
  return event;
}

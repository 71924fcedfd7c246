import { ConnError } from '../../../shared/domain/errors.js';
import { teamSettingSetAckSchema, type TeamSettingDef } from '../../../shared/sync/team-settings.js';
import type { Core } from '../open.js';
import { loadConnection } from '../sync/connection.js';
import { withHub } from '../sync/hub-link.js';
import { announceTeamSetting } from '../sync/team-settings.js';

/*
 * Changing a team setting is the hub's decision, never a local write: the hub checks the member
 * is an admin and answers with the team's new value, which is kept here at once (every other
 * cockpit pulls it on the hub's notice). Without a hub nothing changes, and the person is told why.
 */

const ASK_TIMEOUT_MS = 5_000;

/** Asks the hub to change (or with reset, drop) the team's value; answers whether it changed. */
export async function setOnHub<T, C>(core: Core, def: TeamSettingDef<T, C>, body: { changes: C } | { reset: true }, offline: string): Promise<boolean> {
  // The running connection first (its token may be in the desktop's keychain), else a one-shot one.
  const live = core.sync.control?.hubRequest() ?? null;
  const ackSchema = teamSettingSetAckSchema(def);
  const send = async (request: (name: string, payload: unknown) => Promise<unknown>) => ackSchema.parse(await request(def.events.set, body));
  let ack;
  if (live) ack = await send(live);
  else {
    const conn = loadConnection(core);
    if (!conn) throw new ConnError('unavailable', `the team's ${def.what} is kept on the hub, and this cockpit is not connected to one: ${offline}`);
    ack = await withHub(conn, ASK_TIMEOUT_MS, send);
  }
  if (core.teamSettings.remember(def, ack.team)) announceTeamSetting(core, def);
  return ack.changed;
}

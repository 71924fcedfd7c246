import type { z } from 'zod';
import type { CADENCE_METHODS } from '../../../shared/api/cadence-methods.js';
import type { ResultOf } from '../../../shared/api/contract.js';
import type { CadenceChanges } from '../../../shared/domain/cadence.js';
import { ConnError } from '../../../shared/domain/errors.js';
import { CADENCE_HUB_EVENTS, CADENCE_SETTING, CadenceSetAckSchema } from '../../../shared/updates/cadence-protocol.js';
import type { Core } from '../open.js';
import { loadConnection } from '../sync/connection.js';
import { withHub } from '../sync/hub-link.js';
import { announceTeamSetting } from '../sync/team-settings.js';

/*
 * The team's update cadence. Reading is the cockpit's own copy (it holds offline). Changing is
 * the hub's decision, never a local write: the hub checks the member is an admin and answers with
 * the team's new setting, which is kept here at once, and every other cockpit pulls it on the
 * hub's notice. Without a hub nothing changes, and the person is told why.
 */

type CadenceMethod = keyof typeof CADENCE_METHODS;
type CadenceHandlers = { [M in CadenceMethod]: (core: Core, params: z.output<(typeof CADENCE_METHODS)[M]>) => ResultOf<M> | Promise<ResultOf<M>> };

const ASK_TIMEOUT_MS = 5_000;

async function askHub(core: Core, body: { changes: CadenceChanges } | { reset: true }): Promise<ResultOf<'cadence.set'>> {
  // The running connection first (its token may be in the desktop's keychain), else a one-shot one.
  const live = core.sync.control?.hubRequest() ?? null;
  const send = async (request: (name: string, payload: unknown) => Promise<unknown>) => CadenceSetAckSchema.parse(await request(CADENCE_HUB_EVENTS.set, body));
  let ack;
  if (live) ack = await send(live);
  else {
    const conn = loadConnection(core);
    if (!conn) throw new ConnError('unavailable', "the team's update cadence is kept on the hub, and this cockpit is not connected to one: connect first (conn connect HUB_URL --token TOKEN), or run conn hub cadence set on the hub's machine");
    ack = await withHub(conn, ASK_TIMEOUT_MS, send);
  }
  if (core.cadence.remember(ack.team)) announceTeamSetting(core, CADENCE_SETTING);
  return { ...core.cadence.effective(), changed: ack.changed };
}

export const CADENCE_HANDLERS: CadenceHandlers = {
  'cadence.get': (core) => core.cadence.effective(),
  'cadence.set': (core, p) => askHub(core, { changes: p.changes }),
  'cadence.reset': (core) => askHub(core, { reset: true }),
};

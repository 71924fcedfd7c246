import type { z } from 'zod';
import type { CADENCE_METHODS } from '../../../shared/api/cadence-methods.js';
import type { ResultOf } from '../../../shared/api/contract.js';
import type { CadenceChanges } from '../../../shared/domain/cadence.js';
import { CADENCE_SETTING } from '../../../shared/updates/cadence-protocol.js';
import type { Core } from '../open.js';
import { setOnHub } from './team-setting-ask.js';

/*
 * The team's update cadence. Reading is the cockpit's own copy (it holds offline). Changing
 * asks the hub (team-setting-ask.ts), which lets only admins.
 */

type CadenceMethod = keyof typeof CADENCE_METHODS;
type CadenceHandlers = { [M in CadenceMethod]: (core: Core, params: z.output<(typeof CADENCE_METHODS)[M]>) => ResultOf<M> | Promise<ResultOf<M>> };

async function askHub(core: Core, body: { changes: CadenceChanges } | { reset: true }): Promise<ResultOf<'cadence.set'>> {
  const changed = await setOnHub(core, CADENCE_SETTING, body, 'connect first (conn connect HUB_URL --token TOKEN), or run conn hub cadence set on the hub\'s machine');
  return { ...core.cadence.effective(), changed };
}

export const CADENCE_HANDLERS: CadenceHandlers = {
  'cadence.get': (core) => core.cadence.effective(),
  'cadence.set': (core, p) => askHub(core, { changes: p.changes }),
  'cadence.reset': (core) => askHub(core, { reset: true }),
};

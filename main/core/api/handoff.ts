import type { z } from 'zod';
import type { ResultOf } from '../../../shared/api/contract.js';
import type { HANDOFF_METHODS } from '../../../shared/api/handoff-methods.js';
import type { TimelineItem } from '../../../shared/domain/fold.js';
import { handoffOfferBrief } from '../../../shared/reports/handoff-offer.js';
import { formatHlc } from '../../../shared/sync/hlc.js';
import type { Core } from '../open.js';
import { listProfiles } from '../sync/teammates.js';

type HandoffMethod = keyof typeof HANDOFF_METHODS;
type HandoffHandlers = { [M in HandoffMethod]: (core: Core, params: z.output<(typeof HANDOFF_METHODS)[M]>) => ResultOf<M> };

/** A brief is read by a person: past this many rows since the last hand-over, the rest is in the timeline. */
const MAX_ROWS = 2000;
const PAGE = 500;
const NIL_ID = '00000000-0000-0000-0000-000000000000';

/** The hand-off methods' handlers, spread into the core's handler map (main/core/api/handlers.ts). */
export const HANDOFF_HANDLERS: HandoffHandlers = {
  'handoff.draft': (core, p) => {
    const state = core.incidents.get(p.incidentId);
    const me = core.profile.get();
    const role = p.role ?? 'commander';
    const to = p.to ?? null;
    const key = to?.toLowerCase();
    // Written for whoever takes it: in their zone when the team's profiles know it.
    const timeZone = (key === undefined ? undefined : listProfiles(core).find((t) => t.name.toLowerCase() === key)?.timeZone) ?? me.timeZone;
    // "Since" is when the role last changed hands: what the next holder has not seen.
    const since = state.roles[role]?.since ?? state.declaredAt ?? new Date(0).toISOString();
    const items: TimelineItem[] = [];
    let after = { hlc: formatHlc({ wall: Date.parse(since), counter: 0 }), id: NIL_ID };
    while (items.length < MAX_ROWS) {
      const w = core.timeline({ incidentId: state.id, after, limit: PAGE });
      items.push(...w.items);
      const last = w.items[w.items.length - 1];
      if (!w.hasAfter || !last) break;
      after = { hlc: last.hlc, id: last.id };
    }
    const brief = handoffOfferBrief({ state, items, since, role, from: me.name, to, timeZone, now: new Date() });
    return { role, to, timeZone, brief };
  },
};

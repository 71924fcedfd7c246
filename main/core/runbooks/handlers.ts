import type { z } from 'zod';
import type { ResultOf } from '../../../shared/api/contract.js';
import type { RUNBOOK_METHODS } from '../../../shared/runbooks/methods.js';
import type { Core } from '../open.js';
import { attachRunbook } from './attach.js';
import { BreakGlassStore } from './breakglass-store.js';
import { runbooksOf } from './service.js';
import { suggestRunbooks } from './suggest.js';

type RunbookMethod = keyof typeof RUNBOOK_METHODS;
type RunbookHandlers = { [M in RunbookMethod]: (core: Core, params: z.output<(typeof RUNBOOK_METHODS)[M]>) => ResultOf<M> | Promise<ResultOf<M>> };

/** The runbook methods' handlers, spread into the core's handler map (main/core/api/handlers.ts). */
export const RUNBOOK_HANDLERS: RunbookHandlers = {
  'runbooks.search': (core, p) => runbooksOf(core).search(p.query, { limit: p.limit, raw: p.raw, staleDays: p.staleDays }),
  'runbooks.list': (core, p) => runbooksOf(core).list({ staleOnly: p.stale, staleDays: p.staleDays }),
  'runbooks.get': (core, p) => runbooksOf(core).get(p.name, p.version, p.staleDays),
  'runbooks.suggest': (core, p) => {
    const state = core.incidents.get(p.incidentId);
    return suggestRunbooks(runbooksOf(core), { title: state.title, services: state.services });
  },
  'runbooks.attach': (core, p) => {
    const { event } = attachRunbook(core, runbooksOf(core), p.incidentId, p.name, p.version);
    return { attachId: event.id };
  },
  'breakglass.get': (core) => new BreakGlassStore(core.db).get(),
};

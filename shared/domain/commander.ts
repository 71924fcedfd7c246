import type { IncidentState } from './fold.js';

/** Who commands an incident, and whether only because they declared it. */
export interface Commander {
  person: string;
  /** Nobody was assigned: the declarer commands until someone is. */
  declarer: boolean;
}

/**
 * The incident's commander: the one assigned, or its declarer while nobody is. The hub grants
 * the commander's rights (handing the role over, redacting) by this rule, so the cockpit, the
 * wall and `conn show` name the same person it does.
 */
export function commanderOf(state: Pick<IncidentState, 'roles' | 'declaredBy'>): Commander | null {
  const assigned = state.roles['commander']?.person;
  if (assigned) return { person: assigned, declarer: false };
  return state.declaredBy ? { person: state.declaredBy, declarer: true } : null;
}

/** "Ada", or "Ada (declarer)" while nobody is assigned; null when there is nobody at all. */
export function commanderLabel(state: Pick<IncidentState, 'roles' | 'declaredBy'>): string | null {
  const c = commanderOf(state);
  return c ? `${c.person}${c.declarer ? ' (declarer)' : ''}` : null;
}

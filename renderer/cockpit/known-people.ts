import type { IncidentState, TimelineItem } from '../../shared/domain/fold.js';

/*
 * Who the cockpit can suggest when a role or an action is handed to someone. The core keeps no
 * directory of people (profiles are per machine; the hub knows only invite names), so the names
 * are the ones this cockpit has seen: its own profile, and everyone the incident mentions or the
 * loaded timeline shows writing. A suggestion only; any name can be typed.
 */

type PeopleSources = Pick<IncidentState, 'roles' | 'declaredBy' | 'actions' | 'hypotheses' | 'decisions' | 'handoffs' | 'calls'>;

export function knownPeople(incident: PeopleSources, timeline: readonly Pick<TimelineItem, 'author' | 'editedBy'>[], me: string | null): string[] {
  const seen = [
    ...Object.values(incident.roles).map((r) => r.person),
    incident.declaredBy,
    ...incident.actions.flatMap((a) => [a.owner, a.createdBy]),
    ...incident.hypotheses.map((h) => h.author),
    ...incident.decisions.map((d) => d.author),
    ...incident.handoffs.flatMap((h) => [h.from, h.to, h.acceptedBy]),
    ...incident.calls.flatMap((c) => c.attendees),
    ...timeline.flatMap((t) => [t.author.name, t.editedBy]),
  ];
  // One spelling per person: names are compared as the authority rule compares them.
  const byKey = new Map<string, string>();
  for (const name of seen) {
    const trimmed = name?.trim();
    if (trimmed && !byKey.has(trimmed.toLowerCase())) byKey.set(trimmed.toLowerCase(), trimmed);
  }
  const mine = me?.trim() || null;
  if (mine) byKey.delete(mine.toLowerCase());
  const others = [...byKey.values()].sort((a, b) => a.localeCompare(b, undefined, { sensitivity: 'base' }));
  return mine ? [mine, ...others] : others;
}

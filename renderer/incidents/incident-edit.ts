import { LIMITS } from '../../shared/domain/limits.js';
import type { IncidentState } from '../../shared/domain/fold.js';

/*
 * What the declare and edit dialogs type, turned into payloads. Pure, so it is unit-tested
 * (incident-edit.test.ts); the core checks the payload again against its schema.
 */

/** Services as typed: comma- or line-separated, trimmed, each once (first spelling kept). */
export function parseServices(text: string): string[] {
  const byKey = new Map<string, string>();
  for (const part of text.split(/[,\n]/)) {
    const name = part.trim();
    if (name && !byKey.has(name.toLowerCase())) byKey.set(name.toLowerCase(), name);
  }
  return [...byKey.values()];
}

/** The services field's text for a list: "checkout, payments". */
export function servicesText(services: readonly string[]): string {
  return services.join(', ');
}

/** Why these services cannot be saved, in the person's words; null when they can. */
export function servicesProblem(services: readonly string[]): string | null {
  if (services.length > LIMITS.services) return `At most ${LIMITS.services} services: name the ones this incident touches most.`;
  const long = services.find((s) => s.length > LIMITS.serviceChars);
  if (long) return `"${long.slice(0, 24)}…" is longer than ${LIMITS.serviceChars} characters: use the service's short name.`;
  return null;
}

export interface IncidentDraft {
  title: string;
  summary: string;
  services: string;
}

export type EditPayload = { title?: string; summary?: string; services?: string[] };

/**
 * The `incident.edited` payload for a draft: only the fields that changed, so a teammate's
 * concurrent edit of another field is not overwritten with what this dialog opened on. Null
 * when nothing changed. A summary cannot be removed (the event has no way to say "none"), only
 * replaced: emptying it is refused with a sentence.
 */
export function editPayload(current: Pick<IncidentState, 'title' | 'summary' | 'services'>, draft: IncidentDraft): { payload: EditPayload | null; problem: string | null } {
  const title = draft.title.trim();
  const summary = draft.summary.trim();
  const services = parseServices(draft.services);
  if (!title) return { payload: null, problem: 'Give the incident a title: what is broken, for whom.' };
  if (title.length > LIMITS.titleChars) return { payload: null, problem: `A title is at most ${LIMITS.titleChars} characters.` };
  if (!summary && current.summary) return { payload: null, problem: 'A summary can be rewritten but not removed: say what is known so far.' };
  const problem = servicesProblem(services);
  if (problem) return { payload: null, problem };
  const payload: EditPayload = {};
  if (title !== current.title) payload.title = title;
  if (summary && summary !== (current.summary ?? '')) payload.summary = summary;
  if (!sameList(services, current.services)) payload.services = services;
  return { payload: Object.keys(payload).length ? payload : null, problem: null };
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((s, i) => s === b[i]);
}

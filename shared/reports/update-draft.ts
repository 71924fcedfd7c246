import { commanderOf } from '../domain/commander.js';
import { nextUpdateDue, type IncidentState } from '../domain/fold.js';
import { severityLabel } from '../domain/severity.js';
import { DEFAULT_CADENCE, type Cadence } from '../domain/cadence.js';
import { formatInZone } from '../time/zone.js';

/*
 * The first draft of a stakeholder update, from what the incident's state already says: impact,
 * services, status, what is being done and when the next update comes. The commander or comms
 * lead edits it before posting; it only saves them from starting at a blank box at 3 a.m. Pure:
 * the cockpit's dialog and `conn update REF --draft` print the same words.
 */

export const UPDATE_AUDIENCES = ['internal', 'customers', 'executives'] as const;
export type UpdateAudience = (typeof UPDATE_AUDIENCES)[number];

export interface DraftInput {
  state: IncidentState;
  audience: UpdateAudience;
  /** The writer's zone: the next-update time is written in it, with its abbreviation. */
  timeZone: string;
  now: Date;
  /** The team's update cadence; Conn's defaults when the team has set none. */
  cadence?: Cadence | undefined;
}

/** How customers read a status: no internal words ("triage", "identified"). */
const CUSTOMER_STATUS: Record<IncidentState['status'], string> = {
  triage: 'We are aware of a problem and are looking into it.',
  investigating: 'We are investigating the cause.',
  identified: 'We have found the cause and are working on a fix.',
  monitoring: 'A fix is in place and we are monitoring the results.',
  resolved: 'The issue is resolved.',
  closed: 'The issue is resolved.',
};

const INTERNAL_STATUS: Record<IncidentState['status'], string> = {
  triage: 'triage: impact and ownership are being established',
  investigating: 'investigating: looking for the cause',
  identified: 'identified: the cause is known, a fix is under way',
  monitoring: 'monitoring: a fix is in place and being watched',
  resolved: 'resolved: impact is over',
  closed: 'closed',
};

/** What is being done: the open actions (up to three), else the latest decision. */
function workLines(state: IncidentState, withOwners: boolean): string[] {
  const open = state.actions.filter((a) => a.state === 'open' && !a.redacted).slice(0, 3);
  if (open.length) return open.map((a) => `- ${a.text}${withOwners && a.owner ? ` (${a.owner})` : ''}`);
  const decision = [...state.decisions].reverse().find((d) => !d.redacted);
  return decision ? [`- ${decision.text}`] : [];
}

/** When the update after this one is due if it is posted now; null when none is owed. */
export function nextUpdateAfterPosting(state: IncidentState, now: Date, cadence: Cadence = DEFAULT_CADENCE): string | null {
  return nextUpdateDue(state.severity, state.status, state.declaredAt, now.toISOString(), cadence);
}

export function draftUpdate({ state, audience, timeZone, now, cadence }: DraftInput): string {
  const next = nextUpdateAfterPosting(state, now, cadence);
  const nextAt = next ? formatInZone(next, timeZone, { seconds: false, date: formatInZone(next, timeZone).slice(0, 10) !== formatInZone(now, timeZone).slice(0, 10) }) : null;
  const services = state.services.length ? state.services.join(', ') : null;
  const summary = state.summary?.trim() || null;
  const lines: string[] = [];

  if (audience === 'customers') {
    lines.push(services ? `We are seeing problems with ${services}.` : `We are seeing problems with ${state.title}.`);
    if (summary && summary.length <= 400) lines.push(summary);
    lines.push(CUSTOMER_STATUS[state.status]);
    if (nextAt && state.status !== 'resolved' && state.status !== 'closed') lines.push(`We will post another update by ${nextAt}.`);
    return lines.join('\n\n');
  }

  const head = `${severityLabel(state.severity)} ${state.ref}: ${state.title}`;
  lines.push(head);
  lines.push(`Impact: ${summary ?? '(describe who is affected and how)'}`);
  if (services) lines.push(`Services: ${services}`);
  lines.push(`Status: ${INTERNAL_STATUS[state.status]}`);
  const work = workLines(state, audience === 'internal');
  if (work.length) lines.push(['What we are doing:', ...work].join('\n'));
  if (audience === 'internal') {
    const commander = commanderOf(state)?.person;
    if (commander) lines.push(`Commander: ${commander}`);
  }
  if (nextAt) lines.push(`Next update: by ${nextAt}`);
  return lines.join('\n');
}

import { commanderOf } from '../domain/commander.js';
import { conflictText, type IncidentState, type TimelineItem } from '../domain/fold.js';
import { formatDuration } from '../time/zone.js';
import { firstLine, fitToEvent, renderBlocks, type Block } from './fit.js';
import { clockNear, withUtc } from './when.js';

/*
 * The brief that travels with a hand-off offer (handoff.offered's `brief`): what the person taking
 * the role needs before saying yes. handoff-brief.ts is written for a reader catching up; this is
 * written by the one leaving, for the role, and is saved as the event's text, so it is sized to
 * fit one and carries UTC beside the reader's zone for whoever ends up reading it.
 */

export interface HandoffOfferInput {
  state: IncidentState;
  /** Timeline rows since `since`, in timeline order: "what changed recently". */
  items: TimelineItem[];
  since: string;
  role: string;
  /** Who offers the role. */
  from: string;
  /** Whom it is offered to; null when anyone may take it. */
  to: string | null;
  /** The recipient's zone when known (the offerer's otherwise). */
  timeZone: string;
  now: Date;
}

/** Rows that change what the next holder must know. Hypotheses have their own sections; notes stay in the timeline. */
const CHANGE_KINDS = new Set(['status.changed', 'severity.changed', 'role.assigned', 'decision', 'update.posted', 'minutes.written', 'milestone.set']);

const words = (e: { text: string; redacted: boolean }) => (e.redacted ? '_(redacted)_' : firstLine(e.text));

export function handoffOfferBrief(input: HandoffOfferInput): string {
  return fitToEvent((cap) => renderBlocks(offerBlocks(input), cap));
}

function offerBlocks({ state, items, since, role, from, to, timeZone, now }: HandoffOfferInput): Block[] {
  const nowIso = now.toISOString();
  const at = (iso: string) => clockNear(iso, nowIso, timeZone);
  const m = state.milestones;
  const holders = Object.entries(state.roles)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([r, h]) => `${r}: ${h.person}`);
  const commander = commanderOf(state);
  if (commander?.declarer) holders.unshift(`commander: ${commander.person} (declarer)`);

  const impact: string[] = [
    `- SEV${state.severity} · ${state.status} · services: ${state.services.length ? state.services.join(', ') : 'none named'}`,
    ...(state.summary ? [`- ${firstLine(state.summary)}`] : []),
    m.impactStartedAt
      ? `- Impact since ${withUtc(m.impactStartedAt, timeZone)} (${formatDuration(now.getTime() - Date.parse(m.impactStartedAt))})${m.mitigatedAt ? `, mitigated ${withUtc(m.mitigatedAt, timeZone)}` : ', not mitigated yet'}`
      : '- Impact start not recorded',
    `- Roles: ${holders.length ? holders.join('; ') : 'nobody holds one'}`,
    '',
  ];

  const changes = items.filter((i) => CHANGE_KINDS.has(i.kind)).map((i) => `- ${at(i.at)} ${i.author.name}: ${words(i)}`);
  const hyp = (state_: 'open' | 'confirmed' | 'ruled-out') => state.hypotheses.filter((h) => h.state === state_).map((h) => `- ${words(h)}`);
  const open = state.actions.filter((a) => a.state === 'open');
  const actions = open.map((a) => `- [ ] ${words(a)} — ${a.owner ?? '**no owner**'}${a.due ? ` (due ${at(a.due)})` : ''}`);

  const due = state.nextUpdateDueAt;
  const left = due ? Date.parse(due) - now.getTime() : 0;
  const comms = [
    '## Communications',
    `- comms role: ${state.roles['comms']?.person ?? 'nobody'}`,
    `- ${state.updatesPosted} stakeholder update${state.updatesPosted === 1 ? '' : 's'} posted${state.lastUpdateAt ? `, the last ${at(state.lastUpdateAt)}` : ''}`,
    due
      ? left < 0
        ? `- next update OVERDUE by ${formatDuration(-left)} (was due ${withUtc(due, timeZone)})`
        : `- next update due ${withUtc(due, timeZone)} (in ${formatDuration(left)})`
      : '- no stakeholder update owed',
    '',
  ];

  return [
    [
      `# Hand-off: ${role} for ${state.ref} — ${state.title}`,
      '',
      `Offered by ${from} ${to ? `to ${to}` : 'to whoever takes it'}, ${withUtc(nowIso, timeZone)}. Times in ${timeZone}.`,
      '',
      '## Impact now',
      ...impact,
    ],
    { title: `What changed since ${at(since)}`, items: changes, none: 'no status, severity, role or decision changes' },
    { title: 'Hypotheses still open', items: hyp('open'), none: 'none open' },
    { title: 'Confirmed', items: hyp('confirmed'), none: 'nothing confirmed yet' },
    { title: 'Ruled out', items: hyp('ruled-out'), none: 'nothing ruled out yet' },
    { title: `Open actions (${open.length})`, items: actions, none: 'none open' },
    comms,
    ...(state.conflicts.length ? [{ title: 'Concurrent changes to settle', items: state.conflicts.map((c) => `- ⚠ ${conflictText(c)}`), none: '' }] : []),
  ];
}

import { commanderOf } from '../domain/commander.js';
import type { IncidentState, TimelineItem } from '../domain/fold.js';
import { formatDuration, formatInZone } from '../time/zone.js';

/*
 * The hand-off brief: what a teammate who was asleep needs first, in their own time zone. It is
 * a pure function of the folded state and the timeline since they left, so the desktop app, the
 * CLI and an exported file all say the same thing.
 */

export interface BriefReader {
  name: string;
  timeZone: string;
}

export interface BriefInput {
  state: IncidentState;
  /** Timeline rows since `since`, in timeline order (a keyset window, not the whole timeline). */
  since: string;
  items: TimelineItem[];
  reader: BriefReader;
  now: Date;
}

const HEADLINE_KINDS = new Set(['status.changed', 'severity.changed', 'role.assigned', 'decision', 'update.posted', 'minutes.written', 'handoff.offered']);

export function handoffBrief({ state, since, items, reader, now }: BriefInput): string {
  const t = (iso: string) => formatInZone(iso, reader.timeZone, { seconds: false });
  const lines: string[] = [];
  lines.push(`# ${state.ref} — ${state.title}`);
  lines.push('');
  lines.push(`SEV${state.severity} · ${state.status} · brief for ${reader.name}, times in ${reader.timeZone}`);
  lines.push(`Since ${t(since)} (${formatDuration(now.getTime() - Date.parse(since))} ago): ${items.length} timeline entries.`);
  lines.push('');

  const roles = Object.entries(state.roles).sort(([a], [b]) => a.localeCompare(b));
  // The declarer commands until someone is assigned (the hub's rule), so the reader knows whom to ask.
  const commander = commanderOf(state);
  const declarer = commander?.declarer ? [`- commander: ${commander.person} (declarer; nobody assigned)`] : [];
  lines.push('## Who holds what');
  lines.push(...declarer, ...roles.map(([role, h]) => `- ${role}: ${h.person} (since ${t(h.since)})`));
  if (!declarer.length && !roles.length) lines.push('- nobody holds a role yet');
  for (const c of state.conflicts) lines.push(`- ⚠ ${c.label}: ${c.values.join(' vs ')}`);
  lines.push('');

  const mine = state.actions.filter((a) => a.state === 'open' && a.owner === reader.name && !a.redacted);
  lines.push('## Assigned to you');
  lines.push(...(mine.length ? mine.map((a) => `- [ ] ${a.text}${a.due ? ` (due ${t(a.due)})` : ''}`) : ['- nothing']));
  lines.push('');

  const happened = items.filter((i) => HEADLINE_KINDS.has(i.kind) && !i.redacted);
  lines.push('## What happened');
  lines.push(...(happened.length ? happened.map((i) => `- ${t(i.at)} ${i.author.name}: ${firstLine(i.text)}`) : ['- no decisions or status changes']));
  lines.push('');

  const ruledOut = state.hypotheses.filter((h) => h.state === 'ruled-out' && !h.redacted);
  const open = state.hypotheses.filter((h) => h.state === 'open' && !h.redacted);
  lines.push('## Tried and ruled out');
  lines.push(...(ruledOut.length ? ruledOut.map((h) => `- ${h.text}`) : ['- nothing ruled out yet']));
  if (open.length) lines.push('', '## Still open', ...open.map((h) => `- ${h.text}`));
  lines.push('');

  // What was said: a pointer to the recordings of calls since, never their words (the brief is
  // shared with the team, an unshared call's transcript is not). `recordings` is absent in a
  // state stored before recordings existed.
  const recorded = (state.recordings ?? []).filter((r) => r.durationMs !== null && Date.parse(r.startedAt) + r.durationMs >= Date.parse(since));
  if (recorded.length) {
    lines.push('## What was said');
    lines.push(
      ...recorded.map((r) => {
        const call = state.calls.find((c) => c.id === r.callId);
        const where = r.shared ? 'shared: play it from any entry\'s ▶ in the timeline' : `on ${r.by}'s device, not shared yet`;
        return `- ${call?.title ?? 'call'} at ${t(r.startedAt)}, recorded by ${r.by} (${formatDuration(r.durationMs!)}), ${where}; \`conn transcript ${state.ref} --call ${r.callId.slice(0, 13)}\``;
      }),
      '',
    );
  }

  const handoff = state.handoffs.filter((h) => !h.acceptedBy && !h.redacted && (h.to === null || h.to === reader.name));
  if (handoff.length) {
    lines.push('## Waiting for you to take over');
    lines.push(...handoff.map((h) => `- ${h.role} from ${h.from}: ${firstLine(h.brief)}`), '');
  }

  lines.push('## Next');
  if (state.nextUpdateDueAt) {
    const left = Date.parse(state.nextUpdateDueAt) - now.getTime();
    lines.push(`- stakeholder update ${left < 0 ? `OVERDUE by ${formatDuration(-left)}` : `due ${t(state.nextUpdateDueAt)} (in ${formatDuration(left)})`}`);
  } else {
    lines.push('- no stakeholder update owed');
  }
  return `${lines.join('\n')}\n`;
}

function firstLine(text: string): string {
  const line = text.split('\n')[0] ?? '';
  return line.length > 160 ? `${line.slice(0, 157)}…` : line;
}

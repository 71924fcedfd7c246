import { commanderOf } from '../shared/domain/commander.js';
import { conflictText, type IncidentState, type TimelineItem } from '../shared/domain/fold.js';
import { STATUS_MEANING } from '../shared/domain/status.js';
import { updateDueCell, updateDueText } from '../shared/time/update-due.js';
import { formatDuration, formatInZone } from '../shared/time/zone.js';
import type { IncidentSummary } from '../main/core/store/incident-store.js';
import { terminalSafe } from './terminal-safe.js';

/*
 * What the CLI prints for people. Times are always shown in one zone (the profile's, or --tz)
 * with the zone's abbreviation, so a line pasted into chat is never ambiguous.
 */

/** A row of `conn list`: the summary, and when its next stakeholder update is owed (null if none). */
export type IncidentListRow = IncidentSummary & { nextUpdateDueAt?: string | null };

export function incidentListText(list: IncidentListRow[], zone: string, now = Date.now()): string {
  if (list.length === 0) return 'No incidents. Declare one with: conn declare "what is broken" --sev 2';
  const rows = list.map((i) => [
    i.ref,
    `SEV${i.severity}`,
    i.status,
    formatDuration(now - Date.parse(i.declaredAt)),
    formatInZone(i.declaredAt, zone, { seconds: false }),
    updateDueCell(i.nextUpdateDueAt, now),
    terminalSafe(i.title),
  ]);
  return table([['REF', 'SEV', 'STATUS', 'AGE', 'DECLARED', 'UPDATE', 'TITLE'], ...rows]);
}

export function incidentText(s: IncidentState, zone: string, now = Date.now()): string {
  const at = (iso: string | null) => (iso ? formatInZone(iso, zone) : '—');
  const lines = [
    `${s.ref}  SEV${s.severity}  ${s.status}  ${s.title}`,
    `  status     ${s.status}: ${STATUS_MEANING[s.status]}`,
    `  declared   ${at(s.declaredAt)}${s.declaredBy ? ` by ${s.declaredBy}` : ''}`,
  ];
  if (s.services.length) lines.push(`  services   ${s.services.join(', ')}`);
  if (s.summary) lines.push(`  summary    ${s.summary}`);
  const due = updateDueText(s.nextUpdateDueAt, zone, now);
  if (due) lines.push(`  ${due}`);
  // The declarer commands until someone is assigned, as the hub rules; say so rather than "none".
  const commander = commanderOf(s);
  const roles = [...(commander?.declarer ? [`commander: ${commander.person} (declarer)`] : []), ...Object.entries(s.roles).map(([r, h]) => `${r}: ${h.person}`)];
  lines.push(`  roles      ${roles.length ? roles.join(', ') : 'none assigned (conn role REF commander NAME)'}`);
  for (const c of s.conflicts) lines.push(`  ! ${conflictText(c)}`);
  if (s.decisions.length) {
    lines.push('  decisions');
    for (const d of s.decisions) lines.push(`    ${at(d.at)}  ${d.redacted ? '(redacted)' : d.text}`);
  }
  const open = s.hypotheses.filter((h) => !h.redacted);
  if (open.length) {
    lines.push('  hypotheses');
    // With the id: it is what `conn hypothesis-state` and `conn action-set` take.
    for (const h of open) lines.push(`    [${h.state}] ${h.text}  [${h.id}]`);
  }
  if (s.actions.length) {
    lines.push('  actions');
    for (const a of s.actions) {
      const extra = [a.owner ? `owner ${a.owner}` : null, a.due ? `due ${at(a.due)}` : null].filter(Boolean).join(', ');
      lines.push(`    [${a.state}] ${a.redacted ? '(redacted)' : a.text}${extra ? `  (${extra})` : ''}  [${a.id}]`);
    }
  }
  if (s.calls.length) {
    lines.push('  calls');
    for (const c of s.calls) {
      const who = c.attendees.length ? `  (${c.attendees.join(', ')})` : '';
      const when = c.endedAt ? `${at(c.startedAt)} to ${at(c.endedAt)}` : `since ${at(c.startedAt)}`;
      lines.push(`    [${c.endedAt ? 'ended' : 'live'}] ${c.title ?? 'call'}${c.bridge ? `  ${c.bridge}` : ''}  ${when}${who}  [${c.id}]`);
    }
  }
  if (s.handoffs.length) {
    lines.push('  hand-offs');
    for (const h of s.handoffs) {
      const state = h.acceptedBy ? `accepted by ${h.acceptedBy}` : 'waiting';
      lines.push(`    [${state}] ${h.role} from ${h.from} to ${h.to ?? 'anyone'}, ${at(h.at)}  [${h.id}]`);
    }
  }
  const m = Object.entries(s.milestones).filter(([, v]) => v !== null);
  if (m.length) lines.push(`  milestones ${m.map(([k, v]) => `${k.replace(/At$/, '')} ${at(v)}`).join('; ')}`);
  // Titles, names and texts come from teammates: none of their control characters reach the terminal.
  return terminalSafe(lines.join('\n'));
}

export function timelineRowText(item: TimelineItem, zone: string): string {
  const edited = item.edited ? (item.editedBy && item.editedBy !== item.author.name ? `edited by ${item.editedBy}` : 'edited') : null;
  const flags = [item.pinned ? 'pinned' : null, edited].filter(Boolean).join(', ');
  const text = item.redacted ? `(redacted: ${item.redactedReason ?? ''})` : item.text;
  // A refused entry is not part of the incident: say so first, with the hub's reason.
  const refused = item.refused ? `REFUSED by the hub (${item.refused.code}: ${item.refused.message})  ` : '';
  return terminalSafe(`${formatInZone(item.at, zone)}  ${item.author.name}  ${item.kind}  ${refused}${text}${flags ? ` (${flags})` : ''}  [${item.id}]`);
}

/** The machine-readable row of `conn timeline --json`: times in UTC, ISO 8601. */
export function timelineRowJson(item: TimelineItem): Record<string, unknown> {
  return {
    id: item.id,
    kind: item.kind,
    text: item.text,
    author: item.author.name,
    authorId: item.author.id,
    at: item.at,
    hlc: item.hlc,
    pinned: item.pinned,
    edited: item.edited,
    editedBy: item.editedBy,
    redacted: item.redacted,
    redactedReason: item.redactedReason,
    refused: item.refused,
  };
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]!))).join('  ')).join('\n');
}

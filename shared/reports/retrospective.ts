import type { IncidentState, TimelineItem } from '../domain/fold.js';
import { isActiveStatus } from '../domain/status.js';
import { formatDuration, formatInZone } from '../time/zone.js';

/*
 * A blameless retrospective draft from the timeline. It fills in what the record already knows
 * (impact, milestones, decisions, what was ruled out, remediation actions) and leaves the
 * questions only people can answer as prompts — phrased about systems, never about who.
 */

export interface RetroInput {
  state: IncidentState;
  /** The key rows of the timeline (pinned, decisions, status changes), in order. */
  keyItems: TimelineItem[];
  timeZone: string;
}

export function retrospectiveDraft({ state, keyItems, timeZone }: RetroInput): string {
  const t = (iso: string | null) => (iso ? formatInZone(iso, timeZone, { seconds: false }) : '—');
  const m = state.milestones;
  const dur = (from: string | null, to: string | null) => (from && to ? formatDuration(Date.parse(to) - Date.parse(from)) : '—');
  const out: string[] = [
    `# Retrospective: ${state.ref} — ${state.title}`,
    '',
    `*Blameless: we ask how the system let this happen, not who did it.* Times in ${timeZone}.`,
    '',
    '## Summary',
    state.summary ?? '_What happened, in two sentences a customer could read._',
    '',
    '## Impact',
    // A draft may be written while the incident is still open: its severity is not final yet.
    `- Severity ${isActiveStatus(state.status) ? 'now' : 'at close'}: SEV${state.severity}`,
    `- Services: ${state.services.length ? state.services.join(', ') : '—'}`,
    `- Impact started ${t(m.impactStartedAt)}, detected ${t(m.detectedAt)}, mitigated ${t(m.mitigatedAt)}, resolved ${t(m.resolvedAt)}`,
    `- Time to detect ${dur(m.impactStartedAt, m.detectedAt)} · to acknowledge ${dur(m.detectedAt, m.acknowledgedAt)} · to mitigate ${dur(m.impactStartedAt, m.mitigatedAt)} · to resolve ${dur(m.impactStartedAt, m.resolvedAt)}`,
    `- Stakeholder updates posted: ${state.updatesPosted}`,
    '',
    '## Timeline',
    ...(keyItems.length ? keyItems.filter((i) => !i.redacted).map((i) => `- ${t(i.at)} — ${i.text.split('\n')[0]} (${i.author.name})`) : ['- _no key entries were pinned or recorded_']),
    '',
    '## Decisions',
    ...state.decisions.filter((d) => !d.redacted).map((d) => `- ${t(d.at)} ${d.text}`),
    ...(state.decisions.length ? [] : ['- _none recorded_']),
    '',
    '## Hypotheses',
    ...state.hypotheses.filter((h) => !h.redacted).map((h) => `- [${h.state}] ${h.text}`),
    ...(state.hypotheses.length ? [] : ['- _none recorded_']),
    '',
    '## Contributing factors',
    '- _Which conditions made this possible? Which safeguards did not catch it, and why did that make sense at the time?_',
    '',
    '## What went well',
    '- _What helped us detect, understand or mitigate faster?_',
    '',
    '## Remediation actions',
    ...state.actions.filter((a) => !a.redacted).map((a) => `- [${a.state === 'done' ? 'x' : ' '}] ${a.text}${a.owner ? ` — ${a.owner}` : ''}${a.due ? ` (due ${t(a.due)})` : ''}`),
    ...(state.actions.length ? [] : ['- _none yet_']),
    '',
  ];
  return out.join('\n');
}

import type { RetroDocument } from '../api/followup-methods.js';
import type { ActionItem } from '../domain/fold.js';
import type { RetroItem } from '../domain/retro.js';
import { isActiveStatus } from '../domain/status.js';
import { formatDuration, formatInZone } from '../time/zone.js';
import { checkFields, type LocatedFinding } from './blameless.js';

/*
 * The retrospective as people read it, from the living document (shared/domain/retro.ts) and
 * what the record already knows (milestones, pinned key moments, decisions, actions). One model,
 * `retroSections`, feeds every format: Markdown here, HTML in retro-html.ts (and the PDF printed
 * from that HTML), so the three never say different things. Pure.
 */

/** A line of a section: its words (Markdown as people wrote it) and, for facts, nothing else. */
export interface RetroLine {
  text: string;
  /** Shown as a muted prompt rather than content: the section is still empty. */
  prompt?: boolean;
  /** A small label before the words: a factor's category, an action's state. */
  tag?: string;
  /** The item or action it shows, for commands that change it (`conn retro-change REF ID`). */
  id?: string;
}

export interface RetroSection {
  title: string;
  /** Free text written by people (summary, impact): rendered as paragraphs, not a list. */
  prose?: string;
  lines: RetroLine[];
}

export interface RetroView {
  title: string;
  /** "Draft", "In review (sent by Bo, 28 Nov 10:02)", "Published by Ana, 28 Nov 11:30". */
  status: string;
  note: string;
  sections: RetroSection[];
}

const EMPTY = (text: string): RetroLine[] => [{ text, prompt: true }];

/** The fields people wrote, named for the wording check and for people: "contributing factor 2". */
export function retroTexts(doc: RetroDocument): Array<{ where: string; text: string }> {
  const { retro } = doc;
  const items = (what: string, list: RetroItem[]) => list.map((i, n) => ({ where: `${what} ${n + 1}`, text: i.text }));
  return [
    ...(retro.summary ? [{ where: 'summary', text: retro.summary.text }] : []),
    ...(retro.impact ? [{ where: 'impact', text: retro.impact.text }] : []),
    ...items('contributing factor', retro.factors),
    ...items('went well', retro.wentWell),
    ...items('was hard', retro.wasHard),
  ];
}

/** Blame-assigning phrases anywhere people wrote in the retrospective. */
export function checkRetro(doc: RetroDocument): LocatedFinding[] {
  return checkFields(retroTexts(doc));
}

export function retroSections(doc: RetroDocument, timeZone: string): RetroView {
  const { incident: state, retro, keyMoments } = doc;
  const t = (iso: string | null) => (iso ? formatInZone(iso, timeZone, { seconds: false }) : '—');
  const m = state.milestones;
  const dur = (from: string | null, to: string | null) => (from && to ? formatDuration(Date.parse(to) - Date.parse(from)) : '—');
  const s = retro.status;
  const status =
    s.state === 'published' ? `Published by ${s.by ?? 'someone'}, ${t(s.at)}` : s.state === 'in-review' ? `In review (sent by ${s.by ?? 'someone'}, ${t(s.at)})` : 'Draft';
  const items = (list: RetroItem[], prompt: string, tagOf?: (i: RetroItem) => string): RetroLine[] =>
    list.length ? list.map((i) => ({ text: i.text, id: i.id, ...(tagOf ? { tag: tagOf(i) } : {}) })) : EMPTY(prompt);
  const actionsById = new Map(state.actions.map((a) => [a.id, a]));
  const linked = retro.remediation.map((id) => actionsById.get(id)).filter((a): a is ActionItem => a !== undefined && !a.redacted);
  const actionLine = (a: ActionItem): RetroLine => ({ text: `${a.text}${a.owner ? ` — ${a.owner}` : ''}${a.due ? ` (due ${t(a.due)})` : ''}`, tag: a.state, id: a.id });

  const sections: RetroSection[] = [
    { title: 'Summary', ...(retro.summary ? { prose: retro.summary.text } : {}), lines: retro.summary ? [] : EMPTY('What happened, in two sentences a customer could read.') },
    {
      title: 'Impact',
      ...(retro.impact ? { prose: retro.impact.text } : {}),
      lines: [
        // A retrospective may be written while the incident is still open: its severity is not final yet.
        { text: `Severity ${isActiveStatus(state.status) ? 'now' : 'at close'}: SEV${state.severity}` },
        { text: `Services: ${state.services.length ? state.services.join(', ') : '—'}` },
        { text: `Impact started ${t(m.impactStartedAt)}, detected ${t(m.detectedAt)}, mitigated ${t(m.mitigatedAt)}, resolved ${t(m.resolvedAt)}` },
        {
          text: `Time to detect ${dur(m.impactStartedAt, m.detectedAt)} · to acknowledge ${dur(m.detectedAt, m.acknowledgedAt)} · to mitigate ${dur(m.impactStartedAt, m.mitigatedAt)} · to resolve ${dur(m.impactStartedAt, m.resolvedAt)}`,
        },
        { text: `Stakeholder updates posted: ${state.updatesPosted}` },
      ],
    },
    {
      title: 'Key moments',
      lines: keyMoments.length
        ? keyMoments.filter((i) => !i.redacted).map((i) => ({ text: `${t(i.at)} — ${i.text.split('\n')[0]} (${i.author.name})` }))
        : EMPTY('Pin the timeline entries that mattered; they appear here.'),
    },
    { title: 'Contributing factors', lines: items(retro.factors, 'Which conditions made this possible? Which safeguards did not catch it, and why did that make sense at the time?', (i) => i.category ?? 'other') },
    { title: 'What went well', lines: items(retro.wentWell, 'What helped us detect, understand or mitigate faster?') },
    { title: 'What was hard', lines: items(retro.wasHard, 'Where did we lose time, or have to guess?') },
    { title: 'Remediation', lines: linked.length ? linked.map(actionLine) : EMPTY('Link the incident\'s action items that keep this from happening again.') },
    { title: 'Decisions', lines: state.decisions.filter((d) => !d.redacted).map((d) => ({ text: `${t(d.at)} ${d.text}` })) },
    { title: 'Hypotheses', lines: state.hypotheses.filter((h) => !h.redacted).map((h) => ({ text: h.text, tag: h.state })) },
  ];
  return {
    title: `Retrospective: ${state.ref} — ${state.title}`,
    status,
    note: `Blameless: we ask how the system let this happen, not who did it. Times in ${timeZone}.`,
    // Record sections with nothing in them say nothing: leave them out.
    sections: sections.filter((sec) => sec.prose !== undefined || sec.lines.length > 0),
  };
}

/**
 * The retrospective as Markdown: what `--format md` writes, and with `ids` what `conn retro REF`
 * prints (each item's id after it, for the commands that change it).
 */
export function retroMarkdown(doc: RetroDocument, timeZone: string, opts: { ids?: boolean } = {}): string {
  const view = retroSections(doc, timeZone);
  const out = [`# ${view.title}`, '', `**${view.status}** · *${view.note}*`, ''];
  for (const sec of view.sections) {
    out.push(`## ${sec.title}`, '');
    if (sec.prose !== undefined) out.push(sec.prose, '');
    for (const l of sec.lines) {
      if (l.prompt) {
        out.push(`- _${l.text}_`);
        continue;
      }
      const words = `${l.text.replace(/\n+/g, ' ')}${opts.ids && l.id ? `  [${l.id}]` : ''}`;
      out.push(sec.title === 'Remediation' ? `- [${l.tag === 'done' ? 'x' : ' '}] ${words}${l.tag && l.tag !== 'open' && l.tag !== 'done' ? ` (${l.tag})` : ''}` : `- ${l.tag ? `**${l.tag}** ` : ''}${words}`);
    }
    out.push('');
  }
  return out.join('\n');
}

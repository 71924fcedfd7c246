import { commanderLabel } from '../domain/commander.js';
import { compareEvents, type ConnEvent } from '../domain/events.js';
import { conflictText, foldIncident, foldTimeline, type IncidentState, type PlannedCall, type TimelineItem } from '../domain/fold.js';
import type { Severity } from '../domain/severity.js';
import { DEFAULT_CADENCE, type Cadence } from '../domain/cadence.js';
import { isActiveStatus, type Status } from '../domain/status.js';
import { hlcToDate } from '../sync/hlc.js';
import { updateDueText } from '../time/update-due.js';
import { isWorkingAt, type WorkingHoursInput } from '../time/working-hours.js';
import { capped, firstLine } from './fit.js';
import { clockNear, withUtc } from './when.js';

/*
 * "While you were away": what changed on several incidents since the reader last looked, worst
 * first, in the reader's own zone. It answers the teammate waking up in another time zone: what
 * moved, what was decided, which minutes to read, what is now theirs (and whether it was handed to
 * them in the middle of their night), which roles wait for them, and when the next update is owed.
 */

export interface DigestReader {
  name: string;
  timeZone: string;
  /** "09:00-17:00" as the profile stores it, or { start, end }. */
  workingHours: WorkingHoursInput;
}

export interface DigestInput {
  /** Events of any number of incidents, in any order. */
  events: Iterable<ConnEvent>;
  reader: DigestReader;
  since: string;
  now: Date;
  /** The team's update cadence, for when each incident's next update is due; Conn's defaults without it. */
  cadence?: Cadence | undefined;
}

export interface DigestEntry {
  id: string;
  at: string;
  author: string;
  /** The entry's line; null when redacted. Status, severity and role lines are never redacted. */
  text: string | null;
  redacted: boolean;
}

export interface DigestAction {
  id: string;
  text: string | null;
  redacted: boolean;
  due: string | null;
  assignedAt: string;
  assignedBy: string;
  /** Assigned while the reader was outside their working hours. */
  outsideHours: boolean;
  /** Assigned before `since` and still open: the digest keeps showing it until it is done. */
  earlier: boolean;
}

export interface DigestHandoff {
  id: string;
  role: string;
  from: string;
  /** The reader, or null when offered to whoever takes it. */
  to: string | null;
  at: string;
  brief: string | null;
  redacted: boolean;
  /** Offered while the reader was outside their working hours. */
  outsideHours: boolean;
}

export interface DigestIncident {
  incidentId: string;
  ref: string;
  title: string;
  severity: Severity;
  status: Status;
  commander: string | null;
  /** Declared, status, severity and role changes since. */
  changes: DigestEntry[];
  decisions: DigestEntry[];
  /** Minutes published since, named by their call. */
  minutes: Array<DigestEntry & { callTitle: string | null }>;
  /** Open actions the reader owns: assigned since, then older ones still open (`earlier`). */
  actions: DigestAction[];
  /** Offers of a role to the reader, or to anyone, not yet accepted (whenever they were made). */
  handoffs: DigestHandoff[];
  /** Calls still to come that were planned since, soonest first; `you` when the reader must attend. */
  plannedCalls: Array<PlannedCall & { you: boolean }>;
  conflicts: string[];
  nextUpdateDueAt: string | null;
}

export interface Digest {
  since: string;
  reader: DigestReader;
  incidents: DigestIncident[];
  empty: boolean;
  markdown: string;
}

const CHANGE_KINDS = new Set(['incident.declared', 'status.changed', 'severity.changed', 'role.assigned']);
/** A list longer than this ends in "…and N more": the digest is read, the timeline is searched. */
const LIST_CAP = 50;

export function whileYouWereAway({ events, reader, since, now, cadence = DEFAULT_CADENCE }: DigestInput): Digest {
  const byIncident = new Map<string, ConnEvent[]>();
  for (const e of events) {
    const list = byIncident.get(e.incidentId);
    if (list) list.push(e);
    else byIncident.set(e.incidentId, [e]);
  }
  const incidents = [...byIncident.entries()]
    .map(([id, list]) => incidentDigest(id, list, reader, Date.parse(since), now.getTime(), cadence))
    .filter((d): d is DigestIncident => d !== null)
    .sort((a, b) => a.severity - b.severity || Number(isActiveStatus(b.status)) - Number(isActiveStatus(a.status)) || a.ref.localeCompare(b.ref));
  const digest = { since, reader, incidents, empty: incidents.length === 0 };
  return { ...digest, markdown: renderDigest(digest, now) };
}

/**
 * Whether someone other than the reader wrote anything in the digest: what the app opens on by
 * itself. A digest of one's own entries (written from the CLI, say) is no news to its reader.
 */
export function hasNewsFromOthers(d: Pick<Digest, 'reader' | 'incidents'>): boolean {
  const other = (name: string) => name.trim().toLowerCase() !== d.reader.name.trim().toLowerCase();
  return d.incidents.some(
    (i) =>
      i.handoffs.length > 0 ||
      [...i.changes, ...i.decisions, ...i.minutes].some((e) => other(e.author)) ||
      i.actions.some((a) => other(a.assignedBy)),
  );
}

function entryOf(row: TimelineItem): DigestEntry {
  return { id: row.id, at: row.at, author: row.author.name, text: row.redacted ? null : row.text, redacted: row.redacted };
}

/** The incident's news for the reader, or null when there is none. */
function incidentDigest(incidentId: string, events: ConnEvent[], reader: DigestReader, since: number, now: number, cadence: Cadence): DigestIncident | null {
  const state = foldIncident(incidentId, events, cadence);
  const recent = foldTimeline(events).filter((r) => Date.parse(r.at) >= since);
  const byId = new Map(events.map((e) => [e.id, e]));
  const calls = new Map(state.calls.map((c) => [c.id, c]));
  const minutes = recent.flatMap((r) => {
    const e = byId.get(r.id);
    // A draft is not the team's record yet: the digest points at minutes once published.
    if (e?.kind !== 'minutes.written' || e.payload.status === 'draft') return [];
    const call = e.payload.target === undefined ? undefined : calls.get(e.payload.target);
    return [{ ...entryOf(r), callTitle: call?.title ?? null }];
  });
  const digest: DigestIncident = {
    incidentId,
    ref: state.ref,
    title: state.title,
    severity: state.severity,
    status: state.status,
    commander: commanderLabel(state),
    changes: recent.filter((r) => CHANGE_KINDS.has(r.kind)).map(entryOf),
    decisions: recent.filter((r) => r.kind === 'decision').map(entryOf),
    minutes,
    actions: assignedToReader(state, events, reader, since),
    handoffs: waitingFor(state, reader),
    plannedCalls: state.plannedCalls
      .filter((c) => Date.parse(c.plannedAt) >= since && Date.parse(c.at) > now)
      .map((c) => ({ ...c, you: c.attendees.some((a) => a.trim().toLowerCase() === reader.name.trim().toLowerCase()) })),
    conflicts: state.conflicts.map(conflictText),
    nextUpdateDueAt: state.nextUpdateDueAt,
  };
  const news = digest.changes.length + digest.decisions.length + digest.minutes.length + digest.actions.length + digest.handoffs.length + digest.plannedCalls.length;
  return news > 0 ? digest : null;
}

/**
 * Open actions the reader owns: the ones assigned since first, then those assigned earlier and
 * still open, so an action stays in its owner's digest until it is done or cancelled. The assignment is the latest write naming them
 * owner (the fold's winner, since they are the owner now), and its author is who assigned it.
 */
function assignedToReader(state: IncidentState, events: ConnEvent[], reader: DigestReader, since: number): DigestAction[] {
  const out: DigestAction[] = [];
  for (const a of state.actions) {
    if (a.state !== 'open' || a.owner !== reader.name) continue;
    const writes = events
      .filter((e) => (e.kind === 'action.added' && e.id === a.id && e.payload.owner === reader.name) || (e.kind === 'action.updated' && e.payload.target === a.id && e.payload.owner === reader.name))
      .sort(compareEvents);
    const last = writes[writes.length - 1];
    if (!last) continue;
    const at = hlcToDate(last.hlc);
    out.push({
      earlier: at.getTime() < since,
      id: a.id,
      text: a.redacted ? null : a.text,
      redacted: a.redacted,
      due: a.due,
      assignedAt: at.toISOString(),
      assignedBy: last.author.name,
      outsideHours: !isWorkingAt(reader.workingHours, reader.timeZone, at),
    });
  }
  // Stable: within each group the fold's order (by when each action was added) stays.
  return [...out.filter((a) => !a.earlier), ...out.filter((a) => a.earlier)];
}

/** Offers the reader could take now: to them or to anyone, not theirs, not accepted, incident still active. */
function waitingFor(state: IncidentState, reader: DigestReader): DigestHandoff[] {
  if (!isActiveStatus(state.status)) return [];
  // Names compare as the authority rule compares them: "kim" wrote what "Kim" reads.
  const key = reader.name.trim().toLowerCase();
  const isReader = (name: string) => name.trim().toLowerCase() === key;
  return state.handoffs
    .filter((h) => h.acceptedBy === null && !isReader(h.from) && (h.to === null || isReader(h.to)))
    .map((h) => ({
      id: h.id,
      role: h.role,
      from: h.from,
      to: h.to,
      at: h.at,
      brief: h.redacted ? null : h.brief,
      redacted: h.redacted,
      outsideHours: !isWorkingAt(reader.workingHours, reader.timeZone, new Date(h.at)),
    }));
}

function renderDigest(d: Omit<Digest, 'markdown'>, now: Date): string {
  const zone = d.reader.timeZone;
  const nowIso = now.toISOString();
  const at = (iso: string) => clockNear(iso, nowIso, zone);
  const words = (text: string | null) => (text === null ? '_(redacted)_' : firstLine(text));
  const out = ['# While you were away', '', `Since ${withUtc(d.since, zone)}, for ${d.reader.name}. Times in ${zone}.`, ''];
  if (d.empty) {
    out.push('Nothing changed on your incidents since then, and nothing is waiting for you.');
    return `${out.join('\n')}\n`;
  }
  const sub = (title: string, items: string[]) => (items.length ? [`### ${title}`, ...capped(items, LIST_CAP), ''] : []);
  for (const i of d.incidents) {
    const due = updateDueText(i.nextUpdateDueAt, zone, now.getTime()) ?? 'no update owed';
    out.push(`## ${i.ref} — ${i.title || 'untitled'}`, '', `SEV${i.severity} · ${i.status} · commander: ${i.commander ?? 'nobody'} · ${due}`, '');
    out.push(
      ...sub('Changes', i.changes.map((c) => `- ${at(c.at)} ${c.author}: ${words(c.text)}`)),
      ...sub('Decisions', i.decisions.map((c) => `- ${at(c.at)} ${c.author}: ${words(c.text)}`)),
      ...sub('Minutes published', i.minutes.map((m) => `- ${at(m.at)} ${m.author}: minutes of ${m.callTitle ?? 'a call'}${m.redacted ? ' _(redacted)_' : ''}`)),
      ...sub(
        'Assigned to you',
        i.actions.filter((a) => !a.earlier).map((a) => `- [ ] ${words(a.text)}${a.due ? ` (due ${at(a.due)})` : ''} — by ${a.assignedBy} at ${at(a.assignedAt)}${a.outsideHours ? ', outside your working hours' : ''}`),
      ),
      ...sub(
        'Still yours, not done yet',
        i.actions.filter((a) => a.earlier).map((a) => `- [ ] ${words(a.text)}${a.due ? ` (due ${at(a.due)})` : ''} — since ${at(a.assignedAt)}`),
      ),
      ...sub(
        'Waiting for you to take over',
        // A generated brief opens with its heading; without the #s it still names role and incident.
        i.handoffs.map((h) => `- ${h.role} from ${h.from} (${h.to === null ? 'open to anyone' : 'offered to you'}, ${at(h.at)}${h.outsideHours ? ', outside your working hours' : ''}): ${words(h.brief === null ? null : h.brief.replace(/^#+\s*/, ''))}`),
      ),
      ...sub(
        'Calls planned',
        i.plannedCalls.map((c) => `- ${withUtc(c.at, zone)}, ${c.lengthMin} min${c.title ? `: ${c.title}` : ''} — with ${c.attendees.join(', ')}${c.you ? ' (you are on it)' : ''}; planned by ${c.plannedBy}`),
      ),
      ...sub('Concurrent changes', i.conflicts.map((c) => `- ⚠ ${c}`)),
    );
  }
  return `${out.join('\n')}\n`;
}

import { commanderLabel } from '../domain/commander.js';
import { compareEvents, type ActionStateValue, type ConnEvent, type EventOfKind } from '../domain/events.js';
import type { Cadence } from '../domain/cadence.js';
import { conflictText, foldIncident, foldTimeline, type IncidentState, type PlannedCall, type TimelineItem } from '../domain/fold.js';
import type { Severity } from '../domain/severity.js';
import type { Status } from '../domain/status.js';
import { formatOffset, type TranscriptSegment } from '../domain/recording.js';
import { hlcToDate } from '../sync/hlc.js';
import { formatDuration } from '../time/zone.js';
import { firstLine, fitToEvent, renderBlocks, type Block } from './fit.js';
import { clockNear, withUtc } from './when.js';

/*
 * The minutes of one call, written from the timeline so nobody has to take them by hand at 3 a.m.
 * "During the call" means between its call.started and its call.ended in (hlc, id) order, the
 * order every cockpit agrees on, so an entry a teammate wrote offline during the call is in the
 * minutes wherever they are generated. The incident's state at either end is the fold of the
 * events up to that instant; words come from the whole timeline, so a redaction made after the
 * call still hides what it covers.
 */

export interface MinutesInput {
  /** Events of the call's incident (others are ignored), in any order. */
  events: ConnEvent[];
  /** The id of the call.started event. */
  callId: string;
  /** The reader's zone; every time is also given in UTC. */
  timeZone: string;
  /** People seen on the call by presence rather than by attendee.joined (from the hub). */
  presence?: string[];
  /** Overrides the next call; without it, the soonest call.planned after this call's end. */
  nextCallAt?: string | null;
  /** The team's update cadence, for the next update's due time; Conn's defaults without it. */
  cadence?: Cadence | undefined;
  /**
   * Transcripts this reader holds of the call's recordings (their own, or shared with them),
   * redacted segments left out by the caller. Each decision quotes what was said around it.
   * Absent, the minutes are exactly what they were before recordings existed.
   */
  transcripts?: MinutesTranscript[];
}

export interface MinutesTranscript {
  recordingId: string;
  startedAt: string;
  segments: TranscriptSegment[];
}

/** What was said around a decision: from this long before it to this long after. */
export const QUOTE_BEFORE_MS = 30_000;
export const QUOTE_AFTER_MS = 10_000;

export interface StateAt {
  severity: Severity;
  status: Status;
  /** "ana", "ana (declarer)", or null when nobody commands. */
  commander: string | null;
}

export interface MinutesEntry {
  id: string;
  at: string;
  author: string;
  /** Null when redacted: the words are never copied into the minutes. */
  text: string | null;
  redacted: boolean;
  /** For a decision: transcript segments said around it, with their offset into the recording. */
  said?: Array<{ recordingId: string; offsetMs: number; text: string }>;
}

export interface MinutesAction extends MinutesEntry {
  /** As they stood when the call ended. */
  owner: string | null;
  due: string | null;
  state: ActionStateValue;
  /** Added during the call, or only re-assigned, re-dated or settled during it. */
  change: 'added' | 'updated';
}

export interface MinutesRoleChange {
  id: string;
  at: string;
  by: string;
  role: string;
  person: string | null;
}

export interface MinutesUpdate extends MinutesEntry {
  audience: string | null;
}

export interface MinutesAttendee {
  name: string;
  joinedAt: string | null;
  /** Null while they stayed to the end (or the call is still running). */
  leftAt: string | null;
  via: 'call' | 'presence';
}

export interface CallMinutes {
  incidentId: string;
  ref: string;
  incidentTitle: string;
  callId: string;
  callTitle: string | null;
  startedAt: string;
  endedAt: string | null;
  /** True when the call has not ended: the minutes run to the latest event and say "so far". */
  ongoing: boolean;
  durationMs: number;
  attendees: MinutesAttendee[];
  atStart: StateAt;
  atEnd: StateAt;
  decisions: MinutesEntry[];
  actions: MinutesAction[];
  hypotheses: { opened: MinutesEntry[]; confirmed: MinutesEntry[]; ruledOut: MinutesEntry[] };
  roleChanges: MinutesRoleChange[];
  updates: MinutesUpdate[];
  /** Questions still open when the call ended, whenever they were raised. */
  openQuestions: { hypotheses: MinutesEntry[]; unownedActions: MinutesEntry[] };
  /** Writes of one field that did not see each other, as the fold reports them at the end. */
  conflicts: string[];
  nextUpdateDueAt: string | null;
  nextCallAt: string | null;
  /** The planned call nextCallAt comes from, when it comes from one. */
  nextCall: PlannedCall | null;
  markdown: string;
}

const iso = (hlc: string) => hlcToDate(hlc).toISOString();

function stateAt(state: IncidentState): StateAt {
  return { severity: state.severity, status: state.status, commander: commanderLabel(state) };
}

/** The minutes of the call `callId`. Throws a RangeError when no such call is among the events. */
export function callMinutes(input: MinutesInput): CallMinutes {
  const start = input.events.find((e): e is EventOfKind<'call.started'> => e.id === input.callId && e.kind === 'call.started');
  if (!start) throw new RangeError(`no call ${input.callId} among these events`);
  const byId = new Map<string, ConnEvent>();
  for (const e of input.events) if (e.incidentId === start.incidentId) byId.set(e.id, e);
  const sorted = [...byId.values()].sort(compareEvents);
  const foldUpTo = (last: ConnEvent) => foldIncident(start.incidentId, sorted.filter((e) => compareEvents(e, last) <= 0), input.cadence);

  // Two people may end the same call; the fold keeps the greatest (hlc, id), and so do we.
  const ends = sorted.filter((e) => e.kind === 'call.ended' && e.payload.target === start.id && compareEvents(e, start) > 0);
  const end = ends[ends.length - 1] ?? null;
  const last = end ?? sorted[sorted.length - 1] ?? start;
  const during = sorted.filter((e) => compareEvents(e, start) > 0 && compareEvents(e, last) <= 0);
  const atStart = foldUpTo(start);
  const atEnd = foldUpTo(last);
  const rows = new Map(foldTimeline(sorted).map((i) => [i.id, i]));

  const entry = (id: string, fallback: ConnEvent): MinutesEntry => {
    const row: TimelineItem | undefined = rows.get(id);
    const redacted = row?.redacted ?? false;
    return { id, at: row?.at ?? iso(fallback.hlc), author: row?.author.name ?? fallback.author.name, text: redacted ? null : (row?.text ?? ''), redacted };
  };

  const actions: MinutesAction[] = [];
  const seenActions = new Set<string>();
  const settled = new Set<string>();
  for (const e of during) {
    const target = e.kind === 'action.added' ? e.id : e.kind === 'action.updated' ? e.payload.target : null;
    if (target !== null && !seenActions.has(target)) {
      const item = atEnd.actions.find((a) => a.id === target);
      const added = byId.get(target);
      if (item && added) {
        seenActions.add(target);
        actions.push({ ...entry(target, added), owner: item.owner, due: item.due, state: item.state, change: e.kind === 'action.added' ? 'added' : 'updated' });
      }
    }
    if (e.kind === 'hypothesis.updated') settled.add(e.payload.target);
  }
  // Planned whenever (during the call or after), for a time after it: what "next" means to a reader.
  const endMs = hlcToDate(last.hlc).getTime();
  const nextCall = input.nextCallAt !== undefined ? null : (foldIncident(start.incidentId, sorted).plannedCalls.find((c) => Date.parse(c.at) > endMs) ?? null);
  const settledAs = (state: string) =>
    atEnd.hypotheses.filter((h) => settled.has(h.id) && h.state === state).map((h) => entry(h.id, byId.get(h.id) ?? start));

  const minutes: Omit<CallMinutes, 'markdown'> = {
    incidentId: start.incidentId,
    ref: atEnd.ref,
    incidentTitle: atEnd.title,
    callId: start.id,
    callTitle: start.payload.title ?? null,
    startedAt: iso(start.hlc),
    endedAt: end ? iso(end.hlc) : null,
    ongoing: end === null,
    durationMs: hlcToDate(last.hlc).getTime() - hlcToDate(start.hlc).getTime(),
    attendees: attendeesOf(sorted, start, input.presence ?? []),
    atStart: stateAt(atStart),
    atEnd: stateAt(atEnd),
    decisions: during.filter((e) => e.kind === 'decision').map((e) => withSaid(entry(e.id, e), input.transcripts)),
    actions,
    hypotheses: {
      opened: during.filter((e) => e.kind === 'hypothesis').map((e) => entry(e.id, e)),
      confirmed: settledAs('confirmed'),
      ruledOut: settledAs('ruled-out'),
    },
    roleChanges: during.flatMap((e) => (e.kind === 'role.assigned' ? [{ id: e.id, at: iso(e.hlc), by: e.author.name, role: e.payload.role, person: e.payload.person }] : [])),
    updates: during.flatMap((e) => (e.kind === 'update.posted' ? [{ ...entry(e.id, e), audience: e.payload.audience ?? null }] : [])),
    openQuestions: {
      hypotheses: atEnd.hypotheses.filter((h) => h.state === 'open').map((h) => entry(h.id, byId.get(h.id) ?? start)),
      unownedActions: atEnd.actions.filter((a) => a.state === 'open' && a.owner === null).map((a) => entry(a.id, byId.get(a.id) ?? start)),
    },
    // A conflict between edits lists their words: none for an entry redacted since.
    conflicts: atEnd.conflicts.filter((c) => !(c.field.startsWith('text:') && rows.get(c.field.slice(5))?.redacted)).map(conflictText),
    nextUpdateDueAt: atEnd.nextUpdateDueAt,
    nextCallAt: input.nextCallAt !== undefined ? input.nextCallAt : (nextCall?.at ?? null),
    nextCall,
  };
  const blocks = minutesBlocks(minutes, input.timeZone);
  return { ...minutes, markdown: fitToEvent((cap) => renderBlocks(blocks, cap)) };
}

/**
 * The transcript around an entry: segments of the recording that covers its moment, from
 * QUOTE_BEFORE_MS before it to QUOTE_AFTER_MS after. A redacted entry quotes nothing: what was
 * said around it may be what made someone redact it.
 */
function withSaid(e: MinutesEntry, transcripts: MinutesTranscript[] | undefined): MinutesEntry {
  if (!transcripts?.length || e.redacted) return e;
  const t = Date.parse(e.at);
  const said: NonNullable<MinutesEntry['said']> = [];
  for (const tr of transcripts) {
    const offset = t - Date.parse(tr.startedAt);
    if (offset < 0) continue;
    for (const s of tr.segments) {
      if (s.endMs >= offset - QUOTE_BEFORE_MS && s.startMs <= offset + QUOTE_AFTER_MS) said.push({ recordingId: tr.recordingId, offsetMs: s.startMs, text: s.text });
    }
  }
  return said.length ? { ...e, said } : e;
}

/**
 * Who was on the call: everyone an attendee.joined names for it (whenever it arrived), the person
 * who started it, and the names presence saw. Joined is the first join; left is the last leave,
 * unless they joined again after it.
 */
function attendeesOf(sorted: ConnEvent[], start: ConnEvent, presence: string[]): MinutesAttendee[] {
  const people = new Map<string, MinutesAttendee>();
  people.set(start.author.name, { name: start.author.name, joinedAt: iso(start.hlc), leftAt: null, via: 'call' });
  for (const e of sorted) {
    if ((e.kind !== 'attendee.joined' && e.kind !== 'attendee.left') || e.payload.target !== start.id) continue;
    const at = iso(e.hlc);
    const p = people.get(e.payload.person) ?? { name: e.payload.person, joinedAt: null, leftAt: null, via: 'call' as const };
    if (e.kind === 'attendee.joined') {
      p.joinedAt ??= at;
      p.leftAt = null;
    } else {
      p.leftAt = at;
    }
    people.set(p.name, p);
  }
  for (const name of presence) {
    const trimmed = name.trim();
    if (trimmed && !people.has(trimmed)) people.set(trimmed, { name: trimmed, joinedAt: null, leftAt: null, via: 'presence' });
  }
  return [...people.values()].sort((a, b) => a.name.localeCompare(b.name));
}

function minutesBlocks(m: Omit<CallMinutes, 'markdown'>, zone: string): Block[] {
  const at = (when: string) => clockNear(when, m.startedAt, zone);
  const words = (e: MinutesEntry) => (e.redacted || e.text === null ? '_(redacted)_' : firstLine(e.text));
  const line = (e: MinutesEntry) => `- ${at(e.at)} ${e.author}: ${words(e)}`;
  const section = (title: string, items: string[], none: string): Block => ({ title, items, none });
  const state = (s: StateAt) => `SEV${s.severity} | ${s.status} | ${s.commander ?? 'nobody'}`;

  const ended = m.endedAt ? `${withUtc(m.endedAt, zone)}, ${formatDuration(m.durationMs)}` : `still running (${formatDuration(m.durationMs)} so far)`;
  const attendees = m.attendees.map((a) => {
    const times = [a.joinedAt ? `joined ${at(a.joinedAt)}` : null, a.leftAt ? `left ${at(a.leftAt)}` : null].filter(Boolean).join(', ');
    return `- ${a.name}${a.via === 'presence' ? ' (seen by presence)' : times ? ` (${times})` : ''}`;
  });
  const action = (a: MinutesAction) => {
    const box = a.state === 'done' ? '[x]' : a.state === 'cancelled' ? '[-]' : '[ ]';
    const due = a.due ? `, due ${withUtc(a.due, zone)}` : '';
    return `- ${box} ${words(a)} — ${a.owner ?? 'no owner'}${due}${a.change === 'updated' ? ' (updated)' : ''}`;
  };

  return [
    [
      `# Minutes: ${m.callTitle ?? 'call'} — ${m.ref} ${m.incidentTitle}`,
      '',
      `- Started ${withUtc(m.startedAt, zone)}`,
      `- Ended ${ended}`,
      `- Times in ${zone}`,
      '',
    ],
    section(`Attendees (${m.attendees.length})`, attendees, 'nobody recorded'),
    [
      '## State',
      '| | Severity | Status | Commander |',
      '| --- | --- | --- | --- |',
      `| At start | ${state(m.atStart)} |`,
      `| ${m.ongoing ? 'Now' : 'At end'} | ${state(m.atEnd)} |`,
      '',
    ],
    section('Decisions', m.decisions.map((d) => [line(d), ...(d.said ?? []).map((q) => `  > ${formatOffset(q.offsetMs)} "${firstLine(q.text)}"`)].join('\n')), 'none'),
    section('Actions', m.actions.map(action), 'none'),
    section('Hypotheses opened', m.hypotheses.opened.map(line), 'none'),
    section('Hypotheses confirmed', m.hypotheses.confirmed.map((h) => `- ${words(h)}`), 'none'),
    section('Hypotheses ruled out', m.hypotheses.ruledOut.map((h) => `- ${words(h)}`), 'none'),
    section('Role changes', m.roleChanges.map((r) => `- ${at(r.at)} ${r.person === null ? `${r.role} unassigned` : `${r.person} is ${r.role}`} (by ${r.by})`), 'none'),
    section('Updates posted', m.updates.map((u) => `${line(u)}${u.audience ? ` (to ${u.audience})` : ''}`), 'none'),
    ...(m.conflicts.length ? [section('Concurrent changes', m.conflicts.map((c) => `- ⚠ ${c}`), '')] : []),
    section(
      'Still open',
      [...m.openQuestions.hypotheses.map((h) => `- hypothesis: ${words(h)}`), ...m.openQuestions.unownedActions.map((a) => `- action without owner: ${words(a)}`)],
      'no open hypotheses or unowned actions',
    ),
    [
      '## Next',
      `- Stakeholder update: ${m.nextUpdateDueAt ? `due ${withUtc(m.nextUpdateDueAt, zone)}` : 'none owed'}`,
      `- Next call: ${m.nextCallAt ? `${withUtc(m.nextCallAt, zone)}${m.nextCall ? `, ${m.nextCall.lengthMin} min${m.nextCall.title ? ` (${m.nextCall.title})` : ''}, with ${m.nextCall.attendees.join(', ')}` : ''}` : 'none planned'}`,
    ],
  ];
}

import { hlcToDate } from '../sync/hlc.js';
import type { Severity } from './severity.js';
import { cadenceStep, DEFAULT_CADENCE, type Cadence } from './cadence.js';
import { formatOffset } from './recording.js';
import { isActiveStatus, type Status } from './status.js';
import { refFromId } from './incident-ref.js';
import { isRetroKey, retroStatusOf, retroWritesOf, type RetroStatus } from './retro.js';
import {
  compareEvents,
  isTextKind,
  targetOf,
  type ActionStateValue,
  type Author,
  type ConnEvent,
  type EventKind,
  type EventOfKind,
  type Milestone,
} from './events.js';

/*
 * The fold: an incident's state from its events. It is a pure function of the *set* of events:
 * the same events in any order, with any duplicates, give a deep-equal state. It gets there by
 * never depending on arrival order: every field is a register whose value is the write with the
 * greatest (hlc, id), and everything derived is computed from sets sorted by (hlc, id).
 *
 * Notes and other free text do not live here (a 100k-event incident would make every commit
 * rewrite them); the timeline projection owns them. See `foldTimeline`.
 */

export type HypothesisState = 'open' | 'ruled-out' | 'confirmed';

interface Write {
  id: string;
  hlc: string;
  value: unknown;
  supersedes: string[];
}

export interface RoleHolder {
  person: string | null;
  since: string;
  by: string;
}

export interface ActionItem {
  id: string;
  text: string;
  owner: string | null;
  due: string | null;
  state: ActionStateValue;
  createdAt: string;
  createdBy: string;
  redacted: boolean;
}

export interface Hypothesis {
  id: string;
  text: string;
  state: HypothesisState;
  at: string;
  author: string;
  redacted: boolean;
}

export interface Decision {
  id: string;
  text: string;
  at: string;
  author: string;
  redacted: boolean;
}

export interface RunbookStep {
  key: string;
  text: string;
  done: boolean;
  by: string | null;
  at: string | null;
}

export interface AttachedRunbook {
  attachId: string;
  runbookId: string;
  name: string;
  version: number;
  steps: RunbookStep[];
}

export interface Call {
  id: string;
  title: string | null;
  bridge: string | null;
  startedAt: string;
  endedAt: string | null;
  attendees: string[];
  /** Who is recording this call now (recording.started without its stop); empty once it ended. */
  recordedBy: string[];
}

/**
 * A recording of a call (recording.started/stopped/shared). The audio lives on the recorder's
 * device, and on the hub once shared; this is what everyone on the incident knows of it.
 */
export interface Recording {
  id: string;
  callId: string;
  by: string;
  startedAt: string;
  /** Null while it runs (or when the recorder's cockpit never said it stopped). */
  durationMs: number | null;
  bytes: number | null;
  shared: boolean;
  sharedBy: string | null;
}

/** A transcript segment scrubbed (transcript.redacted): the stored words go, everywhere. */
export interface TranscriptRedaction {
  recordingId: string;
  startMs: number;
  reason: string;
}

/** A call planned for later (call.planned); `at` is UTC, each reader's view shows it in their zone. */
export interface PlannedCall {
  id: string;
  at: string;
  lengthMin: number;
  attendees: string[];
  title: string | null;
  plannedBy: string;
  plannedAt: string;
}

export interface Handoff {
  id: string;
  role: string;
  from: string;
  to: string | null;
  brief: string;
  at: string;
  acceptedBy: string | null;
  acceptedAt: string | null;
  redacted: boolean;
}

/** Writes of one field that did not see each other: shown to people, never silently hidden. */
export interface Conflict {
  field: string;
  /** Already counted: "2 concurrent IC assignments". */
  label: string;
  values: string[];
}

/** A conflict as one line for people: "2 concurrent IC assignments: ana / bo". */
export function conflictText(c: Conflict): string {
  return `${c.label}: ${c.values.join(' / ')}`;
}

export interface IncidentState {
  id: string;
  ref: string;
  declared: boolean;
  title: string;
  summary: string | null;
  services: string[];
  severity: Severity;
  status: Status;
  declaredAt: string | null;
  declaredBy: string | null;
  roles: Record<string, RoleHolder>;
  actions: ActionItem[];
  hypotheses: Hypothesis[];
  decisions: Decision[];
  runbooks: AttachedRunbook[];
  calls: Call[];
  /** Recordings of the incident's calls, by start time. */
  recordings: Recording[];
  transcriptRedactions: TranscriptRedaction[];
  /** Calls planned for later, soonest first (past ones included: the reader decides what is due). */
  plannedCalls: PlannedCall[];
  handoffs: Handoff[];
  milestones: Record<Milestone, string | null>;
  lastUpdateAt: string | null;
  updatesPosted: number;
  nextUpdateDueAt: string | null;
  conflicts: Conflict[];
  /** The retrospective's review state; the document itself is projectRetro (shared/domain/retro.ts). */
  retro: RetroStatus;
  lastHlc: string | null;
}

/** Serialisable accumulator: merging an event into it is commutative and idempotent. */
export interface FoldAcc {
  incidentId: string;
  declared: { id: string; hlc: string; author: string; payload: ConnEvent['payload'] } | null;
  registers: Record<string, Record<string, Write>>;
  entries: Record<string, { kind: EventKind; hlc: string; author: string; payload: ConnEvent['payload'] }>;
  redacted: Record<string, string>;
  lastHlc: string | null;
  /**
   * The earliest candidate acts of acknowledgement, each the least (hlc, id) of its class (see
   * `acknowledgementOf`): `any` for ordinary acts, `commander-self:NAME` for NAME naming
   * themselves commander. Absent in accumulators stored before it existed (the store re-folds those).
   */
  firstActs?: Record<string, { id: string; hlc: string }>;
}

/** Kinds that change incident state; others (notes) only touch the timeline. */
const STATE_KINDS = new Set<EventKind>([
  'incident.declared', 'incident.edited', 'decision', 'hypothesis', 'hypothesis.updated', 'action.added',
  'action.updated', 'status.changed', 'severity.changed', 'role.assigned', 'update.posted', 'runbook.attached',
  'runbook.step-done', 'call.started', 'call.ended', 'attendee.joined', 'attendee.left', 'handoff.offered',
  'handoff.accepted', 'entry.edited', 'entry.redacted', 'milestone.set', 'call.planned', 'retro.edited', 'retro.state',
  'recording.started', 'recording.stopped', 'recording.shared', 'transcript.redacted',
]);
export function affectsState(kind: EventKind): boolean {
  return STATE_KINDS.has(kind);
}

/** Entries the state lists (others are timeline-only). */
const ENTRY_KINDS = new Set<EventKind>([
  'decision', 'hypothesis', 'action.added', 'update.posted', 'runbook.attached', 'call.started', 'handoff.offered',
  'call.planned',
]);

export function emptyAcc(incidentId: string): FoldAcc {
  return { incidentId, declared: null, registers: {}, entries: {}, redacted: {}, lastHlc: null, firstActs: {} };
}

/*
 * Acknowledgement is the first human act on an incident after its declaration: a status change,
 * a note, a role taken or given, a hand-off accepted, an action, anything in its timeline, except
 *   - the declaration itself,
 *   - a hand-set milestone (a correction of the record, often written hours later), and
 *   - the declarer naming themselves commander: the declaration already made them commander
 *     (the roster shows "declarer; nobody assigned"), so confirming it acknowledges nothing, and
 *     counting it made "acknowledge 0s" the norm.
 * Which author declared is known only once the declaration is merged, so the self-assignments are
 * kept per person and the declarer's are set aside in `project`: merging stays order-independent.
 */
function actClassOf(e: ConnEvent): string | null {
  if (e.kind === 'incident.declared' || e.kind === 'milestone.set') return null;
  if (e.kind === 'role.assigned' && e.payload.role === 'commander' && e.payload.person === e.author.name) return `commander-self:${e.author.name}`;
  return 'any';
}

/**
 * Records `e` as a candidate act of acknowledgement; true when it is the earliest of its class so
 * far (so the projected state may change). Cheap enough for every note: the store calls it for
 * kinds that otherwise leave the state alone.
 */
export function mergeAct(acc: FoldAcc, e: ConnEvent): boolean {
  if (e.incidentId !== acc.incidentId) return false;
  const cls = actClassOf(e);
  if (cls === null) return false;
  const acts = (acc.firstActs ??= {});
  const prev = acts[cls];
  if (prev !== undefined && !newer(prev, e)) return false;
  acts[cls] = { id: e.id, hlc: e.hlc };
  return true;
}

/** When the incident was acknowledged, from the recorded acts (see above); null before anyone acted. */
function acknowledgementOf(acc: FoldAcc): string | null {
  const declarer = acc.declared?.author;
  const declaredHlc = acc.declared?.hlc;
  let first: { id: string; hlc: string } | null = null;
  for (const [cls, act] of Object.entries(acc.firstActs ?? {})) {
    if (cls === `commander-self:${declarer}`) continue;
    // Nothing written after seeing the declaration can sort before it; guard anyway.
    if (declaredHlc !== undefined && act.hlc < declaredHlc) continue;
    if (first === null || newer(first, act)) first = act;
  }
  return first ? iso(first.hlc) : null;
}

function iso(hlc: string): string {
  return hlcToDate(hlc).toISOString();
}

function newer(a: { hlc: string; id: string }, b: { hlc: string; id: string }): boolean {
  return compareEvents(a, b) > 0;
}

/** The field writes one event makes. Register keys name the field: "status", "role:commander". */
function writesOf(e: ConnEvent): Array<{ key: string; value: unknown }> {
  switch (e.kind) {
    case 'incident.declared':
      return [
        { key: 'title', value: e.payload.title },
        { key: 'severity', value: e.payload.severity },
        { key: 'status', value: 'triage' },
        { key: 'services', value: e.payload.services },
        ...(e.payload.summary !== undefined ? [{ key: 'summary', value: e.payload.summary }] : []),
      ];
    case 'incident.edited': {
      const out: Array<{ key: string; value: unknown }> = [];
      if (e.payload.title !== undefined) out.push({ key: 'title', value: e.payload.title });
      if (e.payload.summary !== undefined) out.push({ key: 'summary', value: e.payload.summary });
      if (e.payload.services !== undefined) out.push({ key: 'services', value: e.payload.services });
      return out;
    }
    case 'status.changed':
      return [{ key: 'status', value: e.payload.status }];
    case 'severity.changed':
      return [{ key: 'severity', value: e.payload.severity }];
    case 'role.assigned':
      return [{ key: `role:${e.payload.role}`, value: e.payload.person }];
    case 'hypothesis.updated':
      return [{ key: `hyp:${e.payload.target}`, value: e.payload.state }];
    case 'action.updated': {
      const t = e.payload.target;
      const out: Array<{ key: string; value: unknown }> = [];
      if (e.payload.text !== undefined) out.push({ key: `text:${t}`, value: e.payload.text });
      if (e.payload.owner !== undefined) out.push({ key: `owner:${t}`, value: e.payload.owner });
      if (e.payload.due !== undefined) out.push({ key: `due:${t}`, value: e.payload.due });
      if (e.payload.state !== undefined) out.push({ key: `state:${t}`, value: e.payload.state });
      return out;
    }
    case 'entry.edited':
      return [{ key: `text:${e.payload.target}`, value: e.payload.text }];
    case 'runbook.step-done':
      return [{ key: `step:${e.payload.target}:${e.payload.step}`, value: { done: e.payload.done, by: e.author.name } }];
    case 'call.ended':
      return [{ key: `ended:${e.payload.target}`, value: true }];
    case 'attendee.joined':
      return [{ key: `attendee:${e.payload.target}:${e.payload.person}`, value: true }];
    case 'attendee.left':
      return [{ key: `attendee:${e.payload.target}:${e.payload.person}`, value: false }];
    case 'handoff.accepted':
      return [{ key: `accepted:${e.payload.target}`, value: e.author.name }];
    case 'milestone.set':
      return [{ key: `milestone:${e.payload.milestone}`, value: e.payload.at }];
    case 'retro.edited':
      return retroWritesOf(e.payload, e.author.name);
    case 'retro.state':
      return [{ key: 'retro:state', value: { v: e.payload.state, by: e.author.name } }];
    // Recordings are keyed by their own id (not the event's): a start, a stop and a share each
    // write one field of it, so they merge in any order.
    case 'recording.started':
      return [{ key: `rec:${e.payload.recordingId}:started`, value: { callId: e.payload.target, by: e.author.name, startedAt: new Date(e.payload.startedAt).toISOString() } }];
    case 'recording.stopped':
      return [{ key: `rec:${e.payload.recordingId}:stopped`, value: { durationMs: e.payload.durationMs, bytes: e.payload.bytes } }];
    case 'recording.shared':
      return [{ key: `rec:${e.payload.recordingId}:shared`, value: { by: e.author.name, durationMs: e.payload.durationMs, bytes: e.payload.bytes } }];
    case 'transcript.redacted':
      return [{ key: `trx:${e.payload.recordingId}:${e.payload.startMs}`, value: e.payload.reason }];
    default:
      return [];
  }
}

/**
 * Merges one event into the accumulator, in place. Safe to call with an event already merged,
 * and in any order: every step is a set insert or a max.
 */
export function mergeEvent(acc: FoldAcc, e: ConnEvent): void {
  if (e.incidentId !== acc.incidentId) return;
  if (acc.lastHlc === null || e.hlc > acc.lastHlc) acc.lastHlc = e.hlc;
  if (e.kind === 'incident.declared') {
    // Two declarations of one id cannot both win; the earliest is the declaration.
    if (acc.declared === null || newer(acc.declared, e)) {
      acc.declared = { id: e.id, hlc: e.hlc, author: e.author.name, payload: e.payload };
    }
  }
  if (e.kind === 'entry.redacted') {
    const prev = acc.redacted[e.payload.target];
    // Redaction sticks; if two people redact, keep the smallest reason deterministically.
    if (prev === undefined || e.payload.reason < prev) acc.redacted[e.payload.target] = e.payload.reason;
  }
  if (ENTRY_KINDS.has(e.kind)) {
    acc.entries[e.id] = { kind: e.kind, hlc: e.hlc, author: e.author.name, payload: e.payload };
  }
  for (const w of writesOf(e)) {
    const reg = (acc.registers[w.key] ??= {});
    reg[e.id] = { id: e.id, hlc: e.hlc, value: w.value, supersedes: e.supersedes ?? [] };
  }
  mergeAct(acc, e);
}

function sortedWrites(reg: Record<string, Write> | undefined): Write[] {
  return reg ? Object.values(reg).sort(compareEvents) : [];
}

function winner(reg: Record<string, Write> | undefined): Write | undefined {
  const all = sortedWrites(reg);
  return all[all.length - 1];
}

/**
 * The writes of one field as the state reads them. A role's writes are its role.assigned events
 * and the acceptances of offers of that role: accepting a hand-off takes the role, last writer
 * wins among both. The acceptance names only its offer, so which role it writes is known only
 * once the offer is merged too; deriving it here, not in mergeEvent, keeps the fold
 * order-independent.
 */
function registerOf(acc: FoldAcc, key: string): Record<string, Write> | undefined {
  if (!key.startsWith('role:')) return acc.registers[key];
  const role = key.slice(5);
  let reg = acc.registers[key];
  for (const [offerId, entry] of Object.entries(acc.entries)) {
    if (entry.kind !== 'handoff.offered' || (entry.payload as { role: string }).role !== role) continue;
    const accepts = acc.registers[`accepted:${offerId}`];
    if (!accepts) continue;
    reg = { ...reg, ...accepts };
  }
  return reg;
}

/** The role keys acceptances write, for offers already merged. */
function acceptedRoleKeys(acc: FoldAcc): string[] {
  const keys = new Set<string>();
  for (const [offerId, entry] of Object.entries(acc.entries)) {
    if (entry.kind === 'handoff.offered' && acc.registers[`accepted:${offerId}`]) keys.add(`role:${(entry.payload as { role: string }).role}`);
  }
  return [...keys];
}

/**
 * The fields one event writes, given what is already merged: an acceptance writes its offer's
 * role as well. The store lists the heads of these as what the event supersedes.
 */
export function writeKeysOf(acc: FoldAcc, e: ConnEvent): string[] {
  const keys = writesOf(e).map((w) => w.key);
  if (e.kind === 'handoff.accepted') {
    const offer = acc.entries[e.payload.target];
    if (offer?.kind === 'handoff.offered') keys.push(`role:${(offer.payload as { role: string }).role}`);
  }
  return keys;
}

/** Writes nobody has superseded. More than one means people changed the field at the same time. */
export function headsOf(acc: FoldAcc, key: string): string[] {
  const all = sortedWrites(registerOf(acc, key));
  const seen = new Set(all.flatMap((w) => w.supersedes));
  return all.filter((w) => !seen.has(w.id)).map((w) => w.id);
}

function fieldLabel(key: string): string {
  if (key.startsWith('role:')) {
    const role = key.slice(5);
    return role === 'commander' ? 'IC assignments' : `${role} assignments`;
  }
  if (key.startsWith('text:')) return 'edits of one entry';
  if (key.startsWith('owner:')) return 'action owner changes';
  if (key.startsWith('state:')) return 'action state changes';
  return `${key} changes`;
}

/** The current value of one register, or undefined when never written. */
function valueOf<T>(acc: FoldAcc, key: string): T | undefined {
  return winner(acc.registers[key])?.value as T | undefined;
}

/** The register's value once anyone wrote it, null included ("no owner now"); else `original`. */
function writtenOr<T>(acc: FoldAcc, key: string, original: T): T {
  const w = winner(acc.registers[key]);
  return w ? (w.value as T) : original;
}

function textOf(acc: FoldAcc, id: string, original: string): string {
  if (acc.redacted[id] !== undefined) return '';
  return valueOf<string>(acc, `text:${id}`) ?? original;
}

/** Milestones come from events unless a person set one explicitly ("impact began at 09:12"). */
function milestonesOf(acc: FoldAcc, status: Status, declaredAt: string | null): Record<Milestone, string | null> {
  const statusWrites = sortedWrites(acc.registers['status']);
  // Mitigated is the start of the final stretch at monitoring or later, so the milestone follows
  // the incident's final history: a resolve undone seconds later, or a reopen to investigating,
  // leaves it unmitigated until it gets there again, while resolved -> monitoring keeps the
  // earlier mitigation (impact stayed mitigated all along).
  const mitigatedStatuses: ReadonlySet<Status> = new Set<Status>(['monitoring', 'resolved', 'closed']);
  let mitigatedAt: string | null = null;
  for (const w of statusWrites) {
    if (mitigatedStatuses.has(w.value as Status)) mitigatedAt ??= iso(w.hlc);
    else mitigatedAt = null;
  }
  // Resolved means the latest resolution: a reopened incident is not resolved until it is again.
  let resolvedAt: string | null = null;
  if (!isActiveStatus(status)) {
    for (const w of statusWrites) {
      const active = isActiveStatus(w.value as Status);
      if (active) resolvedAt = null;
      else resolvedAt ??= iso(w.hlc);
    }
  }
  const declaredPayload = acc.declared?.payload as { detectedAt?: string; impactStartedAt?: string } | undefined;
  const explicit = (m: Milestone): string | null => {
    const at = valueOf<string>(acc, `milestone:${m}`);
    return at === undefined ? null : new Date(at).toISOString();
  };
  const detectedAt = explicit('detectedAt') ?? declaredPayload?.detectedAt ?? declaredAt;
  // Unless someone said when impact began, it began when it was detected, hand-set detection
  // included: back-dating detection must not leave impact starting after it.
  return {
    impactStartedAt: explicit('impactStartedAt') ?? declaredPayload?.impactStartedAt ?? detectedAt,
    detectedAt,
    acknowledgedAt: explicit('acknowledgedAt') ?? acknowledgementOf(acc),
    mitigatedAt: explicit('mitigatedAt') ?? mitigatedAt,
    resolvedAt: explicit('resolvedAt') ?? resolvedAt,
  };
}

/** Projects the accumulator into the state people see. Pure; output is fully ordered. */
/** `cadence` is the team's update cadence (Conn's defaults when the team has set none). */
export function project(acc: FoldAcc, cadence: Cadence = DEFAULT_CADENCE): IncidentState {
  const declaredAt = acc.declared ? iso(acc.declared.hlc) : null;
  const severity = (valueOf<number>(acc, 'severity') ?? 3) as Severity;
  const status = valueOf<Status>(acc, 'status') ?? 'triage';

  const roles: Record<string, RoleHolder> = {};
  const conflicts: Conflict[] = [];
  for (const key of [...new Set([...Object.keys(acc.registers), ...acceptedRoleKeys(acc)])].sort()) {
    const heads = headsOf(acc, key);
    // Concurrent edits of a redacted entry are moot, and listing them would leak its words.
    const redactedText = key.startsWith('text:') && acc.redacted[key.slice(5)] !== undefined;
    // The retrospective lists its own concurrent edits (projectRetro), beside the words they touch.
    // Two people sharing one recording, or redacting one segment, agree: nothing to show.
    const audioKey = key.startsWith('rec:') || key.startsWith('trx:');
    if (heads.length > 1 && !redactedText && !isRetroKey(key) && !audioKey) {
      const reg = registerOf(acc, key) ?? {};
      const values = heads.map((id) => String(reg[id]?.value ?? 'nobody'));
      conflicts.push({ field: key, label: `${heads.length} concurrent ${fieldLabel(key)}`, values });
    }
    if (key.startsWith('role:')) {
      const w = winner(registerOf(acc, key));
      if (w && w.value !== null) roles[key.slice(5)] = { person: w.value as string, since: iso(w.hlc), by: w.id };
    }
  }

  const entries = Object.entries(acc.entries)
    .map(([id, e]) => ({ id, ...e }))
    .sort(compareEvents);
  const actions: ActionItem[] = [];
  const hypotheses: Hypothesis[] = [];
  const decisions: Decision[] = [];
  const runbooks: AttachedRunbook[] = [];
  const calls: Call[] = [];
  const plannedCalls: PlannedCall[] = [];
  const handoffs: Handoff[] = [];
  const recordings = recordingsOf(acc);
  let lastUpdateAt: string | null = null;
  let updatesPosted = 0;
  for (const e of entries) {
    const p = e.payload as Record<string, unknown>;
    const redacted = acc.redacted[e.id] !== undefined;
    switch (e.kind) {
      case 'action.added':
        actions.push({
          id: e.id,
          text: textOf(acc, e.id, p['text'] as string),
          owner: writtenOr<string | null>(acc, `owner:${e.id}`, (p['owner'] as string | undefined) ?? null),
          due: writtenOr<string | null>(acc, `due:${e.id}`, (p['due'] as string | undefined) ?? null),
          state: valueOf<ActionStateValue>(acc, `state:${e.id}`) ?? 'open',
          createdAt: iso(e.hlc),
          createdBy: e.author,
          redacted,
        });
        break;
      case 'hypothesis':
        hypotheses.push({
          id: e.id,
          text: textOf(acc, e.id, p['text'] as string),
          state: valueOf<HypothesisState>(acc, `hyp:${e.id}`) ?? 'open',
          at: iso(e.hlc),
          author: e.author,
          redacted,
        });
        break;
      case 'decision':
        decisions.push({ id: e.id, text: textOf(acc, e.id, p['text'] as string), at: iso(e.hlc), author: e.author, redacted });
        break;
      case 'update.posted':
        updatesPosted += 1;
        lastUpdateAt = iso(e.hlc);
        break;
      case 'runbook.attached': {
        const steps = (p['steps'] as Array<{ key: string; text: string }>).map((s) => {
          const w = winner(acc.registers[`step:${e.id}:${s.key}`]);
          const v = w?.value as { done: boolean; by: string } | undefined;
          return { key: s.key, text: s.text, done: v?.done ?? false, by: v?.done ? v.by : null, at: v?.done && w ? iso(w.hlc) : null };
        });
        runbooks.push({ attachId: e.id, runbookId: p['runbookId'] as string, name: p['name'] as string, version: p['version'] as number, steps });
        break;
      }
      case 'call.started': {
        const ended = winner(acc.registers[`ended:${e.id}`]);
        const prefix = `attendee:${e.id}:`;
        const attendees = Object.keys(acc.registers)
          .filter((k) => k.startsWith(prefix) && valueOf<boolean>(acc, k) === true)
          .map((k) => k.slice(prefix.length))
          .sort();
        calls.push({
          id: e.id,
          title: (p['title'] as string | undefined) ?? null,
          bridge: (p['bridge'] as string | undefined) ?? null,
          startedAt: iso(e.hlc),
          endedAt: ended ? iso(ended.hlc) : null,
          attendees: ended ? [] : attendees,
          recordedBy: ended ? [] : [...new Set(recordings.filter((r) => r.callId === e.id && r.durationMs === null).map((r) => r.by))].sort(),
        });
        break;
      }
      case 'call.planned':
        plannedCalls.push({
          id: e.id,
          at: new Date(p['at'] as string).toISOString(),
          lengthMin: p['lengthMin'] as number,
          attendees: p['attendees'] as string[],
          title: (p['title'] as string | undefined) ?? null,
          plannedBy: e.author,
          plannedAt: iso(e.hlc),
        });
        break;
      case 'handoff.offered': {
        const accepted = winner(acc.registers[`accepted:${e.id}`]);
        handoffs.push({
          id: e.id,
          role: p['role'] as string,
          from: e.author,
          to: (p['to'] as string | null) ?? null,
          brief: textOf(acc, e.id, p['brief'] as string),
          at: iso(e.hlc),
          acceptedBy: (accepted?.value as string | undefined) ?? null,
          acceptedAt: accepted ? iso(accepted.hlc) : null,
          redacted,
        });
        break;
      }
      default:
        break;
    }
  }

  return {
    id: acc.incidentId,
    ref: refFromId(acc.incidentId),
    declared: acc.declared !== null,
    title: valueOf<string>(acc, 'title') ?? '',
    summary: valueOf<string>(acc, 'summary') ?? null,
    services: valueOf<string[]>(acc, 'services') ?? [],
    severity,
    status,
    declaredAt,
    declaredBy: acc.declared?.author ?? null,
    roles,
    actions,
    hypotheses,
    decisions,
    runbooks,
    calls,
    recordings,
    transcriptRedactions: transcriptRedactionsOf(acc),
    // Two calls planned for one instant keep the timeline's order, so every cockpit lists them alike.
    plannedCalls: plannedCalls.sort((a, b) => a.at.localeCompare(b.at)),
    handoffs,
    milestones: milestonesOf(acc, status, declaredAt),
    lastUpdateAt,
    updatesPosted,
    nextUpdateDueAt: nextUpdateDue(severity, status, declaredAt, lastUpdateAt, cadence),
    conflicts,
    retro: retroStatusOf(acc),
    lastHlc: acc.lastHlc,
  };
}

/** The recordings the registers hold, by start (then id): a stop or share without its start is not shown. */
function recordingsOf(acc: FoldAcc): Recording[] {
  const out: Recording[] = [];
  for (const key of Object.keys(acc.registers)) {
    const m = /^rec:(.+):started$/.exec(key);
    if (!m) continue;
    const id = m[1]!;
    const started = valueOf<{ callId: string; by: string; startedAt: string }>(acc, key)!;
    const stopped = valueOf<{ durationMs: number; bytes: number }>(acc, `rec:${id}:stopped`);
    const shared = valueOf<{ by: string; durationMs: number; bytes: number }>(acc, `rec:${id}:shared`);
    // A share says how long the shared audio is: it stands in for a stop the sharer's cockpit has not sent.
    const size = stopped ?? shared;
    out.push({
      id,
      callId: started.callId,
      by: started.by,
      startedAt: started.startedAt,
      durationMs: size?.durationMs ?? null,
      bytes: size?.bytes ?? null,
      shared: shared !== undefined,
      sharedBy: shared?.by ?? null,
    });
  }
  return out.sort((a, b) => a.startedAt.localeCompare(b.startedAt) || a.id.localeCompare(b.id));
}

/** Redacted transcript segments; of two reasons for one segment, the smallest, like entry.redacted. */
function transcriptRedactionsOf(acc: FoldAcc): TranscriptRedaction[] {
  const out: TranscriptRedaction[] = [];
  for (const [key, reg] of Object.entries(acc.registers)) {
    const m = /^trx:(.+):(\d+)$/.exec(key);
    if (!m) continue;
    const reason = Object.values(reg).map((w) => w.value as string).sort()[0]!;
    out.push({ recordingId: m[1]!, startMs: Number(m[2]), reason });
  }
  return out.sort((a, b) => a.recordingId.localeCompare(b.recordingId) || a.startMs - b.startMs);
}

/** When the next stakeholder update is due, from the severity's entry in the cadence; null when none is owed. */
export function nextUpdateDue(
  severity: Severity,
  status: Status,
  declaredAt: string | null,
  lastUpdateAt: string | null,
  cadence: Cadence = DEFAULT_CADENCE,
): string | null {
  const step = cadenceStep(cadence, severity);
  if (!step || !declaredAt || !isActiveStatus(status)) return null;
  const base = lastUpdateAt ? Date.parse(lastUpdateAt) + step.everyMin * 60_000 : Date.parse(declaredAt) + step.firstMin * 60_000;
  return new Date(base).toISOString();
}

/**
 * The state with its due time under another cadence. Everything the due time depends on is in
 * the state, so a stored projection (folded with the defaults) takes a team's cadence at read
 * time and equals the fold under that cadence; a change of cadence rewrites no stored row.
 */
export function withCadence(state: IncidentState, cadence: Cadence): IncidentState {
  const nextUpdateDueAt = nextUpdateDue(state.severity, state.status, state.declaredAt, state.lastUpdateAt, cadence);
  return nextUpdateDueAt === state.nextUpdateDueAt ? state : { ...state, nextUpdateDueAt };
}

/** The whole fold in one call: dedupes, merges and projects (under the team's cadence, if given). */
export function foldIncident(incidentId: string, events: Iterable<ConnEvent>, cadence: Cadence = DEFAULT_CADENCE): IncidentState {
  const acc = emptyAcc(incidentId);
  for (const e of events) mergeEvent(acc, e);
  return project(acc, cadence);
}

export interface TimelineItem {
  id: string;
  incidentId: string;
  kind: EventKind;
  hlc: string;
  at: string;
  author: Author;
  /** The entry's current text (after edits), a generated line for state changes, '' if redacted. */
  text: string;
  pinned: boolean;
  edited: boolean;
  /** Who wrote the text shown, when it is an edit (the author, the commander or an admin). */
  editedBy: string | null;
  redacted: boolean;
  redactedReason: string | null;
  /** Set on the writer's own cockpit when the hub refused this entry: it is not part of the state. */
  refused: { code: string; message: string } | null;
}

/** Kinds folded into their target instead of shown as their own timeline rows. */
const META_KINDS = new Set<EventKind>(['entry.edited', 'entry.pinned', 'entry.redacted']);
export function isMetaKind(kind: EventKind): boolean {
  return META_KINDS.has(kind);
}

/** The one-line text a timeline row shows for an event that is not free text. */
export function describeEvent(e: ConnEvent): string {
  switch (e.kind) {
    case 'incident.declared':
      return `Declared SEV${e.payload.severity}: ${e.payload.title}`;
    case 'incident.edited':
      return [
        e.payload.title !== undefined ? `Title → ${e.payload.title}` : null,
        e.payload.services !== undefined ? `Services → ${e.payload.services.join(', ') || 'none'}` : null,
        e.payload.summary !== undefined ? 'Summary updated' : null,
      ]
        .filter(Boolean)
        .join('; ');
    case 'status.changed':
      return `Status → ${e.payload.status}`;
    case 'severity.changed':
      return `Severity → SEV${e.payload.severity}`;
    case 'role.assigned':
      return e.payload.person === null ? `${e.payload.role} unassigned` : `${e.payload.person} is ${e.payload.role}`;
    case 'hypothesis.updated':
      return `Hypothesis ${e.payload.state}`;
    case 'action.updated': {
      const parts = [
        e.payload.state !== undefined ? `marked ${e.payload.state}` : null,
        e.payload.owner !== undefined ? `owner → ${e.payload.owner ?? 'nobody'}` : null,
        e.payload.due !== undefined ? `due → ${e.payload.due ?? 'none'}` : null,
        e.payload.text !== undefined ? 'text edited' : null,
      ].filter(Boolean);
      return `Action ${parts.join(', ')}`;
    }
    case 'runbook.attached':
      return `Runbook attached: ${e.payload.name} (v${e.payload.version})`;
    case 'runbook.step-done':
      return `Runbook step ${e.payload.step} ${e.payload.done ? 'done' : 'reopened'}`;
    case 'call.started':
      return `Call started${e.payload.title ? `: ${e.payload.title}` : ''}`;
    case 'call.ended':
      return 'Call ended';
    case 'call.planned':
      return `Call planned${e.payload.title ? `: ${e.payload.title}` : ''} for ${new Date(e.payload.at).toISOString().slice(0, 16).replace('T', ' ')} UTC, ${e.payload.lengthMin} min, with ${e.payload.attendees.join(', ')}`;
    case 'attendee.joined':
      return `${e.payload.person} joined the call`;
    case 'attendee.left':
      return `${e.payload.person} left the call`;
    case 'handoff.accepted':
      return 'Hand-off accepted';
    case 'milestone.set':
      return `Milestone ${e.payload.milestone} set to ${e.payload.at}`;
    case 'entry.edited':
      return 'Entry edited';
    case 'entry.pinned':
      return e.payload.pinned ? 'Entry pinned' : 'Entry unpinned';
    case 'entry.redacted':
      return 'Entry redacted';
    case 'retro.edited':
      return retroEditLine(e.payload);
    case 'recording.started':
      return `${e.author.name} is recording the call`;
    case 'recording.stopped':
      return `Recording stopped (${formatOffset(e.payload.durationMs)})`;
    case 'recording.shared':
      return `Recording shared with the team (${formatOffset(e.payload.durationMs)})`;
    case 'transcript.redacted':
      return `Transcript redacted at ${formatOffset(e.payload.startMs)}`;
    case 'retro.state':
      return `Retrospective ${e.payload.state === 'in-review' ? 'sent for review' : e.payload.state === 'published' ? 'published' : 'back to draft'}`;
    default:
      return (e.payload as { text?: string; brief?: string }).text ?? (e.payload as { brief?: string }).brief ?? '';
  }
}

/**
 * The timeline as people read it: one row per non-meta event in (hlc, id) order, with edits,
 * pins and redactions folded into their targets. This is the reference the SQLite projection
 * is tested against.
 */
export function foldTimeline(events: Iterable<ConnEvent>): TimelineItem[] {
  const byId = new Map<string, ConnEvent>();
  for (const e of events) byId.set(e.id, e);
  const all = [...byId.values()].sort(compareEvents);
  const redactions = new Map<string, string>();
  const texts = new Map<string, ConnEvent>();
  const pins = new Map<string, ConnEvent>();
  // A meta event only reaches an entry of its own incident, whatever ids it names.
  const sameIncident = (meta: ConnEvent, target: string) => byId.get(target)?.incidentId === meta.incidentId;
  for (const e of all) {
    const t = targetOf(e);
    if (t !== undefined && isMetaKind(e.kind) && !sameIncident(e, t)) continue;
    if (e.kind === 'action.updated' && e.payload.text !== undefined && !sameIncident(e, e.payload.target)) continue;
    if (e.kind === 'entry.redacted') {
      const prev = redactions.get(e.payload.target);
      if (prev === undefined || e.payload.reason < prev) redactions.set(e.payload.target, e.payload.reason);
    } else if (e.kind === 'entry.edited' || (e.kind === 'action.updated' && e.payload.text !== undefined)) {
      texts.set(e.payload.target, e); // sorted ascending, so the last one set wins
    } else if (e.kind === 'entry.pinned') {
      pins.set(e.payload.target, e);
    }
  }
  const out: TimelineItem[] = [];
  for (const e of all) {
    if (isMetaKind(e.kind)) continue;
    const reason = redactions.get(e.id);
    const edit = texts.get(e.id);
    let text = describeEvent(e);
    if (isTextKind(e.kind) && edit) text = (edit.payload as { text: string }).text;
    const pin = pins.get(e.id);
    out.push({
      id: e.id,
      incidentId: e.incidentId,
      kind: e.kind,
      hlc: e.hlc,
      at: iso(e.hlc),
      author: e.author,
      text: reason !== undefined ? '' : text,
      pinned: pin ? (pin.payload as { pinned: boolean }).pinned : false,
      edited: isTextKind(e.kind) && edit !== undefined && reason === undefined,
      editedBy: isTextKind(e.kind) && edit !== undefined && reason === undefined ? edit.author.name : null,
      redacted: reason !== undefined,
      redactedReason: reason ?? null,
      refused: null,
    });
  }
  return out;
}

/** The timeline's line for a retrospective edit: what changed, not the words (they are in the document). */
function retroEditLine(p: EventOfKind<'retro.edited'>['payload']): string {
  const what = { summary: 'summary', impact: 'impact', factor: 'contributing factor', 'went-well': '"went well" item', 'was-hard': '"was hard" item', remediation: 'remediation' }[p.field];
  if (p.field === 'summary' || p.field === 'impact') return `Retrospective ${what} ${p.text === '' ? 'cleared' : 'edited'}`;
  if (p.field === 'remediation') return `Retrospective: action ${p.linked ? 'linked as' : 'unlinked from'} remediation`;
  return `Retrospective ${what} ${p.removed === true ? 'removed' : p.removed === false ? 'restored' : 'written'}`;
}

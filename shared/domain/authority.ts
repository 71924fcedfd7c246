import type { MemberRole } from '../sync/protocol.js';
import { targetOf, type ConnEvent, type EventKind } from './events.js';
import { commanderOf } from './commander.js';
import type { IncidentState } from './fold.js';
import { refFromId } from './incident-ref.js';

/*
 * Who may do what to the shared record: one pure rule, applied by the hub to every event it
 * accepts and by the cockpit before it saves a local write. Both sides pass the incident's
 * folded state as they know it, so a refusal the cockpit can decide happens at once, offline,
 * with the same words the hub would use; what only the hub can decide (the member's role when
 * this cockpit has never synced) is let through locally and decided there.
 *
 * The table in the README ("Who may do what") is this function in words: keep them in step.
 */

/** What a refusal says: a stable code and a sentence the person can act on. */
export type RefusalCode = 'forbidden' | 'not-found' | 'conflict' | 'invalid-input';
export type Verdict = { ok: true } | { ok: false; code: RefusalCode; message: string };

/**
 * The member writing. `name` is the name the hub knows them by (their invite name); `role` is
 * null when not known yet (a cockpit that has never synced), which lets through what an admin
 * could do and leaves the decision to the hub.
 */
export interface Actor {
  name: string;
  role: MemberRole | typeof INTEGRATION_ROLE | null;
}

/*
 * Alerts open incidents by themselves (server/alerts/): the hub writes those events, signed as
 * the team's integration that received the alert. That identity is the hub's alone. Its author
 * id and name carry a reserved prefix no member may sign with (and no member may be invited
 * under), so a cockpit cannot forge an alert, and an integration may write only what an alert
 * means: declare an incident, add a note, move it to monitoring when the alert resolves.
 */
export const INTEGRATION_ROLE = 'integration';
export const INTEGRATION_PREFIX = 'integration:';
const INTEGRATION_KINDS: readonly EventKind[] = ['incident.declared', 'note', 'status.changed'];

/** The author the hub signs an integration's events with. */
export function integrationAuthor(integrationId: string, name: string): { id: string; name: string } {
  return { id: `${INTEGRATION_PREFIX}${integrationId}`, name: `${INTEGRATION_PREFIX}${name}` };
}

/** Whether a name (an author's, a declarer's) is an integration's: reserved, whatever its case. */
export function isIntegrationName(name: string | null | undefined): boolean {
  return !!name && name.trim().toLowerCase().startsWith(INTEGRATION_PREFIX);
}

/** The stored entry an event targets, as the deciding side has it; null when it has none. */
export interface TargetEntry {
  incidentId: string;
  kind: EventKind;
  authorName: string;
}

/** The part of an incident's folded state the rule reads. */
export type AuthorityState = Pick<IncidentState, 'id' | 'declared' | 'declaredBy' | 'roles' | 'handoffs'> & Partial<Pick<IncidentState, 'retro' | 'recordings'>>;

export interface AuthorityInput {
  /** The incident as folded from the events this side holds; null when it holds none. */
  state: AuthorityState | null;
  actor: Actor;
  event: ConnEvent;
  target?: TargetEntry | null;
}

const OK: Verdict = { ok: true };
const refuse = (code: RefusalCode, message: string): Verdict => ({ ok: false, code, message });

export function sameName(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

/** The commander's name as everyone folds it (shared/domain/commander.ts): assigned, else the declarer. */
function commanderName(state: Pick<IncidentState, 'roles' | 'declaredBy'>): string | null {
  return commanderOf(state)?.person ?? null;
}

/** An incident an alert opened has no human commander until someone takes command. */
function commandIsFree(state: Pick<IncidentState, 'roles' | 'declaredBy'>): boolean {
  return isIntegrationName(commanderName(state));
}

/** Which kinds an event's target must be, per targeting kind. */
const TARGET_KINDS: Partial<Record<EventKind, { kinds: readonly EventKind[]; what: string }>> = {
  'hypothesis.updated': { kinds: ['hypothesis'], what: 'a hypothesis' },
  'action.updated': { kinds: ['action.added'], what: 'an action item' },
  'runbook.step-done': { kinds: ['runbook.attached'], what: 'an attached runbook' },
  'call.ended': { kinds: ['call.started'], what: 'a call' },
  'attendee.joined': { kinds: ['call.started'], what: 'a call' },
  'attendee.left': { kinds: ['call.started'], what: 'a call' },
  'minutes.written': { kinds: ['call.started'], what: 'a call' },
  'handoff.accepted': { kinds: ['handoff.offered'], what: 'a hand-off offer' },
  'recording.started': { kinds: ['call.started'], what: 'a call' },
  'recording.stopped': { kinds: ['call.started'], what: 'a call' },
  'recording.shared': { kinds: ['call.started'], what: 'a call' },
  // Only a remediation link has a target: the action item it links.
  'retro.edited': { kinds: ['action.added'], what: 'an action item' },
  'entry.edited': { kinds: ['note', 'decision', 'hypothesis', 'action.added', 'update.posted', 'minutes.written', 'handoff.offered'], what: 'an entry with text' },
  // An edit can be redacted on its own: its words are as sensitive as the entry's.
  'entry.redacted': {
    kinds: ['note', 'decision', 'hypothesis', 'action.added', 'update.posted', 'minutes.written', 'handoff.offered', 'entry.edited', 'action.updated'],
    what: 'an entry with text or an edit of one',
  },
  'entry.pinned': {
    kinds: ['incident.declared', 'incident.edited', 'note', 'decision', 'hypothesis', 'hypothesis.updated', 'action.added', 'action.updated', 'status.changed',
      'severity.changed', 'role.assigned', 'update.posted', 'runbook.attached', 'runbook.step-done', 'call.started', 'call.ended', 'attendee.joined',
      'attendee.left', 'minutes.written', 'handoff.offered', 'handoff.accepted', 'milestone.set', 'call.planned', 'retro.state'],
    what: 'a timeline entry',
  },
};

/** Does this role outrank everyone on this incident: a team admin or (role unknown) possibly one. */
function mayBeAdmin(actor: Actor): boolean {
  return actor.role === 'admin' || actor.role === null;
}

function isCommander(actor: Actor, state: AuthorityState): boolean {
  const commander = commanderName(state);
  return commander !== null && sameName(commander, actor.name);
}

/**
 * Allowed, or refused with a code and a sentence. Checks run from the most general (who is
 * writing) to the most specific (what this kind needs), and the first refusal is the answer.
 */
export function authorize({ state, actor, event, target }: AuthorityInput): Verdict {
  const signedAsIntegration = isIntegrationName(event.author.name) || event.author.id.trim().toLowerCase().startsWith(INTEGRATION_PREFIX);
  if (actor.role === INTEGRATION_ROLE) {
    if (!signedAsIntegration) return refuse('forbidden', `an integration signs as "${INTEGRATION_PREFIX}…"`);
    if (!INTEGRATION_KINDS.includes(event.kind)) return refuse('forbidden', `an integration may only declare an incident, add a note or move it to monitoring, not write ${event.kind}`);
    // An alert resolving is evidence of mitigation, not of the end of the impact: that is a person's call.
    if (event.kind === 'status.changed' && event.payload.status !== 'monitoring') return refuse('forbidden', 'an integration may only move an incident to monitoring');
  } else if (signedAsIntegration) {
    return refuse('forbidden', `names starting with "${INTEGRATION_PREFIX}" are the hub's integrations: only the hub writes as one`);
  }
  if (actor.role === 'viewer') {
    return refuse('forbidden', `${actor.name} is a viewer in this team and cannot write; ask a team admin to re-invite you as a member`);
  }
  if (!sameName(event.author.name, actor.name)) {
    return refuse(
      'forbidden',
      `this entry is signed ${JSON.stringify(event.author.name)} but the hub knows you as ${JSON.stringify(actor.name)}: set your name with \`conn profile --name "${actor.name}"\` (or ask a team admin to invite you under the name you use in Conn), then resend it`,
    );
  }
  const ref = refFromId(event.incidentId);
  if (event.kind === 'incident.declared') {
    if (state?.declared) return refuse('conflict', `${ref} is already declared; a second declaration of the same incident is refused`);
    return OK;
  }
  if (!state?.declared) return refuse('not-found', `no incident ${ref} in this team; declare it first (or resend its declaration)`);

  const targetId = targetOf(event);
  if (targetId !== undefined) {
    const rule = TARGET_KINDS[event.kind];
    // A target belongs to its incident: anything else is answered as "no such entry", so a
    // refusal never says whether an id exists elsewhere.
    if (!target || target.incidentId !== event.incidentId) return refuse('not-found', `no entry ${targetId} in ${ref}`);
    if (rule && !rule.kinds.includes(target.kind)) return refuse('invalid-input', `entry ${targetId} is not ${rule.what}`);
  }

  switch (event.kind) {
    case 'role.assigned':
      return mayAssign(state, actor, event.payload.role, event.payload.person);
    case 'entry.redacted':
      if (mayBeAdmin(actor) || isCommander(actor, state) || sameName(target!.authorName, actor.name)) return OK;
      return refuse('forbidden', `only a team admin, the commander (${commanderName(state) ?? 'nobody'}) or the entry's author (${target!.authorName}) can redact it`);
    case 'entry.edited':
      return mayEditText(state, actor, target!);
    case 'action.updated':
      return event.payload.text === undefined ? OK : mayEditText(state, actor, target!);
    case 'handoff.offered':
      return mayOffer(state, actor, event.payload.role);
    case 'handoff.accepted':
      return mayAccept(state, actor, targetId!);
    case 'minutes.written':
      return event.payload.status === 'draft' ? OK : mayPublishMinutes(state, actor);
    case 'call.planned':
      return mayPlanCall(state, actor, event.payload.attendees);
    case 'retro.state':
      return maySetRetroState(state, actor, event.payload.state);
    case 'recording.started':
      if (state.recordings?.some((r) => r.id === event.payload.recordingId)) return refuse('conflict', `recording ${event.payload.recordingId} already started`);
      return OK;
    case 'recording.stopped':
    case 'recording.shared':
    case 'transcript.redacted':
      return mayTouchRecording(state, actor, event);
    default:
      return OK;
  }
}

function mayEditText(state: AuthorityState, actor: Actor, target: TargetEntry): Verdict {
  if (mayBeAdmin(actor) || isCommander(actor, state) || sameName(target.authorName, actor.name)) return OK;
  return refuse('forbidden', `only the entry's author (${target.authorName}), the commander or a team admin can edit it`);
}

/**
 * The commander role passes from the commander (or an admin) only: otherwise anyone could name
 * themselves commander and gain the commander's rights. Other roles are handed out by the
 * commander or an admin, and anyone may take a free role or step down from their own.
 */
function mayAssign(state: AuthorityState, actor: Actor, role: string, person: string | null): Verdict {
  if (mayBeAdmin(actor) || isCommander(actor, state)) return OK;
  const self = person !== null && sameName(person, actor.name);
  // Nobody commands an incident an alert opened: the first responder takes command.
  if (role === 'commander' && self && commandIsFree(state)) return OK;
  if (role === 'commander') {
    return refuse('forbidden', `only the incident's commander (${commanderName(state) ?? 'nobody'}) or a team admin can hand over the commander role`);
  }
  const holder = state.roles[role]?.person ?? null;
  if (self && (holder === null || sameName(holder, actor.name))) return OK;
  if (person === null && holder !== null && sameName(holder, actor.name)) return OK;
  return refuse('forbidden', `only the commander or a team admin can give the ${role} role to someone else; you may take it yourself while it is free`);
}

/** Offering a role hands it on: only its holder (for command, the commander) or an admin may. */
function mayOffer(state: AuthorityState, actor: Actor, role: string): Verdict {
  if (mayBeAdmin(actor) || isCommander(actor, state)) return OK;
  const holder = role === 'commander' ? commanderName(state) : (state.roles[role]?.person ?? null);
  if (holder !== null && sameName(holder, actor.name)) return OK;
  return refuse('forbidden', `only the ${role} (${holder ?? 'nobody'}), the commander or a team admin can offer a hand-off of that role`);
}

/**
 * Published minutes are the team's record of a call, so the one keeping the record (the scribe),
 * the commander or an admin publishes them; anyone may write a draft. Minutes without a status
 * read as published, so they need the same right.
 */
function mayPublishMinutes(state: AuthorityState, actor: Actor): Verdict {
  if (mayBeAdmin(actor) || isCommander(actor, state)) return OK;
  const scribe = state.roles['scribe']?.person ?? null;
  if (scribe !== null && sameName(scribe, actor.name)) return OK;
  return refuse('forbidden', `only the scribe (${scribe ?? 'nobody'}), the commander (${commanderName(state) ?? 'nobody'}) or a team admin can publish minutes; write a draft instead`);
}

/**
 * Planning a call sets a time in other people's calendars and wakes their cockpits when it
 * comes: the commander (or an admin) may plan any call; anyone else only one they attend, so a
 * responder can set up a follow-up with a teammate but cannot summon the team.
 */
function mayPlanCall(state: AuthorityState, actor: Actor, attendees: string[]): Verdict {
  if (mayBeAdmin(actor) || isCommander(actor, state)) return OK;
  if (attendees.some((a) => sameName(a, actor.name))) return OK;
  return refuse('forbidden', `only the commander (${commanderName(state) ?? 'nobody'}) or a team admin can plan a call you are not on; add yourself to it`);
}

/**
 * A published retrospective is what the team tells itself, and often the rest of the company,
 * about an incident: the commander answers for the incident's record, so they (or an admin)
 * publish it, and only they take a published one back to draft or review. Anyone who may write
 * can edit a draft and send it for review: the document is written by the people who were there.
 */
function maySetRetroState(state: AuthorityState, actor: Actor, to: string): Verdict {
  const published = state.retro?.state === 'published';
  if (to !== 'published' && !published) return OK;
  if (mayBeAdmin(actor) || isCommander(actor, state)) return OK;
  const what = to === 'published' ? 'publish the retrospective' : 'take a published retrospective back to draft or review';
  return refuse('forbidden', `only the commander (${commanderName(state) ?? 'nobody'}) or a team admin can ${what}; send it for review and ask them`);
}

/**
 * A recording is its recorder's: only they stop it (their cockpit holds the audio). Sharing it,
 * or scrubbing a stretch of its transcript, is theirs, the commander's or an admin's, as for an
 * entry: the commander answers for what the team keeps of the incident.
 */
function mayTouchRecording(state: AuthorityState, actor: Actor, event: Extract<ConnEvent, { kind: 'recording.stopped' | 'recording.shared' | 'transcript.redacted' }>): Verdict {
  const rec = state.recordings?.find((r) => r.id === event.payload.recordingId);
  if (!rec) return refuse('not-found', `no recording ${event.payload.recordingId} in ${refFromId(state.id)}`);
  if ('target' in event.payload && rec.callId !== event.payload.target) return refuse('invalid-input', `recording ${rec.id} is not of call ${event.payload.target}`);
  if (sameName(rec.by, actor.name)) return OK;
  if (event.kind === 'recording.stopped') {
    if (actor.role === null) return OK; // the hub decides; locally the recorder is the only one who can stop it anyway
    return refuse('forbidden', `only ${rec.by}, who is recording, can stop this recording`);
  }
  if (mayBeAdmin(actor) || isCommander(actor, state)) return OK;
  const what = event.kind === 'recording.shared' ? 'share this recording' : 'redact its transcript';
  return refuse('forbidden', `only ${rec.by} (who recorded it), the commander (${commanderName(state) ?? 'nobody'}) or a team admin can ${what}`);
}

/** An offer to a named person is theirs to accept; an open offer anyone who may write can take. */
function mayAccept(state: AuthorityState, actor: Actor, offerId: string): Verdict {
  const offer = state.handoffs.find((h) => h.id === offerId);
  if (!offer) return refuse('not-found', `no hand-off offer ${offerId} in ${refFromId(state.id)}`);
  if (offer.acceptedBy !== null) return refuse('conflict', `${offer.acceptedBy} already accepted this hand-off`);
  if (offer.to !== null && !sameName(offer.to, actor.name)) return refuse('forbidden', `this hand-off was offered to ${offer.to}; only they can accept it`);
  return OK;
}

/** Kinds whose events the hub needs, besides a target, to decide the rule: fold these per incident. */
export const AUTHORITY_KINDS: readonly EventKind[] = ['incident.declared', 'role.assigned', 'handoff.offered', 'handoff.accepted', 'retro.state', 'recording.started'];

/** A stored event as the target of another. */
export function targetEntryOf(e: Pick<ConnEvent, 'incidentId' | 'kind' | 'author'>): TargetEntry {
  return { incidentId: e.incidentId, kind: e.kind, authorName: e.author.name };
}

import { isTextKind, targetOf, type ConnEvent } from '../../shared/domain/events.js';
import { commanderOf as commanderOfState } from '../../shared/domain/commander.js';
import { foldIncident } from '../../shared/domain/fold.js';
import type { PushAck, SequencedEvent } from '../../shared/sync/protocol.js';
import { isTextEdit, scrubEvent as scrub } from '../../shared/domain/redaction.js';
import type { CommitResult, Member } from './store.js';

/**
 * The reads and writes one commit needs, inside the store's transaction. Each store implements
 * it over its own connection; the rules below are written once. Methods may be sync (SQLite)
 * or async (Postgres).
 */
export interface CommitTx {
  findEvent(id: string): Promise<{ teamId: string; seq: number } | undefined> | { teamId: string; seq: number } | undefined;
  incidentTeam(incidentId: string): Promise<string | undefined> | string | undefined;
  /** The incident's declaration and role assignments: enough to fold who its commander is. */
  authorityEvents(incidentId: string): Promise<ConnEvent[]> | ConnEvent[];
  /** One stored event, to know who wrote the entry a redaction targets. */
  eventBody(id: string): Promise<ConnEvent | undefined> | ConnEvent | undefined;
  claimIncident(incidentId: string, teamId: string): Promise<void> | void;
  insert(teamId: string, seq: number, event: ConnEvent, body: string): Promise<void> | void;
  /** Whether a redaction of this entry is stored. */
  isRedacted(targetId: string): Promise<boolean> | boolean;
  /** Rewrites the stored bodies of an entry and its text edits with the words removed. */
  scrubStored(targetId: string): Promise<void> | void;
}

const AUTHORITY_KINDS = new Set(['incident.declared', 'role.assigned']);
export const AUTHORITY_KIND_LIST = [...AUTHORITY_KINDS];

function sameName(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

/**
 * Who may redact: a team admin, the incident's commander as the hub folds it (whoever declared
 * it while nobody holds the role), or the entry's own author (the cockpit lets authors redact
 * their own words, and the hub must not refuse what every cockpit accepts, or they diverge).
 * The member's hub name is compared with those names case-insensitively, so people are
 * invited under the name they use in Conn.
 */
export function mayRedact(member: Member, incidentId: string, authority: ConnEvent[], targetAuthor?: string): boolean {
  if (member.role === 'admin') return true;
  if (targetAuthor !== undefined && sameName(targetAuthor, member.name)) return true;
  const commander = commanderOf(incidentId, authority);
  return commander !== null && sameName(commander, member.name);
}

/** The commander as the hub folds it: the assigned one, or whoever declared it while nobody is. */
function commanderOf(incidentId: string, authority: ConnEvent[]): string | null {
  return commanderOfState(foldIncident(incidentId, authority))?.person ?? null;
}

/**
 * Who may hand out the commander role: a team admin or the current commander (the declarer
 * until someone is assigned). Without this, any member could name themselves commander and,
 * with it, gain the commander's right to redact. It is also how IC hand-offs work on a call:
 * the outgoing commander hands over, or an admin steps in.
 */
export function mayAssignCommander(member: Member, incidentId: string, authority: ConnEvent[]): boolean {
  if (member.role === 'admin') return true;
  const commander = commanderOf(incidentId, authority);
  return commander !== null && sameName(commander, member.name);
}

/**
 * Applies one push inside an open transaction, starting from the team's `head`. Rules, in order,
 * for each event: an id the hub already has is answered with its existing seq (idempotent
 * retries) unless it belongs to another team; an incident belongs to the first team that wrote
 * to it and no other team may write to it; a redaction needs mayRedact. Accepted events get
 * head+1, head+2, … so sequences stay dense. The caller persists the returned head.
 */
export async function applyCommit(tx: CommitTx, member: Member, events: ConnEvent[], head: number): Promise<CommitResult> {
  const accepted: PushAck['accepted'] = [];
  const rejected: PushAck['rejected'] = [];
  const committed: SequencedEvent[] = [];
  const inBatch = new Map<string, number>();
  const authorityInBatch = new Map<string, ConnEvent[]>();
  const batchEvents = new Map<string, ConnEvent>();
  const redactedInBatch = new Set<string>();
  for (const e of events) {
    const again = inBatch.get(e.id);
    if (again !== undefined) {
      accepted.push({ id: e.id, seq: again });
      continue;
    }
    const existing = await tx.findEvent(e.id);
    if (existing) {
      if (existing.teamId === member.teamId) accepted.push({ id: e.id, seq: existing.seq });
      else rejected.push({ id: e.id, code: 'conflict', message: `event ${e.id} already exists in another team; it cannot be reused` });
      continue;
    }
    const owner = await tx.incidentTeam(e.incidentId);
    if (owner !== undefined && owner !== member.teamId) {
      rejected.push({ id: e.id, code: 'forbidden', message: `incident ${e.incidentId} belongs to another team; your token is for team "${member.team}"` });
      continue;
    }
    if (e.kind === 'role.assigned' && e.payload.role === 'commander') {
      const authority = [...(await tx.authorityEvents(e.incidentId)), ...(authorityInBatch.get(e.incidentId) ?? [])];
      // A brand-new incident has no authority events stored yet; its declarer is its commander.
      if (authority.some((a) => a.kind === 'incident.declared') && !mayAssignCommander(member, e.incidentId, authority)) {
        const current = commanderOf(e.incidentId, authority);
        rejected.push({ id: e.id, code: 'forbidden', message: `only the incident's commander${current ? ` (${current})` : ''} or a team admin can hand over the commander role` });
        continue;
      }
    }
    if (e.kind === 'entry.redacted') {
      const authority = [...(await tx.authorityEvents(e.incidentId)), ...(authorityInBatch.get(e.incidentId) ?? [])];
      const target = batchEvents.get(e.payload.target) ?? (await tx.eventBody(e.payload.target));
      if (!mayRedact(member, e.incidentId, authority, target?.author.name)) {
        rejected.push({ id: e.id, code: 'forbidden', message: "only a team admin or the incident's commander can redact an entry" });
        continue;
      }
    }
    if (owner === undefined) await tx.claimIncident(e.incidentId, member.teamId);
    head += 1;
    // Words that arrive after their redaction are stored (and broadcast) already scrubbed.
    const entryId = isTextEdit(e) ? targetOf(e) : isTextKind(e.kind) ? e.id : undefined;
    const entryRedacted = entryId !== undefined && (redactedInBatch.has(entryId) || (await tx.isRedacted(entryId)));
    // An edit can be redacted on its own (its id is the target); if that redaction came first,
    // the edit's words must not be stored either.
    const editRedacted = isTextEdit(e) && (redactedInBatch.has(e.id) || (await tx.isRedacted(e.id)));
    const redacted = entryRedacted || editRedacted;
    const stored = redacted ? scrub(e) : e;
    await tx.insert(member.teamId, head, stored, JSON.stringify(stored));
    if (e.kind === 'entry.redacted') {
      redactedInBatch.add(e.payload.target);
      await tx.scrubStored(e.payload.target);
    }
    inBatch.set(e.id, head);
    batchEvents.set(e.id, e);
    if (AUTHORITY_KINDS.has(e.kind)) {
      const list = authorityInBatch.get(e.incidentId) ?? [];
      list.push(e);
      authorityInBatch.set(e.incidentId, list);
    }
    accepted.push({ id: e.id, seq: head });
    committed.push({ seq: head, event: stored });
  }
  return { accepted, rejected, committed, head };
}

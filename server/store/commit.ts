import { AUTHORITY_KINDS, authorize, targetEntryOf, type Actor, type AuthorityState } from '../../shared/domain/authority.js';
import { isTextKind, targetOf, type ConnEvent, type EventOfKind } from '../../shared/domain/events.js';
import { emptyAcc, mergeEvent, project, type FoldAcc } from '../../shared/domain/fold.js';
import type { PushAck, SequencedEvent } from '../../shared/sync/protocol.js';
import { isTextEdit, scrubEvent as scrub } from '../../shared/domain/redaction.js';
import type { CommitResult, Member } from './store.js';

/** Who writes a commit: a member, or the hub as one of the team's alert integrations (server/alerts/). */
export type Committer = Pick<Member, 'teamId' | 'team' | 'name'> & { role: Actor['role'] };

/**
 * The reads and writes one commit needs, inside the store's transaction. Each store implements
 * it over its own connection; the rules below are written once. Methods may be sync (SQLite)
 * or async (Postgres). Every id is looked up within one team: event and incident ids are a
 * team's own namespace, so another team's ids can neither collide with nor be probed through
 * ours.
 */
export interface CommitTx {
  /** The seq of an event this team already has. */
  findEvent(teamId: string, id: string): Promise<number | undefined> | number | undefined;
  /** The incident's events of the AUTHORITY_KINDS: enough to fold who may do what. */
  authorityEvents(teamId: string, incidentId: string): Promise<ConnEvent[]> | ConnEvent[];
  /** One stored event of the team: the entry another event targets. */
  eventBody(teamId: string, id: string): Promise<ConnEvent | undefined> | ConnEvent | undefined;
  insert(teamId: string, seq: number, event: ConnEvent, body: string): Promise<void> | void;
  /** Whether a redaction of this entry is stored. */
  isRedacted(teamId: string, targetId: string): Promise<boolean> | boolean;
  /** Rewrites the stored bodies of an entry and its text edits with the words removed. */
  scrubStored(teamId: string, targetId: string): Promise<void> | void;
  /** Queues a stakeholder update for the team's channels (server/updates/), in this same transaction. */
  enqueueUpdate(teamId: string, teamName: string, update: EventOfKind<'update.posted'>, seq: number): Promise<unknown> | unknown;
  /**
   * Optional, for a store where each query is a network round trip (Postgres): what the lookups
   * above would answer for these ids and incidents, read in one go before the batch (seqs of ids
   * the team has, bodies of those events, which of the ids a stored redaction targets, and the
   * incidents' authority events), and every insert of the batch written in one statement.
   * Without them each lookup is its own query.
   */
  prefetch?(teamId: string, ids: string[], incidentIds: string[]): Promise<Prefetched>;
  insertMany?(teamId: string, rows: Array<{ seq: number; event: ConnEvent; body: string }>): Promise<void>;
}

export interface Prefetched {
  seqs: Map<string, number>;
  bodies: Map<string, ConnEvent>;
  redacted: Set<string>;
  /** Each asked incident's AUTHORITY_KINDS events (an incident with none maps to []). */
  authority: Map<string, ConnEvent[]>;
}

export const AUTHORITY_KIND_LIST = [...AUTHORITY_KINDS];

/**
 * Applies one push inside an open transaction, starting from the team's `head`. For each event,
 * in push order: an id the team already has is answered with its existing seq (idempotent
 * retries); anything else must pass the authority rule (shared/domain/authority.ts) against the
 * incident as the hub folds it at that point, this push's earlier events included. Accepted
 * events get head+1, head+2, … so sequences stay dense. The caller persists the returned head.
 */
export async function applyCommit(tx: CommitTx, member: Committer, events: ConnEvent[], head: number): Promise<CommitResult> {
  const team = member.teamId;
  const accepted: PushAck['accepted'] = [];
  const rejected: PushAck['rejected'] = [];
  const committed: SequencedEvent[] = [];
  const inBatch = new Map<string, number>();
  const batchEvents = new Map<string, ConnEvent>();
  const redactedInBatch = new Set<string>();
  // Every id this batch may ask about (its events and what they point at), and its incidents.
  const ids = [...new Set(events.flatMap((e) => [e.id, targetOf(e)].filter((x): x is string => x !== undefined)))];
  const pre = tx.prefetch ? await tx.prefetch(team, ids, [...new Set(events.map((e) => e.incidentId))]) : undefined;
  // One fold of the authority events per incident per commit, kept current as the batch commits.
  const folds = new Map<string, { acc: FoldAcc; state: AuthorityState | null }>();
  const stateOf = async (incidentId: string): Promise<AuthorityState | null> => {
    let f = folds.get(incidentId);
    if (!f) {
      const acc = emptyAcc(incidentId);
      for (const a of pre?.authority.get(incidentId) ?? (await tx.authorityEvents(team, incidentId))) mergeEvent(acc, a);
      f = { acc, state: null };
      folds.set(incidentId, f);
    }
    return (f.state ??= project(f.acc));
  };
  const actor = { name: member.name, role: member.role };

  const findEvent = (id: string) => (pre ? pre.seqs.get(id) : tx.findEvent(team, id));
  const eventBody = (id: string) => (pre ? pre.bodies.get(id) : tx.eventBody(team, id));
  const isRedacted = (id: string) => (pre ? pre.redacted.has(id) : tx.isRedacted(team, id));
  const buffered: Array<{ seq: number; event: ConnEvent; body: string }> = [];
  const flush = async () => {
    if (buffered.length) await tx.insertMany!(team, buffered.splice(0));
  };

  for (const e of events) {
    const again = inBatch.get(e.id) ?? (await findEvent(e.id));
    if (again !== undefined) {
      accepted.push({ id: e.id, seq: again });
      continue;
    }
    const targetId = targetOf(e);
    const target = targetId === undefined ? undefined : (batchEvents.get(targetId) ?? (await eventBody(targetId)));
    const verdict = authorize({ state: await stateOf(e.incidentId), actor, event: e, target: target ? targetEntryOf(target) : null });
    if (!verdict.ok) {
      rejected.push({ id: e.id, code: verdict.code, message: verdict.message });
      continue;
    }
    head += 1;
    // Words that arrive after their redaction are stored (and broadcast) already scrubbed.
    const entryId = isTextEdit(e) ? targetId : isTextKind(e.kind) ? e.id : undefined;
    const entryRedacted = entryId !== undefined && (redactedInBatch.has(entryId) || (await isRedacted(entryId)));
    // An edit can be redacted on its own (its id is the target); if that redaction came first,
    // the edit's words must not be stored either.
    const editRedacted = isTextEdit(e) && (redactedInBatch.has(e.id) || (await isRedacted(e.id)));
    const stored = entryRedacted || editRedacted ? scrub(e) : e;
    if (tx.insertMany) buffered.push({ seq: head, event: stored, body: JSON.stringify(stored) });
    else await tx.insert(team, head, stored, JSON.stringify(stored));
    // The commit that stores an update queues its deliveries: an accepted update is always
    // delivered, even one written offline long ago, and a refused one never is. (Its row first.)
    if (stored.kind === 'update.posted') {
      await flush();
      await tx.enqueueUpdate(team, member.team, stored, head);
    }
    if (e.kind === 'entry.redacted') {
      redactedInBatch.add(e.payload.target);
      // The scrub rewrites stored rows, this batch's earlier edits of the entry among them.
      await flush();
      await tx.scrubStored(team, e.payload.target);
    }
    inBatch.set(e.id, head);
    batchEvents.set(e.id, e);
    if (AUTHORITY_KINDS.includes(e.kind)) {
      const f = folds.get(e.incidentId)!;
      mergeEvent(f.acc, e);
      f.state = null;
    }
    accepted.push({ id: e.id, seq: head });
    committed.push({ seq: head, event: stored });
  }
  await flush();
  return { accepted, rejected, committed, head };
}

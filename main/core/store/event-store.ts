import { authorize, type Actor } from '../../../shared/domain/authority.js';
import { ConnError, describeZodIssue } from '../../../shared/domain/errors.js';
import { isTextKind, PAYLOADS, targetOf, tooLargeMessage, type Author, type ConnEvent, type EventKind, type PayloadOf } from '../../../shared/domain/events.js';
import { describeEvent, headsOf, isMetaKind, writeKeysOf, type IncidentState } from '../../../shared/domain/fold.js';
import { newId } from '../../../shared/domain/ids.js';
import { LIMITS, serialisedBytes } from '../../../shared/domain/limits.js';
import type { PushRejection } from '../../../shared/sync/protocol.js';
import type { CoreBus } from './core-bus.js';
import type { Db } from '../db/database.js';
import { PersistentClock } from './clock.js';
import { FLUSH_PENDING_SEARCH_SQL } from '../db/migrations/009-search-batched.js';
import { eventFromRow, eventToParams, INSERT_EVENT_SQL, type EventRow } from './event-rows.js';
import { Projector, stateFromRow } from './projector.js';
import { isTextEdit, scrubEvent } from './redaction.js';

/** The text of the timeline row an event shows as; null for kinds folded into their target. */
function timelineTextOf(e: ConnEvent): string | null {
  return isMetaKind(e.kind) ? null : describeEvent(e);
}


/** A local event the hub refused: kept, shown, folded out of the state, until resent or discarded. */
export interface RefusedEvent {
  id: string;
  incidentId: string;
  kind: EventKind;
  code: string;
  message: string;
  at: string;
}

const TEXT_EDIT_KINDS = "('entry.edited', 'action.updated')";

/**
 * The only writer of `events`, `outbox` and the projections. Every write is one IMMEDIATE
 * transaction that inserts the events and updates the projections together, and returns only
 * after the commit (synchronous=FULL), so "saved" always means on disk.
 */
export class EventStore {
  private readonly clock: PersistentClock;
  private readonly projector: Projector;
  /** A redaction's WAL checkpoint could not finish; retried after later writes. */
  private checkpointOwed = false;
  private readonly q;

  constructor(
    private readonly db: Db,
    private readonly author: () => Author,
    /** Where commits are announced: the core's bus, shared with every other service. */
    private readonly bus: CoreBus,
    now: () => number = Date.now,
  ) {
    this.clock = new PersistentClock(db, now);
    this.projector = new Projector(db);
    this.q = {
      insert: db.prepare(INSERT_EVENT_SQL),
      outbox: db.prepare('INSERT OR IGNORE INTO outbox (event_id) VALUES (?)'),
      event: db.prepare<[string], EventRow>('SELECT id, incident_id, hlc, kind, author_id, author_name, payload, supersedes FROM events WHERE id = ?'),
      incidentState: db.prepare<[string], { state_json: string; last_hlc: string | null; declared_at: string | null }>(
        'SELECT state_json, last_hlc, declared_at FROM incidents WHERE id = ?',
      ),
      incidentEvents: db.prepare<[string], EventRow>(
        'SELECT id, incident_id, hlc, kind, author_id, author_name, payload, supersedes FROM events WHERE incident_id = ? ORDER BY hlc, id',
      ),
      pending: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM outbox'),
      liveEvent: db.prepare<[string], { incident_id: string; kind: string; author_name: string }>(
        'SELECT incident_id, kind, author_name FROM events WHERE id = ? AND NOT EXISTS (SELECT 1 FROM refused_events r WHERE r.event_id = events.id)',
      ),
      member: db.prepare<[], { value: string }>("SELECT value FROM sync_state WHERE key = 'hub.member'"),
      hubConfigured: db.prepare("SELECT 1 FROM sync_state WHERE key = 'hub.url'"),
      hold: db.prepare(`INSERT OR IGNORE INTO held_words (event_id, redaction_id, payload)
        SELECT id, ?, payload FROM events WHERE incident_id = ? AND (id = ? OR (target_id = ? AND kind IN ${TEXT_EDIT_KINDS}))`),
      // A redaction of these ids written here and not yet answered by the hub, unless another
      // redaction of them is final already (accepted, or from someone else): then nothing is held.
      pendingRedaction: db.prepare<[{ inc: string; ids: string }], { id: string }>(`SELECT r.id FROM events r JOIN outbox o ON o.event_id = r.id
        WHERE r.incident_id = @inc AND r.kind = 'entry.redacted' AND r.target_id IN (SELECT value FROM json_each(@ids))
          AND NOT EXISTS (SELECT 1 FROM events f WHERE f.incident_id = @inc AND f.kind = 'entry.redacted' AND f.target_id IN (SELECT value FROM json_each(@ids))
            AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.event_id = f.id) AND NOT EXISTS (SELECT 1 FROM refused_events x WHERE x.event_id = f.id))
        ORDER BY o.seq LIMIT 1`),
      holdOne: db.prepare('INSERT OR IGNORE INTO held_words (event_id, redaction_id, payload) VALUES (?, ?, ?)'),
      heldOf: db.prepare<[string], { payload: string }>('SELECT payload FROM held_words WHERE event_id = ?'),
      dropHeld: db.prepare('DELETE FROM held_words WHERE event_id = ?'),
      heldBy: db.prepare<[string], { event_id: string; payload: string }>('SELECT event_id, payload FROM held_words WHERE redaction_id = ?'),
      releaseHeld: db.prepare('DELETE FROM held_words WHERE redaction_id = ?'),
      dropHeldOfTarget: db.prepare(`DELETE FROM held_words WHERE event_id IN
        (SELECT id FROM events WHERE incident_id = ? AND (id = ? OR (target_id = ? AND kind IN ${TEXT_EDIT_KINDS})))`),
      restorePayload: db.prepare('UPDATE events SET payload = ? WHERE id = ?'),
      unqueue: db.prepare('DELETE FROM outbox WHERE event_id = ?'),
      refuse: db.prepare('INSERT OR REPLACE INTO refused_events (event_id, code, message, at) VALUES (?, ?, ?, ?)'),
      refusal: db.prepare<[string], { code: string; message: string; at: string; local: number }>(
        'SELECT r.code, r.message, r.at, e.local FROM refused_events r JOIN events e ON e.id = r.event_id WHERE r.event_id = ?',
      ),
      refusedAll: db.prepare<[], { id: string; incident_id: string; kind: string; code: string; message: string; at: string }>(
        'SELECT e.id, e.incident_id, e.kind, r.code, r.message, r.at FROM refused_events r JOIN events e ON e.id = r.event_id ORDER BY e.hlc, e.id',
      ),
      refusedCount: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM refused_events'),
      forget: db.prepare('DELETE FROM events WHERE id = ?'),
      forgetRefusal: db.prepare('DELETE FROM refused_events WHERE event_id = ?'),
      rebuildOwed: db.prepare<[], { value: string }>("SELECT value FROM sync_state WHERE key = 'projection.rebuild'"),
      rebuildDone: db.prepare("DELETE FROM sync_state WHERE key = 'projection.rebuild'"),
      actsRecorded: db.prepare("SELECT 1 FROM sync_state WHERE key = 'projection.first-acts'"),
      markActsRecorded: db.prepare("INSERT OR IGNORE INTO sync_state (key, value) VALUES ('projection.first-acts', '1')"),
      // The entries the search triggers queued in this transaction, indexed in one statement (migration 009).
      indexPending: FLUSH_PENDING_SEARCH_SQL.map((sql) => db.prepare(sql)),
    };
    this.rebuildOwed();
    this.recordFirstActs();
  }

  /**
   * Accumulators saved before the fold recorded first acts (how acknowledgement is measured) are
   * folded again once, so old incidents are measured like new ones. A marker keeps every later
   * open from scanning the incidents.
   */
  private recordFirstActs(): void {
    if (this.q.actsRecorded.get() !== undefined) return;
    this.write(() => {
      this.projector.refoldOutdated();
      this.q.markActsRecorded.run();
    }, false);
  }

  /** Incidents a migration asked to fold again (refusals recorded before refusals were folded out). */
  private rebuildOwed(): void {
    const owed = this.q.rebuildOwed.get();
    if (!owed) return;
    this.write(() => {
      for (const id of JSON.parse(owed.value) as string[]) this.projector.rebuild(id);
      this.q.rebuildDone.run();
    }, false);
  }

  /**
   * Appends an event written by this cockpit's profile. Validates the payload, stamps the clock,
   * records which heads of each written field the author had seen, and commits the event, its
   * outbox row and the projections in one transaction.
   */
  appendLocal<K extends EventKind>(incidentId: string, kind: K, payload: unknown): ConnEvent {
    const schema = PAYLOADS[kind] as (typeof PAYLOADS)[EventKind] | undefined;
    if (!schema) throw new ConnError('invalid-input', `unknown event kind "${kind}"`);
    const parsed = schema.safeParse(payload);
    if (!parsed.success) throw new ConnError('invalid-input', describeZodIssue(parsed.error.issues));
    const author = this.author();
    const draft = { id: newId(), incidentId, hlc: '', author, kind, payload: parsed.data as PayloadOf<K> } as ConnEvent;

    let event: ConnEvent | undefined;
    this.write(() => {
      this.checkLocalWrite(draft, author);
      const stamped = { ...draft, hlc: this.clock.next() } as ConnEvent;
      const supersedes = this.headsSeenBy(stamped);
      if (supersedes.length) stamped.supersedes = supersedes;
      event = this.redactedAlready(stamped) ? scrubEvent(stamped) : stamped;
      // Measured as the hub measures it, so nothing is saved here that could never sync.
      const bytes = serialisedBytes(event);
      if (bytes > LIMITS.eventBytes) throw new ConnError('too-large', tooLargeMessage(bytes));
      // A redaction is not final here until the hub accepts it: keep the words it scrubs aside.
      if (event.kind === 'entry.redacted' && this.q.hubConfigured.get() !== undefined) {
        this.q.hold.run(event.id, event.incidentId, event.payload.target, event.payload.target);
      }
      this.q.insert.run(...eventToParams(event, true, Date.now(), timelineTextOf(event)));
      this.q.outbox.run(event.id);
      this.projector.apply(event);
    }, true);
    this.checkpointAfterRedaction([event as ConnEvent]);
    return event as ConnEvent;
  }

  /**
   * Stores events from elsewhere (the hub, an import). One transaction per call; an event whose
   * id is already stored is ignored, so each takes effect exactly once. Callers parse untrusted
   * input with parseEvent first. Returns the events that were new, as stored (scrubbed if redacted).
   */
  ingest(events: readonly ConnEvent[]): { applied: ConnEvent[] } {
    const applied: ConnEvent[] = [];
    if (events.length === 0) return { applied };
    const receivedAt = Date.now();
    this.write(() => {
      this.clock.observe(events.map((e) => e.hlc));
      this.projector.expect(events.map((e) => e.id));
      for (const raw of events) {
        const e = this.redactedAlready(raw) ? scrubEvent(raw) : raw;
        if (this.q.insert.run(...eventToParams(e, false, receivedAt, timelineTextOf(e))).changes === 0) continue;
        // Scrubbed only by a redaction of ours the hub may still refuse: hold its words with the others.
        if (e !== raw) this.holdForPendingRedaction(raw);
        this.projector.apply(e);
        // The hub accepted someone's redaction of this entry: words we held for ours go too.
        if (e.kind === 'entry.redacted') this.q.dropHeldOfTarget.run(e.incidentId, e.payload.target, e.payload.target);
        applied.push(e);
      }
    }, false);
    this.checkpointAfterRedaction(applied);
    return { applied };
  }

  /** One stored event, or undefined. */
  get(id: string): ConnEvent | undefined {
    const row = this.q.event.get(id);
    return row ? eventFromRow(row) : undefined;
  }

  /** Every stored event of an incident in timeline order. For export, rebuilds and tests — not for views. */
  *eventsOf(incidentId: string): Generator<ConnEvent> {
    for (const row of this.q.incidentEvents.iterate(incidentId)) yield eventFromRow(row);
  }

  /** The projected state of an incident, or undefined when no event of it is stored. */
  stateOf(incidentId: string): IncidentState | undefined {
    const row = this.q.incidentState.get(incidentId);
    return row ? stateFromRow(row) : undefined;
  }

  /** Locally written events the hub has not acknowledged yet. */
  pendingCount(): number {
    return this.q.pending.get()?.n ?? 0;
  }

  /**
   * Settles one push ack in one transaction. Accepted events leave the outbox, and the words a
   * redaction held aside are dropped for good. Refused events leave the outbox too, are marked
   * refused with the hub's code and sentence, a refused redaction's words are put back, and
   * each incident touched is folded again without them: every replica then shows the hub's state.
   * `sent` are the events as pushed: one accepted without the words a waiting redaction of ours
   * holds for it (it was queued when the redaction scrubbed them) has them nowhere else, so they
   * are dropped here too, whatever that redaction's fate.
   */
  settlePush(accepted: readonly string[], rejected: readonly PushRejection[], now: Date = new Date(), sent: readonly ConnEvent[] = []): void {
    let released = false;
    const sentPayloads = new Map(sent.map((e) => [e.id, JSON.stringify(e.payload)]));
    this.write(() => {
      for (const id of accepted) {
        this.q.unqueue.run(id);
        released = this.q.releaseHeld.run(id).changes > 0 || released;
        const held = this.q.heldOf.get(id);
        if (held && sentPayloads.has(id) && sentPayloads.get(id) !== held.payload) released = this.q.dropHeld.run(id).changes > 0 || released;
      }
      const incidents = new Set<string>();
      for (const r of rejected) {
        this.q.unqueue.run(r.id);
        const e = this.get(r.id);
        if (!e) continue;
        this.q.refuse.run(r.id, r.code, r.message, now.toISOString());
        for (const held of this.q.heldBy.all(r.id)) this.q.restorePayload.run(held.payload, held.event_id);
        this.q.releaseHeld.run(r.id);
        incidents.add(e.incidentId);
      }
      for (const id of incidents) this.projector.rebuild(id);
    }, false);
    if (released) this.checkpointAfterRedaction([], true);
  }

  /** Every refused event still kept here, oldest first. */
  refused(): RefusedEvent[] {
    return this.q.refusedAll.all().map((r) => ({ id: r.id, incidentId: r.incident_id, kind: r.kind as EventKind, code: r.code, message: r.message, at: r.at }));
  }

  refusedCount(): number {
    return this.q.refusedCount.get()?.n ?? 0;
  }

  /**
   * Sends a refused event again once its cause is fixed (a profile name, a role): a new event
   * with the same kind and payload, signed and stamped now, checked by the authority rule like
   * any write; the refused one is discarded in the same transaction.
   */
  resend(eventId: string): ConnEvent {
    const original = this.refusedLocal(eventId);
    let sent: ConnEvent | undefined;
    this.db
      .transaction(() => {
        this.forgetRefused(original);
        sent = this.appendLocal(original.incidentId, original.kind, original.payload);
      })
      .immediate();
    return sent!;
  }

  /** Drops a refused event for good: it never reached anyone, and nothing of it is kept. */
  discard(eventId: string): void {
    const original = this.refusedLocal(eventId);
    this.write(() => this.forgetRefused(original), false);
  }

  private refusedLocal(eventId: string): ConnEvent {
    const refusal = this.q.refusal.get(eventId);
    const e = this.get(eventId);
    if (!refusal || !e || refusal.local !== 1) {
      throw new ConnError('not-found', `no refused entry ${eventId} written here; \`conn timeline REF\` marks refused entries and \`conn sync\` lists them`);
    }
    return e;
  }

  private forgetRefused(e: ConnEvent): void {
    this.q.forget.run(e.id);
    this.q.forgetRefusal.run(e.id);
    this.q.releaseHeld.run(e.id);
    // Touch the incident so its row and listeners hear of it; nothing of the fold changes.
    this.projector.rebuild(e.incidentId);
  }

  private write(body: () => void, local: boolean): void {
    // Inside a caller's transaction (sync applies a page and moves its cursor in one), ours is
    // only a savepoint: hold the notifications until that transaction has finished, which is
    // before the next turn of the event loop because better-sqlite3 transactions are synchronous.
    const nested = this.db.inTransaction;
    let changed: { incidents: string[]; listChanged: boolean };
    try {
      // IMMEDIATE: take the write lock before reading the clock, so two processes never
      // stamp from the same clock state.
      this.db
        .transaction(() => {
          body();
          changed = this.projector.flush();
          for (const statement of this.q.indexPending) statement.run();
        })
        .immediate();
    } catch (err) {
      this.projector.reset();
      throw err;
    }
    // Only after the commit: a listener must never see an event that could still roll back.
    const c = changed!;
    const announce = () => {
      for (const incidentId of c.incidents) this.bus.emit({ type: 'incident-changed', incidentId });
      if (c.listChanged) this.bus.emit({ type: 'incidents-changed' });
      if (local) this.bus.emit({ type: 'sync-changed' });
    };
    if (nested) setImmediate(announce);
    else announce();
  }

  /**
   * After a redaction the old page images still sit in the WAL file until a checkpoint; move
   * them into the database (where secure_delete has zeroed the freed space) and truncate the WAL.
   * Best effort: a reader in another process may hold the WAL, and the next redaction retries.
   */
  private checkpointAfterRedaction(events: readonly ConnEvent[], wordsReleased = false): void {
    const redacted = wordsReleased || events.some((e) => e.kind === 'entry.redacted');
    if (!redacted && !this.checkpointOwed) return;
    const checkpoint = () => {
      if (!this.db.open || this.db.inTransaction) return;
      // A retry after an ordinary write must not wait on the busy handler for a reader.
      const timeout = redacted ? null : (this.db.pragma('busy_timeout', { simple: true }) as number);
      try {
        if (timeout !== null) this.db.pragma('busy_timeout = 0');
        const [r] = this.db.pragma('wal_checkpoint(TRUNCATE)') as Array<{ busy: number }>;
        // Busy: a reader kept old frames, redacted words included, in the WAL. Owe a retry
        // after the next write rather than leave them there until the core closes.
        this.checkpointOwed = (r?.busy ?? 0) !== 0;
      } catch {
        this.checkpointOwed = true;
      } finally {
        if (timeout !== null) this.db.pragma(`busy_timeout = ${timeout}`);
      }
    };
    // A checkpoint cannot run inside a caller's transaction; run it once that has finished.
    if (this.db.inTransaction) setImmediate(checkpoint);
    else checkpoint();
  }

  /** Whether the words of this event must be scrubbed before it is stored. */
  private redactedAlready(e: ConnEvent): boolean {
    if (isTextKind(e.kind)) return this.projector.redactionOf(e.incidentId, e.id) !== undefined;
    // An edit is scrubbed when its entry was redacted, or when the edit itself was.
    if (isTextEdit(e)) {
      return this.projector.redactionOf(e.incidentId, targetOf(e) as string) !== undefined || this.projector.redactionOf(e.incidentId, e.id) !== undefined;
    }
    return false;
  }

  /**
   * An event that arrived after a local redaction of it (or of its entry) and was stored
   * scrubbed: while that redaction waits for the hub, its words wait in held_words with the
   * ones the redaction held when written, to be put back if the hub refuses it.
   */
  private holdForPendingRedaction(raw: ConnEvent): void {
    if (this.q.hubConfigured.get() === undefined) return; // no hub: a local redaction is final
    const ids = isTextKind(raw.kind) ? [raw.id] : [targetOf(raw) as string, raw.id];
    const pending = this.q.pendingRedaction.get({ inc: raw.incidentId, ids: JSON.stringify(ids) });
    if (pending) this.q.holdOne.run(raw.id, pending.id, JSON.stringify(raw.payload));
  }

  /** The heads of every field this event writes: what its author had seen when writing. */
  private headsSeenBy(e: ConnEvent): string[] {
    const acc = this.projector.accOf(e.incidentId);
    const keys = writeKeysOf(acc, e);
    if (keys.length === 0) return [];
    const heads = new Set<string>();
    for (const key of keys) for (const id of headsOf(acc, key)) heads.add(id);
    return [...heads].slice(0, LIMITS.supersedes);
  }

  /**
   * The authority rule (shared/domain/authority.ts) as this cockpit can decide it: against the
   * incident as folded here, as the member the hub last said we are (or, never synced, as
   * ourselves with our role unknown, which leaves role-dependent refusals to the hub).
   */
  private checkLocalWrite(e: ConnEvent, author: Author): void {
    const row = this.q.incidentState.get(e.incidentId);
    const targetId = targetOf(e);
    const stored = targetId === undefined ? undefined : this.q.liveEvent.get(targetId);
    const target = stored ? { incidentId: stored.incident_id, kind: stored.kind as EventKind, authorName: stored.author_name } : null;
    const verdict = authorize({ state: row ? stateFromRow(row) : null, actor: this.actor(author), event: e, target });
    if (!verdict.ok) throw new ConnError(verdict.code, verdict.message);
  }

  private actor(author: Author): Actor {
    const known = this.q.member.get();
    return known ? (JSON.parse(known.value) as Actor) : { name: author.name, role: null };
  }
}

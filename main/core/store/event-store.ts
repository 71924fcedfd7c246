import { EventEmitter } from 'node:events';
import type { CoreNotification } from '../../../shared/api/contract.js';
import { ConnError, describeZodIssue } from '../../../shared/domain/errors.js';
import { isTextKind, PAYLOADS, targetOf, type Author, type ConnEvent, type EventKind, type PayloadOf } from '../../../shared/domain/events.js';
import { describeEvent, emptyAcc, headsOf, isMetaKind, mergeEvent, type IncidentState } from '../../../shared/domain/fold.js';
import { newId } from '../../../shared/domain/ids.js';
import { LIMITS } from '../../../shared/domain/limits.js';
import type { Db } from '../db/database.js';
import { PersistentClock } from './clock.js';
import { eventFromRow, eventToParams, INSERT_EVENT_SQL, type EventRow } from './event-rows.js';
import { Projector, stateFromRow } from './projector.js';
import { isTextEdit, scrubEvent } from './redaction.js';

/** The text of the timeline row an event shows as; null for kinds folded into their target. */
function timelineTextOf(e: ConnEvent): string | null {
  return isMetaKind(e.kind) ? null : describeEvent(e);
}

export type ChangeListener = (n: CoreNotification) => void;

/**
 * The only writer of `events`, `outbox` and the projections. Every write is one IMMEDIATE
 * transaction that inserts the events and updates the projections together, and returns only
 * after the commit (synchronous=FULL), so "saved" always means on disk.
 */
export class EventStore {
  private readonly clock: PersistentClock;
  private readonly projector: Projector;
  private readonly emitter = new EventEmitter();
  /** A redaction's WAL checkpoint could not finish; retried after later writes. */
  private checkpointOwed = false;
  private readonly q;

  constructor(
    private readonly db: Db,
    private readonly author: () => Author,
    now: () => number = Date.now,
  ) {
    this.clock = new PersistentClock(db, now);
    this.projector = new Projector(db);
    this.emitter.setMaxListeners(0);
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
    };
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
        this.projector.apply(e);
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

  /** Called after each commit with what changed. Returns the unsubscribe function. */
  onChange(listener: ChangeListener): () => void {
    this.emitter.on('change', listener);
    return () => this.emitter.off('change', listener);
  }

  /** Lets other core services (sync) announce changes through the same hook. */
  notify(n: CoreNotification): void {
    this.emitter.emit('change', n);
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
        })
        .immediate();
    } catch (err) {
      this.projector.reset();
      throw err;
    }
    // Only after the commit: a listener must never see an event that could still roll back.
    const c = changed!;
    const announce = () => {
      for (const incidentId of c.incidents) this.notify({ type: 'incident-changed', incidentId });
      if (c.listChanged) this.notify({ type: 'incidents-changed' });
      if (local) this.notify({ type: 'sync-changed' });
    };
    if (nested) setImmediate(announce);
    else announce();
  }

  /**
   * After a redaction the old page images still sit in the WAL file until a checkpoint; move
   * them into the database (where secure_delete has zeroed the freed space) and truncate the WAL.
   * Best effort: a reader in another process may hold the WAL, and the next redaction retries.
   */
  private checkpointAfterRedaction(events: readonly ConnEvent[]): void {
    const redacted = events.some((e) => e.kind === 'entry.redacted');
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
    if (isTextKind(e.kind)) return this.projector.redactionOf(e.id) !== undefined;
    // An edit is scrubbed when its entry was redacted, or when the edit itself was.
    if (isTextEdit(e)) return this.projector.redactionOf(targetOf(e) as string) !== undefined || this.projector.redactionOf(e.id) !== undefined;
    return false;
  }

  /** The heads of every field this event writes: what its author had seen when writing. */
  private headsSeenBy(e: ConnEvent): string[] {
    const probe = emptyAcc(e.incidentId);
    mergeEvent(probe, e);
    const keys = Object.keys(probe.registers);
    if (keys.length === 0) return [];
    const acc = this.projector.accOf(e.incidentId);
    const heads = new Set<string>();
    for (const key of keys) for (const id of headsOf(acc, key)) heads.add(id);
    return [...heads].slice(0, LIMITS.supersedes);
  }

  /**
   * Rules for writing from this cockpit: the incident must exist, a target must be an entry of
   * the same incident, and only the incident's commander or the entry's own author may redact
   * it. (Remote events are not re-checked here; the hub authorises them by team and role.)
   */
  private checkLocalWrite(e: ConnEvent, author: Author): void {
    if (e.kind === 'incident.declared') {
      if (this.q.incidentState.get(e.incidentId)?.declared_at) throw new ConnError('conflict', `incident ${e.incidentId} is already declared`);
      return;
    }
    const incident = this.q.incidentState.get(e.incidentId);
    if (!incident?.declared_at) throw new ConnError('not-found', `no incident with id ${e.incidentId}; run \`conn list --all\` to see them`);
    const target = targetOf(e);
    if (target === undefined) return;
    const row = this.q.event.get(target);
    if (!row || row.incident_id !== e.incidentId) throw new ConnError('not-found', `no entry ${target} in this incident; copy the id from \`conn timeline REF\``);
    if (e.kind === 'entry.redacted') {
      const commander = stateFromRow(incident).roles['commander']?.person ?? null;
      if (row.author_id !== author.id && commander !== author.name) {
        throw new ConnError(
          'forbidden',
          `only the incident commander${commander ? ` (${commander})` : ''} or the entry's author (${row.author_name}) can redact it; ask one of them`,
        );
      }
    }
  }
}

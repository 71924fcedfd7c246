import { compareEvents, isTextKind, targetOf, type ConnEvent } from '../../../shared/domain/events.js';
import { affectsState, describeEvent, emptyAcc, isMetaKind, mergeAct, mergeEvent, project, type FoldAcc, type IncidentState } from '../../../shared/domain/fold.js';
import { refFromId } from '../../../shared/domain/incident-ref.js';
import { hlcToDate } from '../../../shared/sync/hlc.js';
import type { Db } from '../db/database.js';
import { eventFromRow, type EventRow } from './event-rows.js';
import { isTextEdit, REDACTED_TEXT, scrubAcc } from './redaction.js';
import { IncidentDocs } from './search-index.js';

/** What one write transaction did to one incident, flushed to its row once at the end. */
interface Touched {
  acc: FoldAcc | null;
  newEvents: number;
  lastHlc: string;
  stateChanged: boolean;
  /**
   * The stamp of a stored act of this incident (the earliest when looked up), read once per
   * batch: undefined until needed, null when there is none. Acts the batch adds after the
   * lookup can only be later or load the accumulator, so the value stays a true "an act exists
   * at this stamp" for the whole batch.
   */
  earliestAct: string | null | undefined;
}

/**
 * Keeps the projections equal to the pure fold of the events stored so far, one new event at a
 * time, in any arrival order: the incident row (FoldAcc + projected state), the timeline columns
 * of each event's own row (read through the timeline_items view), and `redactions`. Every method
 * must run inside the caller's write transaction; `flush` ends the batch.
 *
 * Arrival order never matters because every field is decided by (hlc, id): a late edit only
 * wins if it is newer than the one shown, and a target that arrives after its edits, pins or
 * redactions looks them up by events.target_id when its row is first written.
 */
export class Projector {
  private readonly touched = new Map<string, Touched>();
  /** Whether `redactions` has any row; read once per batch (another process may add one). */
  private anyRedaction: boolean | null = null;
  /**
   * Within a batch announced by expect(): the ids a stored event targets. completeRow probes
   * events.target_id only for these; null (appendLocal) means probe every event.
   */
  private targeted: Set<string> | null = null;
  private readonly q;
  /** The incident's own search document (title, summary, services, retrospective) follows its state. */
  private readonly searchDocs: IncidentDocs;

  constructor(private readonly db: Db) {
    this.searchDocs = new IncidentDocs(db);
    this.q = {
      hasIncident: db.prepare<[string], 1>('SELECT 1 FROM incidents WHERE id = ?').pluck(),
      ensureIncident: db.prepare('INSERT OR IGNORE INTO incidents (id, ref, acc_json, state_json) VALUES (?, ?, ?, ?)'),
      loadAcc: db.prepare<[string], { acc_json: string }>('SELECT acc_json FROM incidents WHERE id = ?'),
      saveState: db.prepare(`UPDATE incidents SET title = ?, severity = ?, status = ?, declared_at = ?, acc_json = ?, state_json = ?,
        event_count = event_count + ?, last_hlc = max(coalesce(last_hlc, ''), ?), updated_at = ? WHERE id = ?`),
      saveCount: db.prepare(`UPDATE incidents SET event_count = event_count + ?, last_hlc = max(coalesce(last_hlc, ''), ?), updated_at = ? WHERE id = ?`),
      targetedAmong: db.prepare<[string], { target_id: string }>(
        'SELECT DISTINCT target_id FROM events WHERE target_id IN (SELECT value FROM json_each(?))',
      ),
      // A refused event has no effect on anything, its target included.
      metasOf: db.prepare<[string, string], EventRow>(
        `SELECT id, incident_id, hlc, kind, author_id, author_name, payload, supersedes FROM events
         WHERE target_id = ? AND incident_id = ? AND NOT EXISTS (SELECT 1 FROM refused_events r WHERE r.event_id = events.id)`,
      ),
      anyRedaction: db.prepare('SELECT 1 FROM redactions LIMIT 1'),
      // The earliest stored act that surely counts as acknowledgement (mergeAct's class 'any'): a
      // note stamped after it cannot be the first act, and the accumulator need not be loaded for it.
      earliestAct: db.prepare<[string], string>(
        `SELECT hlc FROM events WHERE incident_id = ? AND kind NOT IN ('incident.declared', 'milestone.set', 'role.assigned')
         AND NOT EXISTS (SELECT 1 FROM refused_events r WHERE r.event_id = events.id) ORDER BY hlc LIMIT 1`,
      ).pluck(),
      redactionOf: db.prepare<[string, string], { reason: string }>('SELECT reason FROM redactions WHERE incident_id = ? AND target_id = ?'),
      upsertRedaction: db.prepare(
        'INSERT INTO redactions (incident_id, target_id, reason) VALUES (?, ?, ?) ON CONFLICT (incident_id, target_id) DO UPDATE SET reason = min(reason, excluded.reason)',
      ),
      row: db.prepare<[string], { incident_id: string; kind: string; shown: number; redacted: number; text_hlc: string | null; text_id: string | null; pin_hlc: string | null; pin_id: string | null }>(
        'SELECT incident_id, kind, shown, redacted, text_hlc, text_id, pin_hlc, pin_id FROM events WHERE id = ?',
      ),
      setRow: db.prepare(`UPDATE events SET text = ?, pinned = ?, edited = ?, redacted = ?, redacted_reason = ?, text_hlc = ?, text_id = ?, pin_hlc = ?, pin_id = ?
        WHERE id = ?`),
      setText: db.prepare('UPDATE events SET text = ?, edited = ?, text_hlc = ?, text_id = ? WHERE id = ?'),
      setPin: db.prepare('UPDATE events SET pinned = ?, pin_hlc = ?, pin_id = ? WHERE id = ?'),
      setRedacted: db.prepare("UPDATE events SET redacted = 1, redacted_reason = ?, text = '', edited = 0 WHERE id = ? AND incident_id = ? AND shown = 1"),
      scrubText: db.prepare(
        "UPDATE events SET payload = json_set(payload, '$.text', ?) WHERE id = ? AND incident_id = ? AND json_extract(payload, '$.text') IS NOT NULL",
      ),
      scrubBrief: db.prepare("UPDATE events SET payload = json_set(payload, '$.brief', ?) WHERE id = ? AND incident_id = ? AND kind = 'handoff.offered'"),
      // When the redacted event is an edit whose words its entry shows, the entry shows the scrub.
      scrubShownEdit: db.prepare(
        'UPDATE events SET text = ? WHERE id = (SELECT target_id FROM events WHERE id = ? AND incident_id = ?) AND text_id = ? AND redacted = 0 AND shown = 1',
      ),
      editsOf: db.prepare<[string, string], { id: string }>(
        "SELECT id FROM events WHERE target_id = ? AND incident_id = ? AND kind IN ('entry.edited', 'action.updated')",
      ),
      incidentRows: db.prepare<[string], EventRow & { refused: number }>(
        `SELECT id, incident_id, hlc, kind, author_id, author_name, payload, supersedes,
                EXISTS (SELECT 1 FROM refused_events r WHERE r.event_id = events.id) AS refused
         FROM events WHERE incident_id = ? ORDER BY hlc, id`,
      ),
      resetRow: db.prepare(`UPDATE events SET shown = ?, text = ?, pinned = 0, edited = 0, redacted = 0, redacted_reason = NULL,
        text_hlc = NULL, text_id = NULL, pin_hlc = NULL, pin_id = NULL WHERE id = ?`),
      dropRedactions: db.prepare('DELETE FROM redactions WHERE incident_id = ?'),
      outdated: db.prepare<[], string>("SELECT id FROM incidents WHERE json_type(acc_json, '$.firstActs') IS NULL").pluck(),
      // flush() only ever raises last_hlc; a re-fold starts it again from the events it keeps.
      forgetLastHlc: db.prepare('UPDATE incidents SET last_hlc = NULL WHERE id = ?'),
    };
  }

  /**
   * Announces the events a batch is about to insert. One query finds which of them stored events
   * already target; apply() adds the targets of the events inserted after it, so completeRow
   * skips the per-event probe for the rest (most events have no edit, pin or redaction).
   */
  expect(ids: readonly string[]): void {
    this.targeted = new Set();
    for (const { target_id } of this.q.targetedAmong.iterate(JSON.stringify(ids))) this.targeted.add(target_id);
  }

  /** The reason an entry of this incident was redacted, if it was (possibly before it arrived). */
  redactionOf(incidentId: string, eventId: string): string | undefined {
    // Most databases hold no redaction at all: skip a lookup per event for them.
    this.anyRedaction ??= this.q.anyRedaction.get() !== undefined;
    return this.anyRedaction ? this.q.redactionOf.get(incidentId, eventId)?.reason : undefined;
  }

  /**
   * Folds one incident again from its stored events, leaving out those the hub refused: what an
   * incident looks like once a refusal is known. The refused events keep their rows, shown (edits,
   * pins and redactions too, so their writer sees them) with only their own text. O(events of the
   * incident), so for refusals, not for the write path.
   */
  rebuild(incidentId: string): void {
    const rows = this.q.incidentRows.all(incidentId);
    this.q.dropRedactions.run(incidentId);
    const t = this.touch(incidentId);
    this.q.forgetLastHlc.run(incidentId);
    t.lastHlc = '';
    t.acc = emptyAcc(incidentId);
    t.stateChanged = true;
    const live: ConnEvent[] = [];
    for (const row of rows) {
      const e = eventFromRow(row);
      const meta = isMetaKind(e.kind);
      const shown = !meta || row.refused === 1;
      this.q.resetRow.run(shown ? 1 : 0, shown ? (meta ? refusedMetaText(e) : describeEvent(e)) : '', e.id);
      if (row.refused === 0) live.push(e);
    }
    this.anyRedaction = null;
    this.targeted = null;
    for (const e of live) {
      if (e.hlc > t.lastHlc) t.lastHlc = e.hlc;
      this.applyTimeline(e);
      if (affectsState(e.kind)) {
        mergeEvent(t.acc, e);
        if (e.kind === 'entry.redacted') {
          scrubAcc(t.acc, e.payload.target);
          scrubEditWrite(t.acc, e.payload.target);
        }
      } else mergeAct(t.acc, e);
    }
  }

  /** The accumulator of an incident within this batch, loaded once. */
  accOf(incidentId: string): FoldAcc {
    const t = this.touch(incidentId);
    if (t.acc === null) {
      const row = this.q.loadAcc.get(incidentId);
      t.acc = row ? (JSON.parse(row.acc_json) as FoldAcc) : emptyAcc(incidentId);
    }
    return t.acc;
  }

  /** Projects one event that was just inserted into `events` (already scrubbed if redacted). */
  apply(e: ConnEvent): void {
    const t = this.touch(e.incidentId);
    t.newEvents += 1;
    const target = targetOf(e);
    if (target !== undefined) this.targeted?.add(target);
    if (e.hlc > t.lastHlc) t.lastHlc = e.hlc;
    this.applyTimeline(e);
    if (affectsState(e.kind)) {
      const acc = this.accOf(e.incidentId);
      mergeEvent(acc, e);
      if (e.kind === 'entry.redacted') {
        scrubAcc(acc, e.payload.target);
        scrubEditWrite(acc, e.payload.target);
      }
      t.stateChanged = true;
    } else if (this.mayBeFirstAct(t, e) && mergeAct(this.accOf(e.incidentId), e)) {
      // A note can be the first act on an incident: its acknowledgement (shared/domain/fold.ts).
      t.stateChanged = true;
    }
  }

  /**
   * False when an earlier stored act already acknowledged the incident; most notes end here,
   * after one lookup per incident and batch (a catch-up page of notes used to ask once a note).
   */
  private mayBeFirstAct(t: Touched, e: ConnEvent): boolean {
    if (t.acc !== null) return true;
    if (t.earliestAct === undefined) t.earliestAct = this.q.earliestAct.get(e.incidentId) ?? null;
    return t.earliestAct === null || t.earliestAct >= e.hlc;
  }

  /**
   * Re-folds the incidents whose stored accumulator predates the record of first acts (see
   * `mergeAct`), once, so their acknowledgement follows today's definition. Inside the caller's
   * write transaction; flush() saves them.
   */
  refoldOutdated(): number {
    const ids = this.q.outdated.all();
    for (const id of ids) this.rebuild(id);
    return ids.length;
  }

  /** Writes every touched incident row; returns which incidents changed and whether the list did. */
  flush(): { incidents: string[]; listChanged: boolean } {
    const incidents: string[] = [];
    let listChanged = false;
    for (const [id, t] of this.touched) {
      incidents.push(id);
      const updatedAt = t.lastHlc ? hlcToDate(t.lastHlc).toISOString() : null;
      if (t.acc && t.stateChanged) {
        const state = project(t.acc);
        this.q.saveState.run(state.title, state.severity, state.status, state.declaredAt, JSON.stringify(t.acc), JSON.stringify(state), t.newEvents, t.lastHlc, updatedAt, id);
        this.searchDocs.index(state, t.acc);
        listChanged = true;
      } else {
        this.q.saveCount.run(t.newEvents, t.lastHlc, updatedAt, id);
      }
    }
    this.touched.clear();
    this.anyRedaction = null;
    this.targeted = null;
    return { incidents, listChanged };
  }

  /** Forgets the batch after a rolled-back transaction. */
  reset(): void {
    this.touched.clear();
    this.anyRedaction = null;
    this.targeted = null;
  }

  private touch(incidentId: string): Touched {
    let t = this.touched.get(incidentId);
    if (!t) {
      // Only a new incident needs its empty row; skip projecting an empty state for the others.
      if (this.q.hasIncident.get(incidentId) === undefined) {
        const acc = emptyAcc(incidentId);
        this.q.ensureIncident.run(incidentId, refFromId(incidentId), JSON.stringify(acc), JSON.stringify(project(acc)));
      }
      t = { acc: null, newEvents: 0, lastHlc: '', stateChanged: false, earliestAct: undefined };
      this.touched.set(incidentId, t);
    }
    return t;
  }

  private applyTimeline(e: ConnEvent): void {
    if (e.kind === 'entry.redacted') this.applyRedaction(e.incidentId, e.payload.target, e.payload.reason);
    else if (e.kind === 'entry.pinned') this.applyPin(e.payload.target, e);
    if (isTextEdit(e)) this.applyEdit(targetOf(e) as string, e);
    if (!isMetaKind(e.kind)) this.completeRow(e);
  }

  /** Every statement is scoped to the incident: a redaction never reaches into another one. */
  private applyRedaction(incidentId: string, target: string, reason: string): void {
    this.q.upsertRedaction.run(incidentId, target, reason);
    this.anyRedaction = true;
    const effective = this.q.redactionOf.get(incidentId, target)?.reason ?? reason;
    this.q.setRedacted.run(effective, target, incidentId);
    // The words must leave every store: the entry's own event and every edit of it.
    this.q.scrubText.run(REDACTED_TEXT, target, incidentId);
    this.q.scrubBrief.run(REDACTED_TEXT, target, incidentId);
    for (const { id } of this.q.editsOf.all(target, incidentId)) this.q.scrubText.run(REDACTED_TEXT, id, incidentId);
    this.q.scrubShownEdit.run(REDACTED_TEXT, target, incidentId, target);
  }

  private applyPin(target: string, e: ConnEvent & { kind: 'entry.pinned' }): void {
    const row = this.q.row.get(target);
    if (!row || row.shown === 0 || row.incident_id !== e.incidentId) return; // the target's row picks the pin up when it arrives
    if (row.pin_hlc !== null && row.pin_id !== null && compareEvents(e, { hlc: row.pin_hlc, id: row.pin_id }) <= 0) return;
    this.q.setPin.run(e.payload.pinned ? 1 : 0, e.hlc, e.id, target);
  }

  private applyEdit(target: string, e: ConnEvent): void {
    const row = this.q.row.get(target);
    if (!row || row.shown === 0 || row.incident_id !== e.incidentId || !isTextKind(row.kind as ConnEvent['kind'])) return;
    if (row.text_hlc !== null && row.text_id !== null && compareEvents(e, { hlc: row.text_hlc, id: row.text_id }) <= 0) return;
    const redacted = row.redacted === 1;
    const text = redacted ? '' : (e.payload as { text: string }).text;
    this.q.setText.run(text, redacted ? 0 : 1, e.hlc, e.id, target);
  }

  /**
   * The event's row was inserted with the text describeEvent gives; apply what arrived before
   * it: edits, pins (usually none, found by one index probe) and a redaction.
   */
  private completeRow(e: ConnEvent): void {
    let textAt: ConnEvent | null = null;
    let pinAt: ConnEvent | null = null;
    const rows = this.targeted === null || this.targeted.has(e.id) ? this.q.metasOf.all(e.id, e.incidentId) : [];
    for (const row of rows) {
      const m = eventFromRow(row);
      if (m.incidentId !== e.incidentId) continue;
      if (m.kind === 'entry.pinned') {
        if (pinAt === null || compareEvents(m, pinAt) > 0) pinAt = m;
      } else if (isTextEdit(m) && isTextKind(e.kind)) {
        if (textAt === null || compareEvents(m, textAt) > 0) textAt = m;
      }
    }
    const reason = this.redactionOf(e.incidentId, e.id) ?? null;
    if (textAt === null && pinAt === null && reason === null) return;
    const text = reason !== null ? '' : textAt ? (textAt.payload as { text: string }).text : describeEvent(e);
    this.q.setRow.run(
      text,
      pinAt && (pinAt.payload as { pinned: boolean }).pinned ? 1 : 0,
      textAt && reason === null ? 1 : 0,
      reason === null ? 0 : 1,
      reason,
      textAt?.hlc ?? null, textAt?.id ?? null, pinAt?.hlc ?? null, pinAt?.id ?? null,
      e.id,
    );
  }
}

/** What a refused edit, pin or redaction shows as: its writer must see what was not accepted. */
function refusedMetaText(e: ConnEvent): string {
  switch (e.kind) {
    case 'entry.edited':
      return `Edit: ${e.payload.text}`;
    case 'entry.redacted':
      return `Redaction (${e.payload.reason})`;
    default:
      return describeEvent(e);
  }
}

/** When the redacted event is itself a text edit, the value it wrote to its entry's register goes too. */
function scrubEditWrite(acc: FoldAcc, editId: string): void {
  for (const [key, reg] of Object.entries(acc.registers)) {
    const own = key.startsWith('text:') ? reg[editId] : undefined;
    if (own) own.value = REDACTED_TEXT;
  }
}

/** The projected state as stored, with lastHlc from the row (notes move it without a re-fold). */
export function stateFromRow(row: { state_json: string; last_hlc: string | null }): IncidentState {
  const state = JSON.parse(row.state_json) as IncidentState;
  // States stored before call.planned existed have no plannedCalls; none were planned then.
  // A row projected before retrospectives existed has no retro status yet: it is an untouched draft.
  const retro = state.retro ?? { state: 'draft', by: null, at: null };
  return { ...state, plannedCalls: state.plannedCalls ?? [], retro, lastHlc: row.last_hlc && row.last_hlc !== '' ? row.last_hlc : state.lastHlc };
}

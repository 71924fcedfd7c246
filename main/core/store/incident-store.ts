import { ConnError, describeZodIssue } from '../../../shared/domain/errors.js';
import type { ConnEvent } from '../../../shared/domain/events.js';
import { PAYLOADS } from '../../../shared/domain/events.js';
import { withCadence, type IncidentState } from '../../../shared/domain/fold.js';
import { DEFAULT_CADENCE, type Cadence } from '../../../shared/domain/cadence.js';
import { newId } from '../../../shared/domain/ids.js';
import { normaliseRef, refFromId } from '../../../shared/domain/incident-ref.js';
import type { Severity } from '../../../shared/domain/severity.js';
import type { Status } from '../../../shared/domain/status.js';
import type { IncidentSummary } from '../../../shared/domain/incident-summary.js';
import type { Db } from '../db/database.js';
import type { EventStore } from './event-store.js';

export type { IncidentSummary };

export interface DeclareInput {
  title: string;
  severity: Severity;
  services?: string[] | undefined;
  summary?: string | undefined;
}

const ACTIVE = "status NOT IN ('resolved', 'closed')";

/** Declaring, listing and finding incidents; the writes go through the EventStore. */
const REFUSED_HERE = 'EXISTS (SELECT 1 FROM events e JOIN refused_events r ON r.event_id = e.id WHERE e.incident_id = incidents.id)';

export class IncidentStore {
  private readonly q;

  constructor(
    db: Db,
    private readonly events: EventStore,
    /** The team's update cadence, read at each get: a change applies to every incident at once. */
    private readonly cadence: () => Cadence = () => DEFAULT_CADENCE,
  ) {
    const cols = 'id, ref, title, severity, status, declared_at, updated_at, event_count';
    this.q = {
      // Active first, worst severity first, then the longest-running first.
      active: db.prepare<[], SummaryRow>(`SELECT ${cols} FROM incidents WHERE declared_at IS NOT NULL AND ${ACTIVE} ORDER BY severity, declared_at, id`),
      all: db.prepare<[], SummaryRow>(
        `SELECT ${cols} FROM incidents WHERE declared_at IS NOT NULL ORDER BY ${ACTIVE} DESC, severity, declared_at, id`,
      ),
      // An incident whose declaration the hub refused stays reachable for its writer, to see why.
      byId: db.prepare<[string], { id: string }>(`SELECT id FROM incidents WHERE id = ? AND (declared_at IS NOT NULL OR ${REFUSED_HERE})`),
      byRef: db.prepare<[string], { id: string }>(`SELECT id FROM incidents WHERE ref = ? AND (declared_at IS NOT NULL OR ${REFUSED_HERE})`),
    };
  }

  /** Declares a new incident: a fresh UUIDv7 id, its reference, and an incident.declared event. */
  declare(input: DeclareInput): { id: string; ref: string; event: ConnEvent } {
    const payload = { title: input.title, severity: input.severity, services: input.services ?? [], ...(input.summary !== undefined ? { summary: input.summary } : {}) };
    const parsed = PAYLOADS['incident.declared'].safeParse(payload);
    if (!parsed.success) throw new ConnError('invalid-input', describeZodIssue(parsed.error.issues));
    const id = newId();
    const event = this.events.appendLocal(id, 'incident.declared', parsed.data);
    return { id, ref: refFromId(id), event };
  }

  list(opts: { all?: boolean | undefined } = {}): IncidentSummary[] {
    return (opts.all ? this.q.all : this.q.active).all().map(summaryFromRow);
  }

  /** Resolves a reference ("inc-7kq2xm", "7KQ2XM") or an id, in any letter case, to an incident id. */
  resolve(refOrId: string): string {
    const input = refOrId.trim();
    if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(input)) {
      const hit = this.q.byId.get(input.toLowerCase());
      if (hit) return hit.id;
      throw new ConnError('not-found', `no incident with id ${input}; run \`conn list --all\` to see them`);
    }
    const ref = normaliseRef(input);
    const hits = this.q.byRef.all(ref);
    if (hits.length === 1) return hits[0]!.id;
    if (hits.length > 1) {
      throw new ConnError('ambiguous', `${ref} matches ${hits.length} incidents (${hits.map((h) => h.id).join(', ')}); use the full id`);
    }
    throw new ConnError('not-found', `no incident ${ref}; run \`conn list --all\` to see them`);
  }

  /**
   * The folded state of the incident a reference or id names, its next update due on the team's
   * cadence. (The stored projection is folded with the defaults; withCadence makes it equal the
   * fold under the team's cadence.)
   */
  get(refOrId: string): IncidentState {
    const state = this.events.stateOf(this.resolve(refOrId));
    if (!state) throw new ConnError('not-found', `no incident ${refOrId}`);
    return withCadence(state, this.cadence());
  }
}

interface SummaryRow {
  id: string;
  ref: string;
  title: string;
  severity: number;
  status: string;
  declared_at: string;
  updated_at: string | null;
  event_count: number;
}

function summaryFromRow(r: SummaryRow): IncidentSummary {
  return {
    id: r.id,
    ref: r.ref,
    title: r.title,
    severity: r.severity as Severity,
    status: r.status as Status,
    declaredAt: r.declared_at,
    updatedAt: r.updated_at,
    eventCount: r.event_count,
  };
}


import type { ConnEvent, EventOfKind } from '../../shared/domain/events.js';
import { foldIncident } from '../../shared/domain/fold.js';
import { refFromId } from '../../shared/domain/incident-ref.js';
import { severityLabel } from '../../shared/domain/severity.js';
import { hlcToDate } from '../../shared/sync/hlc.js';

/*
 * What a stakeholder update says to the world, frozen when the hub commits it: the incident as
 * it stood then and the update's text. It is stored with each queued delivery, so every retry
 * sends the same bytes (the signature and the receiver's dedupe both rely on that), and an edit
 * or status change after the commit does not rewrite what already went out.
 */

/** The kinds whose events make up the incident's headline (title, severity, status, services). */
export const SNAPSHOT_KINDS = ['incident.declared', 'incident.edited', 'status.changed', 'severity.changed'] as const;

export interface UpdateSnapshot {
  /** Always "conn.update.posted": receivers may get other types one day. */
  type: 'conn.update.posted';
  /** The update's event id: the idempotency key a receiver dedupes by. */
  id: string;
  team: string;
  incident: { id: string; ref: string; title: string; severity: string; status: string; services: string[] };
  update: { text: string; audience: string | null; author: string; postedAt: string };
}

export function snapshotOf(team: string, update: EventOfKind<'update.posted'>, headline: ConnEvent[]): UpdateSnapshot {
  const state = foldIncident(update.incidentId, headline);
  return {
    type: 'conn.update.posted',
    id: update.id,
    team,
    incident: {
      id: update.incidentId,
      ref: refFromId(update.incidentId),
      title: state.title,
      severity: severityLabel(state.severity),
      status: state.status,
      services: state.services,
    },
    update: { text: update.payload.text, audience: update.payload.audience ?? null, author: update.author.name, postedAt: hlcToDate(update.hlc).toISOString() },
  };
}

import { integrationAuthor, INTEGRATION_ROLE } from '../../shared/domain/authority.js';
import { ConnError } from '../../shared/domain/errors.js';
import { parseEvent, type ConnEvent, type EventKind, type PayloadInputOf } from '../../shared/domain/events.js';
import { foldIncident } from '../../shared/domain/fold.js';
import { newId } from '../../shared/domain/ids.js';
import { refFromId } from '../../shared/domain/incident-ref.js';
import { LIMITS } from '../../shared/domain/limits.js';
import { severityLabel } from '../../shared/domain/severity.js';
import { isActiveStatus } from '../../shared/domain/status.js';
import type { SequencedEvent } from '../../shared/sync/protocol.js';
import { applyCommit, type CommitTx, type Committer } from '../store/commit.js';
import { severityOf, servicesOf, type InboundAlert } from './inbound.js';
import type { Integration } from './integration.js';

/*
 * What a post of alerts does to the team's incidents, decided and written inside the store's
 * commit transaction (the team's lock is held), so two posts of the same alert at once cannot
 * both declare: the second one sees the first one's incident and adds a note to it.
 *
 * Per alert, in the post's order:
 * - firing: the open incident this alert already opened or joined (same fingerprint, from the
 *   same integration), else an open incident that alerts linked to one of its services, else an
 *   open incident a person declared on one of its services (as it lists them now), gets a note; otherwise the alert declares a new incident. Either way the alert and its services are
 *   linked to that incident.
 * - resolved: its open incident gets a note, and, when the team chose so and none of that
 *   incident's alerts still fires, moves to monitoring. No open incident: nothing to do.
 * - info (PagerDuty's acknowledged, …): a note on its open incident, if there is one.
 *
 * Every write goes through applyCommit, so it passes the authority rule as the integration. If
 * any event were refused the whole post rolls back: nothing half-written.
 */

export type LinkKind = 'fingerprint' | 'service';

/** The link table's reads and writes, inside the commit transaction (sync on SQLite, async on Postgres). */
export interface AlertTx extends CommitTx {
  /** Incidents linked to this key, most recently linked first. */
  linkedIncidents(teamId: string, kind: LinkKind, key: string): Promise<string[]> | string[];
  /** The incident's declaration and status changes: enough to fold whether it is still open. */
  statusEvents(teamId: string, incidentId: string): Promise<ConnEvent[]> | ConnEvent[];
  putLink(teamId: string, kind: LinkKind, key: string, incidentId: string, firing: boolean): Promise<void> | void;
  /** How many alerts linked to the incident still fire. */
  firingCount(teamId: string, incidentId: string): Promise<number> | number;
  /**
   * Every incident.declared and incident.edited event, newest first, of the team's incidents
   * where one of those events' stored body contains `text` (case-insensitive): the candidates
   * for an incident a person declared on a service, with every later edit of their services.
   * A superset; the caller reads each payload's services.
   */
  eventsMentioning(teamId: string, text: string): Promise<ConnEvent[]> | ConnEvent[];
}

export type AlertAction = 'declared' | 'noted' | 'resolved' | 'ignored';

export interface AlertOutcome {
  fingerprint: string;
  action: AlertAction;
  incidentId?: string;
  ref?: string;
  /** Why nothing was done, or which incident matched by what. */
  detail: string;
}

export interface AppliedAlerts {
  outcomes: AlertOutcome[];
  committed: SequencedEvent[];
  head: number;
}

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

function labelLine(labels: Record<string, string>): string {
  const pairs = Object.entries(labels).map(([k, v]) => `\`${k}=${v.replace(/`/g, "'")}\``);
  return pairs.length ? `Labels: ${pairs.join(', ')}` : '';
}

/** The Markdown of an alert's details, for a declaration's summary or a note. */
function details(alert: InboundAlert): string {
  return [alert.text?.trim(), labelLine(alert.labels), alert.url ? `Source: ${alert.url}` : ''].filter(Boolean).join('\n\n');
}

export async function applyAlerts(
  tx: AlertTx,
  integration: Integration,
  alerts: readonly InboundAlert[],
  head: number,
  stamp: () => string,
): Promise<AppliedAlerts> {
  const team = integration.teamId;
  const author = integrationAuthor(integration.id, integration.name);
  const committer: Committer = { teamId: team, team: integration.team, name: author.name, role: INTEGRATION_ROLE };
  const outcomes: AlertOutcome[] = [];
  const committed: SequencedEvent[] = [];
  const event = <K extends EventKind>(incidentId: string, kind: K, payload: PayloadInputOf<K>): ConnEvent =>
    parseEvent({ id: newId(), incidentId, hlc: stamp(), author, kind, payload });

  const write = async (events: ConnEvent[]): Promise<void> => {
    const result = await applyCommit(tx, committer, events, head);
    const refused = result.rejected[0];
    // The plan only writes what the rule allows an integration; a refusal here is a bug, and the
    // transaction rolls back so that the post leaves nothing behind.
    if (refused) throw new ConnError('internal', `the hub refused its own alert write (${refused.code}: ${refused.message}); nothing was written`);
    head = result.head;
    committed.push(...result.committed);
  };
  const isOpen = async (incidentId: string): Promise<boolean> => {
    const state = foldIncident(incidentId, await tx.statusEvents(team, incidentId));
    return state.declared && isActiveStatus(state.status);
  };
  const openLinked = async (kind: LinkKind, key: string): Promise<string | undefined> => {
    for (const id of await tx.linkedIncidents(team, kind, key)) if (await isOpen(id)) return id;
    return undefined;
  };
  /** The newest open incident whose services (its latest declared or edited list) name `service`. */
  const openOnService = async (service: string): Promise<string | undefined> => {
    const wanted = service.toLowerCase();
    const latest = new Map<string, ConnEvent>();
    for (const e of await tx.eventsMentioning(team, service)) {
      if (!('services' in e.payload) || e.payload.services === undefined) continue;
      const seen = latest.get(e.incidentId);
      if (!seen || e.hlc > seen.hlc) latest.set(e.incidentId, e);
    }
    const named = [...latest.values()]
      .filter((e) => 'services' in e.payload && (e.payload.services ?? []).some((s) => s.toLowerCase() === wanted))
      .sort((a, b) => (a.hlc < b.hlc ? 1 : -1));
    for (const e of named) if (await isOpen(e.incidentId)) return e.incidentId;
    return undefined;
  };

  for (const alert of alerts) {
    const fingerprintKey = `${integration.id}:${alert.fingerprint}`;
    const services = servicesOf(alert, integration.settings);
    const severity = severityOf(alert, integration.settings);
    const title = clip(alert.title.trim() || 'Alert', LIMITS.titleChars);
    const outcome = (action: AlertAction, incidentId: string | undefined, detail: string) =>
      outcomes.push({ fingerprint: alert.fingerprint, action, ...(incidentId ? { incidentId, ref: refFromId(incidentId) } : {}), detail });

    let incidentId = await openLinked('fingerprint', fingerprintKey);
    if (alert.state !== 'firing') {
      if (!incidentId) {
        outcome('ignored', undefined, 'no open incident has this alert');
        continue;
      }
      if (alert.state === 'info') {
        await write([event(incidentId, 'note', { text: clip(`**${integration.name}**: ${title} — ${alert.text ?? 'updated'}`, LIMITS.textChars) })]);
        outcome('noted', incidentId, 'news about its alert');
        continue;
      }
      await tx.putLink(team, 'fingerprint', fingerprintKey, incidentId, false);
      const status = foldIncident(incidentId, await tx.statusEvents(team, incidentId)).status;
      const toMonitoring =
        integration.settings.resolveToMonitoring && (await tx.firingCount(team, incidentId)) === 0 && ['triage', 'investigating', 'identified'].includes(status);
      const text = `**Alert resolved**: ${title}${toMonitoring ? '\n\nNone of the alerts of this incident fires any more: moved to monitoring.' : ''}`;
      await write([event(incidentId, 'note', { text: clip(text, LIMITS.textChars) }), ...(toMonitoring ? [event(incidentId, 'status.changed', { status: 'monitoring' })] : [])]);
      outcome('resolved', incidentId, toMonitoring ? 'moved to monitoring' : 'noted');
      continue;
    }

    let matchedBy = incidentId ? 'the same alert' : '';
    for (const s of services) {
      if (incidentId) break;
      incidentId = (await openLinked('service', s.toLowerCase())) ?? (await openOnService(s));
      if (incidentId) matchedBy = `service ${s}`;
    }
    if (incidentId) {
      const heading = matchedBy === 'the same alert' ? 'Alert firing again' : `Another alert on ${matchedBy.slice('service '.length)}`;
      const text = [`**${heading}**: ${title} (${severityLabel(severity)} by its labels)`, details(alert)].filter(Boolean).join('\n\n');
      await write([event(incidentId, 'note', { text: clip(text, LIMITS.textChars) })]);
      outcome('noted', incidentId, `matched by ${matchedBy}`);
    } else {
      incidentId = newId();
      const summary = [`Opened by the alert integration **${integration.name}** (${integration.kind}).`, details(alert)].filter(Boolean).join('\n\n');
      const startedAt = alert.startsAt && !Number.isNaN(Date.parse(alert.startsAt)) && Date.parse(alert.startsAt) > 0 ? new Date(alert.startsAt).toISOString() : undefined;
      await write([
        event(incidentId, 'incident.declared', {
          title,
          severity,
          services,
          summary: clip(summary, LIMITS.textChars),
          detectedAt: new Date().toISOString(),
          ...(startedAt && Date.parse(startedAt) <= Date.now() ? { impactStartedAt: startedAt } : {}),
        }),
      ]);
      outcome('declared', incidentId, `${severityLabel(severity)}${services.length ? ` on ${services.join(', ')}` : ''}`);
    }
    await tx.putLink(team, 'fingerprint', fingerprintKey, incidentId, true);
    for (const s of services) await tx.putLink(team, 'service', s.toLowerCase(), incidentId, true);
  }
  return { outcomes, committed, head };
}

import type Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import type { ConnEvent } from '../../shared/domain/events.js';
import { applyAlerts, type AlertTx, type AppliedAlerts } from '../alerts/alert-plan.js';
import { checkIntegrationName } from '../alerts/integration.js';
import { integrationExists, noSuchTeam, toIntegration } from '../alerts/integration-rows.js';
import type { CommitTx } from './commit.js';
import { likePattern, type IntegrationRow, type IntegrationStore } from './integration-store.js';
import { checkTeamName } from './names.js';
import { INTEGRATION_TOKEN_PREFIX, mintToken, parseToken, secretMatches } from './tokens.js';

/*
 * Alert integrations on the embedded store (tables from migration 7). Alerts are applied in the
 * same serialised BEGIN IMMEDIATE transaction as any commit, so two posts of one alert take turns
 * and the second sees the first one's incident.
 */

const SELECT = `SELECT i.id, i.team_id, t.name AS team, i.name, i.kind, i.settings, i.salt, i.token_hash, i.revoked_at, i.created_at
                FROM integrations i JOIN teams t ON t.id = i.team_id`;

export function sqliteIntegrations(
  db: Database.Database,
  commitTx: CommitTx,
  /** Runs `fn` in the store's commit queue, inside BEGIN IMMEDIATE, with the team's head. */
  inCommit: <T>(teamId: string, fn: (head: number) => Promise<{ value: T; head: number }>) => Promise<T>,
): IntegrationStore {
  const q = {
    team: db.prepare<[string], { id: string }>('SELECT id FROM teams WHERE name = ?'),
    byName: db.prepare<[string, string], IntegrationRow>(`${SELECT} WHERE t.name = ? AND i.name = ?`),
    byId: db.prepare<[string], IntegrationRow>(`${SELECT} WHERE i.id = ?`),
    ofTeam: db.prepare<[string], IntegrationRow>(`${SELECT} WHERE t.name = ? ORDER BY i.name`),
    insert: db.prepare('INSERT INTO integrations (id, team_id, name, kind, settings, salt, token_hash, revoked_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?)'),
    renew: db.prepare('UPDATE integrations SET kind = ?, settings = ?, salt = ?, token_hash = ?, revoked_at = NULL, created_at = ? WHERE id = ?'),
    settings: db.prepare('UPDATE integrations SET settings = ? WHERE id = ?'),
    revoke: db.prepare('UPDATE integrations SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL'),
    linked: db.prepare<[string, string, string], { incident_id: string }>(
      'SELECT incident_id FROM alert_links WHERE team_id = ? AND key_kind = ? AND key = ? ORDER BY updated_at DESC, incident_id DESC',
    ),
    statusEvents: db.prepare<[string, string], { body: string }>(
      // INDEXED BY: without statistics the planner walks the team's whole log instead.
      "SELECT body FROM events INDEXED BY events_by_incident_kind WHERE team_id = ? AND incident_id = ? AND kind IN ('incident.declared', 'status.changed')",
    ),
    putLink: db.prepare(
      `INSERT INTO alert_links (team_id, key_kind, key, incident_id, firing, updated_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (team_id, key_kind, key, incident_id) DO UPDATE SET firing = excluded.firing, updated_at = excluded.updated_at`,
    ),
    // LIKE is case-insensitive for ASCII in SQLite; '\\' escapes the service's own % and _.
    mentioning: db.prepare<[string, string, string], { body: string }>(
      `SELECT body FROM events WHERE team_id = ? AND kind IN ('incident.declared', 'incident.edited') AND incident_id IN
         (SELECT incident_id FROM events WHERE team_id = ? AND kind IN ('incident.declared', 'incident.edited') AND body LIKE ? ESCAPE '\\')
       ORDER BY seq DESC`,
    ),
    firing: db.prepare<[string, string], { n: number }>("SELECT count(*) AS n FROM alert_links WHERE team_id = ? AND incident_id = ? AND key_kind = 'fingerprint' AND firing = 1"),
  };
  // Links made in one transaction must sort in the order they were made.
  let lastLinkAt = 0;
  const alertTx: AlertTx = {
    ...commitTx,
    linkedIncidents: (team, kind, key) => q.linked.all(team, kind, key).map((r) => r.incident_id),
    statusEvents: (team, id) => q.statusEvents.all(team, id).map((r) => JSON.parse(r.body) as ConnEvent),
    putLink: (team, kind, key, id, firing) => {
      lastLinkAt = Math.max(Date.now(), lastLinkAt + 1);
      q.putLink.run(team, kind, key, id, firing ? 1 : 0, lastLinkAt);
    },
    firingCount: (team, id) => q.firing.get(team, id)?.n ?? 0,
    eventsMentioning: (team, text) => q.mentioning.all(team, team, likePattern(text)).map((r) => JSON.parse(r.body) as ConnEvent),
  };

  return {
    async addIntegration(team, name, kind, settings) {
      const teamName = checkTeamName(team);
      const integrationName = checkIntegrationName(name);
      return db.transaction(() => {
        const t = q.team.get(teamName);
        if (!t) throw noSuchTeam(teamName);
        const existing = q.byName.get(teamName, integrationName);
        if (existing && existing.revoked_at === null) throw integrationExists(teamName, integrationName);
        const minted = mintToken(existing?.id ?? randomUUID(), INTEGRATION_TOKEN_PREFIX);
        const now = new Date().toISOString();
        if (existing) q.renew.run(kind, JSON.stringify(settings), minted.salt, minted.hash, now, existing.id);
        else q.insert.run(minted.memberId, t.id, integrationName, kind, JSON.stringify(settings), minted.salt, minted.hash, now);
        return { token: minted.token, integration: toIntegration(q.byId.get(minted.memberId)!) };
      }).immediate();
    },
    async integrations(team) {
      return q.ofTeam.all(checkTeamName(team)).map(toIntegration);
    },
    async updateIntegration(team, name, settings) {
      const row = q.byName.get(checkTeamName(team), checkIntegrationName(name));
      if (!row) return null;
      q.settings.run(JSON.stringify(settings), row.id);
      return toIntegration(q.byId.get(row.id)!);
    },
    async revokeIntegration(team, name) {
      const row = q.byName.get(checkTeamName(team), checkIntegrationName(name));
      if (!row) return false;
      q.revoke.run(new Date().toISOString(), row.id);
      return true;
    },
    async authenticateIntegration(token) {
      const parsed = parseToken(token, INTEGRATION_TOKEN_PREFIX);
      if (!parsed) return null;
      const row = q.byId.get(parsed.memberId);
      if (!row || !secretMatches(parsed.secret, row.salt, row.token_hash)) return null;
      return toIntegration(row);
    },
    commitAlerts(integration, alerts, stamp): Promise<AppliedAlerts> {
      return inCommit(integration.teamId, async (head) => {
        const applied = await applyAlerts(alertTx, integration, alerts, head, stamp);
        return { value: applied, head: applied.head };
      });
    },
  };
}

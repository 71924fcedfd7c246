import type pg from 'pg';
import { randomUUID } from 'node:crypto';
import type { ConnEvent } from '../../shared/domain/events.js';
import { applyAlerts, type AlertTx } from '../alerts/alert-plan.js';
import { checkIntegrationName } from '../alerts/integration.js';
import { integrationExists, noSuchTeam, toIntegration } from '../alerts/integration-rows.js';
import type { CommitTx } from './commit.js';
import { likePattern, type IntegrationRow, type IntegrationStore } from './integration-store.js';
import { checkTeamName } from './names.js';
import { withPgTransaction } from './pg-transaction.js';
import { INTEGRATION_TOKEN_PREFIX, mintToken, parseToken, secretMatches } from './tokens.js';

/*
 * Alert integrations on Postgres (migration 6). Alerts are applied under the team row's lock,
 * like any commit, so posts of one alert to two hub nodes at once still declare one incident.
 */

export function postgresIntegrations(
  pool: pg.Pool,
  /** The quoted schema name. */
  s: string,
  commitTxOn: (c: pg.ClientBase) => CommitTx,
  inCommit: <T>(teamId: string, fn: (c: pg.PoolClient, head: number) => Promise<{ value: T; head: number }>) => Promise<T>,
): IntegrationStore {
  const select = `SELECT i.id, i.team_id, t.name AS team, i.name, i.kind, i.settings, i.salt, i.token_hash, i.revoked_at, i.created_at
                  FROM ${s}.integrations i JOIN ${s}.teams t ON t.id = i.team_id`;
  const one = async (c: pg.Pool | pg.ClientBase, where: string, args: unknown[]) => (await c.query<IntegrationRow>(`${select} WHERE ${where}`, args)).rows[0];

  const alertTxOn = (c: pg.ClientBase): AlertTx => {
    let lastLinkAt = 0;
    return {
      ...commitTxOn(c),
      linkedIncidents: async (team, kind, key) =>
        (
          await c.query<{ incident_id: string }>(
            `SELECT incident_id FROM ${s}.alert_links WHERE team_id = $1 AND key_kind = $2 AND key = $3 ORDER BY updated_at DESC, incident_id DESC`,
            [team, kind, key],
          )
        ).rows.map((r) => r.incident_id),
      eventsMentioning: async (team, text) =>
        (
          await c.query<{ body: string }>(
            `SELECT body FROM ${s}.events WHERE team_id = $1 AND kind IN ('incident.declared', 'incident.edited') AND incident_id IN
               (SELECT incident_id FROM ${s}.events WHERE team_id = $1 AND kind IN ('incident.declared', 'incident.edited') AND body ILIKE $2 ESCAPE '\\')
             ORDER BY seq DESC`,
            [team, likePattern(text)],
          )
        ).rows.map((r) => JSON.parse(r.body) as ConnEvent),
      statusEvents: async (team, id) =>
        (
          await c.query<{ body: string }>(`SELECT body FROM ${s}.events WHERE team_id = $1 AND incident_id = $2 AND kind IN ('incident.declared', 'status.changed')`, [team, id])
        ).rows.map((r) => JSON.parse(r.body) as ConnEvent),
      putLink: async (team, kind, key, id, firing) => {
        lastLinkAt = Math.max(Date.now(), lastLinkAt + 1);
        await c.query(
          `INSERT INTO ${s}.alert_links (team_id, key_kind, key, incident_id, firing, updated_at) VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (team_id, key_kind, key, incident_id) DO UPDATE SET firing = EXCLUDED.firing, updated_at = EXCLUDED.updated_at`,
          [team, kind, key, id, firing, lastLinkAt],
        );
      },
      firingCount: async (team, id) =>
        Number(
          (await c.query<{ n: string }>(`SELECT count(*) AS n FROM ${s}.alert_links WHERE team_id = $1 AND incident_id = $2 AND key_kind = 'fingerprint' AND firing`, [team, id]))
            .rows[0]?.n ?? 0,
        ),
    };
  };

  return {
    async addIntegration(team, name, kind, settings) {
      const teamName = checkTeamName(team);
      const integrationName = checkIntegrationName(name);
      return withPgTransaction(pool, async (c) => {
        const t = (await c.query<{ id: string }>(`SELECT id FROM ${s}.teams WHERE name = $1 FOR UPDATE`, [teamName])).rows[0];
        if (!t) throw noSuchTeam(teamName);
        const existing = await one(c, 't.name = $1 AND i.name = $2', [teamName, integrationName]);
        if (existing && existing.revoked_at === null) throw integrationExists(teamName, integrationName);
        const minted = mintToken(existing?.id ?? randomUUID(), INTEGRATION_TOKEN_PREFIX);
        if (existing) {
          await c.query(`UPDATE ${s}.integrations SET kind = $1, settings = $2, salt = $3, token_hash = $4, revoked_at = NULL, created_at = now() WHERE id = $5`, [
            kind, JSON.stringify(settings), minted.salt, minted.hash, existing.id,
          ]);
        } else {
          await c.query(`INSERT INTO ${s}.integrations (id, team_id, name, kind, settings, salt, token_hash) VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
            minted.memberId, t.id, integrationName, kind, JSON.stringify(settings), minted.salt, minted.hash,
          ]);
        }
        return { token: minted.token, integration: toIntegration((await one(c, 'i.id = $1', [minted.memberId]))!) };
      });
    },
    async integrations(team) {
      return (await pool.query<IntegrationRow>(`${select} WHERE t.name = $1 ORDER BY i.name`, [checkTeamName(team)])).rows.map(toIntegration);
    },
    async updateIntegration(team, name, settings) {
      const row = await one(pool, 't.name = $1 AND i.name = $2', [checkTeamName(team), checkIntegrationName(name)]);
      if (!row) return null;
      await pool.query(`UPDATE ${s}.integrations SET settings = $1 WHERE id = $2`, [JSON.stringify(settings), row.id]);
      return toIntegration({ ...row, settings: JSON.stringify(settings) });
    },
    async revokeIntegration(team, name) {
      const row = await one(pool, 't.name = $1 AND i.name = $2', [checkTeamName(team), checkIntegrationName(name)]);
      if (!row) return false;
      await pool.query(`UPDATE ${s}.integrations SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL`, [row.id]);
      return true;
    },
    async authenticateIntegration(token) {
      const parsed = parseToken(token, INTEGRATION_TOKEN_PREFIX);
      if (!parsed) return null;
      const row = await one(pool, 'i.id = $1', [parsed.memberId]);
      if (!row || !secretMatches(parsed.secret, row.salt, row.token_hash)) return null;
      return toIntegration(row);
    },
    commitAlerts(integration, alerts, stamp) {
      return inCommit(integration.teamId, async (c, head) => {
        const applied = await applyAlerts(alertTxOn(c), integration, alerts, head, stamp);
        return { value: applied, head: applied.head };
      });
    },
  };
}

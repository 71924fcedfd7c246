import type pg from 'pg';
import { randomUUID } from 'node:crypto';
import { ConnError } from '../../shared/domain/errors.js';
import type { ConnEvent, EventOfKind } from '../../shared/domain/events.js';
import type { ChannelKind } from '../../shared/updates/delivery-protocol.js';
import { withPgTransaction } from '../store/pg-transaction.js';
import { checkTeamName } from '../store/names.js';
import { excerpt, statusOf, TAKES_SQL, targetOfUrl, type ClaimedDelivery, type DeliveryQueue, type DeliveryRow } from './delivery-queue.js';
import { SNAPSHOT_KINDS, snapshotOf, type UpdateSnapshot } from './update-snapshot.js';

/*
 * The delivery queue in the shared Postgres (tables from postgres.ts, migration 5). Several hub
 * nodes run a deliverer each: a claim takes its rows with FOR UPDATE SKIP LOCKED, so two nodes
 * never send the same row at once, and the lease keeps a row from a dead node for only so long.
 */

/** Queues one committed update for every channel of the team that takes it, on the commit's connection. */
export async function enqueueUpdatePostgres(c: pg.ClientBase, s: string, teamId: string, teamName: string, update: EventOfKind<'update.posted'>, seq: number): Promise<void> {
  const headline = (
    await c.query<{ body: string }>(`SELECT body FROM ${s}.events WHERE team_id = $1 AND incident_id = $2 AND kind = ANY($3)`, [teamId, update.incidentId, [...SNAPSHOT_KINDS]])
  ).rows.map((r) => JSON.parse(r.body) as ConnEvent);
  const snapshot = JSON.stringify(snapshotOf(teamName, update, headline));
  const now = Date.now();
  await c.query(
    `INSERT INTO ${s}.update_deliveries
       (channel_id, event_id, team_id, incident_id, seq, channel_name, kind, snapshot, state, attempts, next_attempt_at, updated_at)
     SELECT c.id, $1, $2, $3, $4, c.name, c.kind, $5, 'queued', 0, $6, $6 FROM ${s}.update_channels c WHERE c.team_id = $2 AND ${TAKES_SQL('$7::text')}
     ON CONFLICT DO NOTHING`,
    [update.id, teamId, update.incidentId, seq, snapshot, now, update.payload.audience ?? null],
  );
}

export function postgresDeliveryQueue(pool: pg.Pool, s: string): DeliveryQueue {
  const teamIdOf = async (c: pg.ClientBase, team: string): Promise<string> => {
    const t = (await c.query<{ id: string }>(`SELECT id FROM ${s}.teams WHERE name = $1`, [checkTeamName(team)])).rows[0];
    if (!t) throw new ConnError('not-found', `there is no team "${team}" on this hub: invite someone to it first (conn hub invite NAME --team ${team})`);
    return t.id;
  };
  const inTx = <T>(fn: (c: pg.PoolClient) => Promise<T>) => withPgTransaction(pool, fn);

  return {
    addChannel: (team, input) =>
      inTx(async (c) => {
        const t = await teamIdOf(c, team);
        const r = await c.query(
          `INSERT INTO ${s}.update_channels (id, team_id, name, name_key, kind, url, secret, page_id, api_key) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
           ON CONFLICT (team_id, name_key) DO NOTHING RETURNING created_at`,
          [randomUUID(), t, input.name, input.name.toLowerCase(), input.kind, input.url, input.secret ?? null, input.pageId ?? null, input.apiKey ?? null],
        );
        if (!r.rowCount) throw new ConnError('conflict', `team "${team}" already has a channel "${input.name}": remove it first to change it`);
        return { name: input.name, kind: input.kind, target: targetOfUrl(input.url), createdAt: (r.rows[0] as { created_at: Date }).created_at.toISOString() };
      }),
    channels: (team) =>
      inTx(async (c) => {
        const t = await teamIdOf(c, team);
        const rows = (await c.query<{ name: string; kind: ChannelKind; url: string; created_at: Date }>(`SELECT name, kind, url, created_at FROM ${s}.update_channels WHERE team_id = $1 ORDER BY name_key`, [t])).rows;
        return rows.map((r) => ({ name: r.name, kind: r.kind, target: targetOfUrl(r.url), createdAt: r.created_at.toISOString() }));
      }),
    removeChannel: (team, name) =>
      inTx(async (c) => {
        const t = await teamIdOf(c, team);
        const ch = (await c.query<{ id: string }>(`SELECT id FROM ${s}.update_channels WHERE team_id = $1 AND name_key = $2 FOR UPDATE`, [t, name.toLowerCase()])).rows[0];
        if (!ch) return false;
        await c.query(
          `UPDATE ${s}.update_deliveries SET state = 'failed', last_status = NULL, last_response = 'the channel was removed', updated_at = $1 WHERE channel_id = $2 AND state = 'queued'`,
          [Date.now(), ch.id],
        );
        await c.query(`DELETE FROM ${s}.statuspage_incidents WHERE channel_id = $1`, [ch.id]);
        await c.query(`DELETE FROM ${s}.update_channels WHERE id = $1`, [ch.id]);
        return true;
      }),
    claim: (nowMs, leaseMs, limit) =>
      inTx(async (c) => {
        const rows = (
          await c.query<{
            team_id: string; incident_id: string; event_id: string; attempts: number; snapshot: string; channel_id: string;
          }>(
            `UPDATE ${s}.update_deliveries u SET attempts = u.attempts + 1, next_attempt_at = $2, updated_at = $1
             WHERE (u.channel_id, u.event_id) IN (
               SELECT d.channel_id, d.event_id FROM ${s}.update_deliveries d
               WHERE d.state = 'queued' AND d.next_attempt_at <= $1
                 AND NOT EXISTS (SELECT 1 FROM ${s}.update_deliveries e WHERE e.channel_id = d.channel_id AND e.incident_id = d.incident_id AND e.state = 'queued' AND e.seq < d.seq)
               ORDER BY d.next_attempt_at LIMIT $3 FOR UPDATE SKIP LOCKED)
             RETURNING u.team_id, u.incident_id, u.event_id, u.attempts, u.snapshot, u.channel_id`,
            [nowMs, nowMs + leaseMs, limit],
          )
        ).rows;
        const out: ClaimedDelivery[] = [];
        for (const r of rows) {
          const ch = (
            await c.query<{ id: string; name: string; kind: ChannelKind; url: string; secret: string | null; page_id: string | null; api_key: string | null }>(
              `SELECT id, name, kind, url, secret, page_id, api_key FROM ${s}.update_channels WHERE id = $1`,
              [r.channel_id],
            )
          ).rows[0];
          if (!ch) continue;
          const remote = (await c.query<{ remote_id: string }>(`SELECT remote_id FROM ${s}.statuspage_incidents WHERE channel_id = $1 AND incident_id = $2`, [r.channel_id, r.incident_id])).rows[0];
          out.push({
            teamId: r.team_id,
            incidentId: r.incident_id,
            eventId: r.event_id,
            attempt: Number(r.attempts),
            channel: { id: ch.id, name: ch.name, kind: ch.kind, url: ch.url, secret: ch.secret, pageId: ch.page_id, apiKey: ch.api_key },
            snapshot: JSON.parse(r.snapshot) as UpdateSnapshot,
            remoteIncidentId: remote?.remote_id ?? null,
          });
        }
        return out;
      }),
    settle: (o, nowMs) =>
      inTx(async (c) => {
        const r = (
          await c.query<{ team_id: string; incident_id: string }>(
            `UPDATE ${s}.update_deliveries SET state = $1, last_status = $2, last_response = $3, next_attempt_at = COALESCE($4, next_attempt_at), delivered_at = $5, updated_at = $6
             WHERE channel_id = $7 AND event_id = $8 AND attempts = $9 AND state = 'queued' RETURNING team_id, incident_id`,
            [o.state, o.status, excerpt(o.response), o.nextAttemptAt, o.state === 'delivered' ? nowMs : null, nowMs, o.channelId, o.eventId, o.attempt],
          )
        ).rows[0];
        if (!r) return null;
        if (o.remoteIncidentId) {
          await c.query(
            `INSERT INTO ${s}.statuspage_incidents (channel_id, incident_id, remote_id) VALUES ($1, $2, $3) ON CONFLICT (channel_id, incident_id) DO UPDATE SET remote_id = EXCLUDED.remote_id`,
            [o.channelId, r.incident_id, o.remoteIncidentId],
          );
        }
        return { teamId: r.team_id, incidentId: r.incident_id };
      }),
    forIncident: async (teamId, incidentId) =>
      (
        await pool.query<DeliveryRow>(
          `SELECT event_id, channel_name, kind, state, attempts, last_status, last_response, next_attempt_at, delivered_at, updated_at
           FROM ${s}.update_deliveries WHERE team_id = $1 AND incident_id = $2 ORDER BY seq, channel_name LIMIT 5000`,
          [teamId, incidentId],
        )
      ).rows.map(statusOf),
    nextDue: async () => {
      const at = (await pool.query<{ at: string | null }>(`SELECT MIN(next_attempt_at) AS at FROM ${s}.update_deliveries WHERE state = 'queued'`)).rows[0]?.at;
      return at === null || at === undefined ? null : Number(at);
    },
  };
}

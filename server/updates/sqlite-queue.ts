import type Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { ConnError } from '../../shared/domain/errors.js';
import type { ConnEvent, EventOfKind } from '../../shared/domain/events.js';
import type { ChannelKind } from '../../shared/updates/delivery-protocol.js';
import { checkTeamName } from '../store/names.js';
import { excerpt, statusOf, TAKES_SQL, targetOfUrl, type ClaimedDelivery, type DeliveryQueue, type DeliveryRow } from './delivery-queue.js';
import { SNAPSHOT_KINDS, snapshotOf, type UpdateSnapshot } from './update-snapshot.js';

/* The delivery queue in the embedded store's hub.sqlite (tables from sqlite-migrations.ts, version 6). */

/** Queues one committed update for every channel of the team that takes it; runs inside the commit's transaction. */
export function enqueueUpdateSqlite(db: Database.Database, teamId: string, teamName: string, update: EventOfKind<'update.posted'>, seq: number): number {
  const headline = db
    // INDEXED BY: without statistics the planner walks the team's whole log instead.
    .prepare<string[], { body: string }>(`SELECT body FROM events INDEXED BY events_by_incident_kind WHERE team_id = ? AND incident_id = ? AND kind IN (${SNAPSHOT_KINDS.map(() => '?').join(', ')})`)
    .all(teamId, update.incidentId, ...SNAPSHOT_KINDS)
    .map((r) => JSON.parse(r.body) as ConnEvent);
  const snapshot = JSON.stringify(snapshotOf(teamName, update, headline));
  const now = Date.now();
  return db
    .prepare(
      `INSERT OR IGNORE INTO update_deliveries
         (channel_id, event_id, team_id, incident_id, seq, channel_name, kind, snapshot, state, attempts, next_attempt_at, updated_at)
       SELECT c.id, ?, ?, ?, ?, c.name, c.kind, ?, 'queued', 0, ?, ? FROM update_channels c WHERE c.team_id = ? AND ${TAKES_SQL('?')}`,
    )
    .run(update.id, teamId, update.incidentId, seq, snapshot, now, now, teamId, update.payload.audience ?? null).changes;
}

export function sqliteDeliveryQueue(db: Database.Database): DeliveryQueue {
  const teamId = (team: string): string => {
    const t = db.prepare<[string], { id: string }>('SELECT id FROM teams WHERE name = ?').get(checkTeamName(team));
    if (!t) throw new ConnError('not-found', `there is no team "${team}" on this hub: invite someone to it first (conn hub invite NAME --team ${team})`);
    return t.id;
  };
  const q = {
    channel: db.prepare<[string, string], { id: string }>('SELECT id FROM update_channels WHERE team_id = ? AND name = ?'),
    insertChannel: db.prepare('INSERT INTO update_channels (id, team_id, name, kind, url, secret, page_id, api_key, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)'),
    channels: db.prepare<[string], { name: string; kind: ChannelKind; url: string; created_at: string }>(
      'SELECT name, kind, url, created_at FROM update_channels WHERE team_id = ? ORDER BY name',
    ),
    due: db.prepare<[number, number], { channel_id: string; event_id: string }>(
      `SELECT d.channel_id, d.event_id FROM update_deliveries d
       WHERE d.state = 'queued' AND d.next_attempt_at <= ?
         AND NOT EXISTS (SELECT 1 FROM update_deliveries e WHERE e.channel_id = d.channel_id AND e.incident_id = d.incident_id AND e.state = 'queued' AND e.seq < d.seq)
       ORDER BY d.next_attempt_at LIMIT ?`,
    ),
    lease: db.prepare<[number, number, string, string]>(
      "UPDATE update_deliveries SET attempts = attempts + 1, next_attempt_at = ?, updated_at = ? WHERE channel_id = ? AND event_id = ? AND state = 'queued'",
    ),
    claimed: db.prepare<
      [string, string],
      { team_id: string; incident_id: string; event_id: string; attempts: number; snapshot: string; id: string; name: string; kind: ChannelKind; url: string; secret: string | null; page_id: string | null; api_key: string | null; remote_id: string | null }
    >(
      `SELECT d.team_id, d.incident_id, d.event_id, d.attempts, d.snapshot, c.id, c.name, c.kind, c.url, c.secret, c.page_id, c.api_key, s.remote_id
       FROM update_deliveries d JOIN update_channels c ON c.id = d.channel_id
       LEFT JOIN statuspage_incidents s ON s.channel_id = d.channel_id AND s.incident_id = d.incident_id
       WHERE d.channel_id = ? AND d.event_id = ?`,
    ),
    settle: db.prepare(
      `UPDATE update_deliveries SET state = ?, last_status = ?, last_response = ?, next_attempt_at = COALESCE(?, next_attempt_at), delivered_at = ?, updated_at = ?
       WHERE channel_id = ? AND event_id = ? AND attempts = ? AND state = 'queued'`,
    ),
    where: db.prepare<[string, string], { team_id: string; incident_id: string }>('SELECT team_id, incident_id FROM update_deliveries WHERE channel_id = ? AND event_id = ?'),
    remote: db.prepare('INSERT OR REPLACE INTO statuspage_incidents (channel_id, incident_id, remote_id) VALUES (?, ?, ?)'),
    forIncident: db.prepare<[string, string], DeliveryRow>(
      `SELECT event_id, channel_name, kind, state, attempts, last_status, last_response, next_attempt_at, delivered_at, updated_at
       FROM update_deliveries WHERE team_id = ? AND incident_id = ? ORDER BY seq, channel_name LIMIT 5000`,
    ),
    nextDue: db.prepare<[], { at: number | null }>("SELECT MIN(next_attempt_at) AS at FROM update_deliveries WHERE state = 'queued'"),
  };

  return {
    async addChannel(team, input) {
      const t = teamId(team);
      return db.transaction(() => {
        if (q.channel.get(t, input.name)) throw new ConnError('conflict', `team "${team}" already has a channel "${input.name}": remove it first to change it`);
        const createdAt = new Date().toISOString();
        q.insertChannel.run(randomUUID(), t, input.name, input.kind, input.url, input.secret ?? null, input.pageId ?? null, input.apiKey ?? null, createdAt);
        return { name: input.name, kind: input.kind, target: targetOfUrl(input.url), createdAt };
      }).immediate();
    },
    async channels(team) {
      return q.channels.all(teamId(team)).map((c) => ({ name: c.name, kind: c.kind, target: targetOfUrl(c.url), createdAt: c.created_at }));
    },
    async removeChannel(team, name) {
      const t = teamId(team);
      return db.transaction(() => {
        const c = q.channel.get(t, name);
        if (!c) return false;
        const now = Date.now();
        db.prepare("UPDATE update_deliveries SET state = 'failed', last_status = NULL, last_response = 'the channel was removed', updated_at = ? WHERE channel_id = ? AND state = 'queued'").run(now, c.id);
        db.prepare('DELETE FROM statuspage_incidents WHERE channel_id = ?').run(c.id);
        db.prepare('DELETE FROM update_channels WHERE id = ?').run(c.id);
        return true;
      }).immediate();
    },
    async claim(nowMs, leaseMs, limit) {
      return db.transaction((): ClaimedDelivery[] => {
        const out: ClaimedDelivery[] = [];
        for (const d of q.due.all(nowMs, limit)) {
          q.lease.run(nowMs + leaseMs, nowMs, d.channel_id, d.event_id);
          const r = q.claimed.get(d.channel_id, d.event_id);
          if (!r) continue;
          out.push({
            teamId: r.team_id,
            incidentId: r.incident_id,
            eventId: r.event_id,
            attempt: r.attempts,
            channel: { id: r.id, name: r.name, kind: r.kind, url: r.url, secret: r.secret, pageId: r.page_id, apiKey: r.api_key },
            snapshot: JSON.parse(r.snapshot) as UpdateSnapshot,
            remoteIncidentId: r.remote_id,
          });
        }
        return out;
      }).immediate();
    },
    async settle(o, nowMs) {
      return db.transaction(() => {
        const changed = q.settle.run(
          o.state, o.status, excerpt(o.response), o.nextAttemptAt, o.state === 'delivered' ? nowMs : null, nowMs, o.channelId, o.eventId, o.attempt,
        ).changes;
        if (!changed) return null;
        const where = q.where.get(o.channelId, o.eventId)!;
        if (o.remoteIncidentId) q.remote.run(o.channelId, where.incident_id, o.remoteIncidentId);
        return { teamId: where.team_id, incidentId: where.incident_id };
      }).immediate();
    },
    async forIncident(team, incidentId) {
      return q.forIncident.all(team, incidentId).map(statusOf);
    },
    async nextDue() {
      return q.nextDue.get()?.at ?? null;
    },
  };
}

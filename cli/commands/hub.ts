import type { Command } from 'commander';
import { ConnError } from '../../shared/domain/errors.js';
import { MemberRoleSchema, type MemberRole } from '../../shared/sync/protocol.js';
import type { MetricsAccess } from '../../server/hub/http-routes.js';
import { DEFAULT_PUSH_LIMITS, type PushLimits } from '../../server/hub/rate-limit.js';
import { DEFAULT_ALERT_LIMITS } from '../../server/alerts/alert-http.js';
import { RECORDING_DEFAULTS } from '../../shared/sync/recording-protocol.js';
import type { HubStore } from '../../server/store/store.js';
import { globalsOf, output } from '../context.js';
import { registerIntegrationCommands } from './hub-integrations.js';
import { registerChannels } from './hub-channels.js';

/*
 * `conn hub …`: run a team's hub and manage who may use it. The hub keeps its own database
 * (hub.sqlite) in --data-dir, or uses Postgres with --postgres; invite and revoke work on the
 * same store while the hub is serving.
 */

interface StoreFlags {
  postgres?: string;
  pgSchema?: string;
}

function storeFlags(cmd: Command): Command {
  return cmd
    .option('--postgres <url>', 'use Postgres as the store (several hub nodes); env CONN_HUB_POSTGRES')
    .option('--pg-schema <name>', 'Postgres schema for the hub tables', 'conn_hub');
}

const postgresUrlOf = (flags: StoreFlags) => flags.postgres ?? process.env['CONN_HUB_POSTGRES'];

/** A Postgres failure as a person reads it: a refusal we made stays as it is, the URL loses its password. */
function postgresFailure(url: string, err: unknown): ConnError {
  if (err instanceof ConnError) return err;
  return new ConnError('unavailable', `cannot open the Postgres store at ${url.replace(/\/\/[^@]*@/, '//…@')}: ${err instanceof Error ? err.message : String(err)}`);
}

async function openStore(dataDir: string, flags: StoreFlags): Promise<HubStore> {
  const url = postgresUrlOf(flags);
  if (url) {
    try {
      // Lazy: socket.io, pg and redis cost ~1 s to load, and only `conn hub` needs them.
      const { openPostgresStore } = await import('../../server/store/postgres.js');
      return await openPostgresStore({ url, schema: flags.pgSchema ?? 'conn_hub' });
    } catch (err) {
      throw postgresFailure(url, err);
    }
  }
  const { openSqliteStore } = await import('../../server/store/sqlite.js');
  return openSqliteStore(dataDir);
}

interface MetricsFlags {
  metricsToken?: string;
  metricsHost: string;
  metricsPort?: string;
}

/** Who may read /metrics, and where: from the flags, or the environment for the token (off `ps`). */
function metricsAccessOf(o: MetricsFlags): MetricsAccess {
  const token = o.metricsToken ?? process.env['CONN_HUB_METRICS_TOKEN'];
  if (token !== undefined && token.trim().length < 16) {
    throw new ConnError('invalid-input', 'the metrics token must be at least 16 characters: make one with `openssl rand -hex 32`');
  }
  if (o.metricsPort === undefined) return { token };
  const port = Number(o.metricsPort);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConnError('invalid-input', `--metrics-port ${o.metricsPort} is not a TCP port (0-65535)`);
  return { token, listener: { host: o.metricsHost, port } };
}

interface LimitFlags {
  memberRate: string;
  memberBurst: string;
  teamRate: string;
  teamBurst: string;
  teamBytesPerDay: string;
}

function countOption(flag: string, value: string, min: number): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < min) throw new ConnError('invalid-input', `${flag} ${value} is not a number of ${min} or more${min === 0 ? ' (0 turns the limit off)' : ''}`);
  return n;
}

const SIZE_UNITS: Record<string, number> = { '': 1, b: 1, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3 };

/** "200MiB", "1.5 GiB", "65536": a size in bytes. */
function sizeOption(flag: string, value: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(value.trim());
  const unit = m ? SIZE_UNITS[m[2]!.toLowerCase()] : undefined;
  if (!m || unit === undefined) throw new ConnError('invalid-input', `${flag} ${value} is not a size: give bytes or a number with KiB, MiB or GiB (e.g. 200MiB); 0 turns the limit off`);
  return Math.round(Number(m[1]) * unit);
}

function pushLimitsFrom(o: LimitFlags): PushLimits {
  return {
    memberEventsPerSecond: countOption('--member-rate', o.memberRate, 0),
    memberBurst: countOption('--member-burst', o.memberBurst, 1),
    teamEventsPerSecond: countOption('--team-rate', o.teamRate, 0),
    teamBurst: countOption('--team-burst', o.teamBurst, 1),
    teamBytesPerDay: sizeOption('--team-bytes-per-day', o.teamBytesPerDay),
  };
}

interface RecordingFlags {
  recordingQuota: string;
  recordingRetention: string;
}

/** The shared-recording quota and retention; neither can be turned off (0 would refuse or delete every recording). */
function recordingOptionsFrom(o: RecordingFlags): { quotaBytes: number; retentionMs: number } {
  const quotaBytes = sizeOption('--recording-quota', o.recordingQuota);
  if (quotaBytes < 1024 ** 2) throw new ConnError('invalid-input', `--recording-quota ${o.recordingQuota} is less than 1 MiB: a minute of call audio would not fit`);
  const days = Number(o.recordingRetention);
  if (o.recordingRetention.trim() === '' || !Number.isFinite(days) || days <= 0 || days > 3650) {
    throw new ConnError('invalid-input', `--recording-retention ${o.recordingRetention} is not a number of days between 0 and 3650 (e.g. 30 or 0.5)`);
  }
  return { quotaBytes, retentionMs: Math.round(days * 86_400_000) };
}

function parseRoleOption(value: string): MemberRole {
  const r = MemberRoleSchema.safeParse(value.toLowerCase());
  if (!r.success) throw new ConnError('invalid-input', `role "${value}" is not one of admin, member, viewer`);
  return r.data;
}

export function register(program: Command): void {
  const hub = program.command('hub').description("run your team's sync hub and manage its members");
  registerChannels(hub, storeFlags, openStore);

  storeFlags(
    hub
      .command('serve')
      .description('serve the hub until SIGTERM/SIGINT; prints the address it listens on')
      .option('--port <port>', 'TCP port (0 picks a free one)', '7340')
      .option('--host <host>', 'interface to listen on (0.0.0.0 for every interface)', '127.0.0.1')
      .option('--redis <url>', 'share broadcasts with other hub nodes through Redis Streams; env CONN_HUB_REDIS')
      .option('--log-level <level>', 'how much the hub logs as JSON lines on stderr: info (one line per push), debug (every request), warn, error; env CONN_HUB_LOG_LEVEL')
      .option('--redis-stream <name>', 'the Redis stream the nodes share (one per hub deployment on a shared Redis)', 'conn-hub')
      .option('--metrics-token <token>', 'require "Authorization: Bearer TOKEN" for /metrics; env CONN_HUB_METRICS_TOKEN keeps it out of `ps`')
      .option('--metrics-port <port>', 'serve /metrics (and /healthz) on a listener of their own; the main one then has no /metrics')
      .option('--metrics-host <host>', 'interface of the metrics listener', '127.0.0.1')
      // Budgets are per hub node; 0 turns a rate off. See README, "Running a hub for your team".
      .option('--member-rate <events/s>', 'events per second one member may push, on average (0: no limit)', String(DEFAULT_PUSH_LIMITS.memberEventsPerSecond))
      .option('--member-burst <events>', 'events one member may push at once after a quiet spell', String(DEFAULT_PUSH_LIMITS.memberBurst))
      .option('--team-rate <events/s>', 'events per second one team may push, on average (0: no limit)', String(DEFAULT_PUSH_LIMITS.teamEventsPerSecond))
      .option('--team-burst <events>', 'events one team may push at once after a quiet spell', String(DEFAULT_PUSH_LIMITS.teamBurst))
      .option('--alert-rate <posts/s>', 'alert posts per second one integration may keep up at /alerts/', String(DEFAULT_ALERT_LIMITS.perSecond))
      .option('--alert-burst <posts>', 'alert posts one integration may send at once after a quiet spell', String(DEFAULT_ALERT_LIMITS.burst))
      .option('--delivery-timeout <seconds>', 'how long a stakeholder-update receiver may take to answer before the try counts as failed', '10')
      .option('--trust-proxy', 'behind a reverse proxy: limit failed sign-ins per X-Forwarded-For client instead of per proxy (only if the hub is reachable through that proxy alone)')
      .option('--team-bytes-per-day <size>', 'event bytes one team may push per rolling day, e.g. 200MiB (0: no limit)', `${DEFAULT_PUSH_LIMITS.teamBytesPerDay / 1024 ** 2}MiB`)
      .option('--recording-quota <size>', 'bytes of shared call recordings one team may keep on the hub, e.g. 2GiB', `${RECORDING_DEFAULTS.teamQuotaBytes / 1024 ** 3}GiB`)
      .option('--recording-retention <days>', 'days a shared call recording (and its transcript) is kept before the hub deletes it', String(RECORDING_DEFAULTS.retentionMs / 86_400_000)),
  ).action(async (o: StoreFlags & MetricsFlags & LimitFlags & RecordingFlags & { port: string; host: string; redis?: string; redisStream: string; logLevel?: string; trustProxy?: boolean; alertRate: string; alertBurst: string; deliveryTimeout: string }, cmd: Command) => {
    const g = globalsOf(cmd);
    const port = Number(o.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConnError('invalid-input', `--port ${o.port} is not a TCP port (0-65535)`);
    const metricsAccess = metricsAccessOf(o);
    const pushLimits = pushLimitsFrom(o);
    const alertLimits = { perSecond: countOption('--alert-rate', o.alertRate, 0.001), burst: countOption('--alert-burst', o.alertBurst, 1) };
    const deliveryTimeoutMs = countOption('--delivery-timeout', o.deliveryTimeout, 0.1) * 1000;
    const recordings = recordingOptionsFrom(o);
    // Tests: retry within seconds instead of minutes.
    const backoffBaseMs = Number(process.env['CONN_HUB_TEST_DELIVERY_BACKOFF_MS'] ?? 0);
    const store = await openStore(g.dataDir, o);
    const redisUrl = o.redis ?? process.env['CONN_HUB_REDIS'];
    const crashAfterCommit = process.env['CONN_HUB_TEST_KILL_AFTER_COMMIT'] === '1';
    const slowCommitMs = Number(process.env['CONN_HUB_TEST_SLOW_COMMIT_MS'] ?? 0);
    if (slowCommitMs > 0) {
      // Crash tests: widen the window in which a client can be killed mid-push.
      const commit = store.commit.bind(store);
      store.commit = async (member, events) => {
        const result = await commit(member, events);
        await new Promise((r) => setTimeout(r, slowCommitMs));
        return result;
      };
    }
    const { createHub } = await import('../../server/hub/hub.js');
    // Structured logs, one JSON object per line on stderr (stdout says where the hub listens).
    const { pino } = await import('pino');
    const level = o.logLevel ?? process.env['CONN_HUB_LOG_LEVEL'] ?? 'info';
    if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(level)) throw new ConnError('invalid-input', `--log-level ${level} is not one of error, warn, info, debug`);
    const logger = pino({ name: 'conn-hub', level }, pino.destination(2));
    const { openRunbookStoreFor } = await import('../../server/runbooks/open-runbook-store.js');
    const instance = await createHub({
      store,
      runbooks: await openRunbookStoreFor(store.kind, g.dataDir, { url: o.postgres ?? process.env['CONN_HUB_POSTGRES'], schema: o.pgSchema ?? 'conn_hub' }),
      port,
      host: o.host,
      metricsAccess,
      pushLimits,
      alertLimits,
      trustProxy: o.trustProxy === true,
      recordings,
      delivery: { timeoutMs: deliveryTimeoutMs, ...(backoffBaseMs > 0 ? { backoff: { baseMs: backoffBaseMs }, pollMs: backoffBaseMs, leaseMs: deliveryTimeoutMs + backoffBaseMs } : {}) },
      ...(redisUrl ? { redis: { url: redisUrl, streamName: o.redisStream } } : {}),
      log: (line) => logger.warn(line),
      logger,
      // Crash tests: die like kill -9 between the commit and its broadcast and ack.
      ...(crashAfterCommit ? { afterCommit: () => process.kill(process.pid, 'SIGKILL') } : {}),
    }).catch(async (err: unknown) => {
      await store.close();
      const msg = err instanceof Error ? err.message : String(err);
      const busy = err as { port?: number; address?: string };
      const which = busy.port !== undefined && busy.port === metricsAccess.listener?.port ? '--metrics-port' : '--port';
      throw new ConnError('unavailable', /EADDRINUSE/.test(msg) ? `port ${busy.port ?? port} on ${busy.address ?? o.host} is in use; pick another with ${which}` : `the hub could not start: ${msg}`);
    });
    const metricsAt = `${instance.metricsUrl ?? instance.url}/metrics${metricsAccess.token ? ' (bearer token)' : ''}`;
    output(g, { url: instance.url, host: instance.host, port: instance.port, metricsUrl: `${instance.metricsUrl ?? instance.url}/metrics`, store: store.kind, dataDir: store.kind === 'sqlite' ? g.dataDir : null }, () =>
      `Conn hub listening on ${instance.url} (store: ${store.kind === 'sqlite' ? `SQLite in ${g.dataDir}` : 'Postgres'}${redisUrl ? ', Redis Streams adapter' : ''}); metrics at ${metricsAt}`,
    );
    await new Promise<void>((resolve) => {
      const stop = () => {
        process.off('SIGTERM', stop);
        process.off('SIGINT', stop);
        instance.close().then(resolve, resolve);
      };
      process.on('SIGTERM', stop);
      process.on('SIGINT', stop);
    });
  });

  storeFlags(
    hub
      .command('invite')
      .description('create a member (and the team if needed) and print their token; re-inviting rotates the token')
      .argument('<name>', "the member's name, as they use it in Conn")
      .requiredOption('--team <team>', 'team name')
      .option('--role <role>', 'admin, member or viewer', 'member'),
  ).action(async (name: string, o: StoreFlags & { team: string; role: string }, cmd: Command) => {
    const g = globalsOf(cmd);
    const role = parseRoleOption(o.role);
    const store = await openStore(g.dataDir, o);
    try {
      const invite = await store.invite(o.team, name, role);
      output(g, invite, () =>
        [`Invited ${invite.name} to team "${invite.team}" as ${invite.role}. Their token (shown once):`, '', `  ${invite.token}`, '', 'They connect with: conn connect HUB_URL --token TOKEN'].join('\n'),
      );
    } finally {
      await store.close();
    }
  });

  storeFlags(
    hub
      .command('revoke')
      .description("revoke a member's token; their connections are cut within seconds")
      .argument('<name>', "the member's name")
      .requiredOption('--team <team>', 'team name'),
  ).action(async (name: string, o: StoreFlags & { team: string }, cmd: Command) => {
    const g = globalsOf(cmd);
    const store = await openStore(g.dataDir, o);
    try {
      const done = await store.revoke(o.team, name);
      if (!done) throw new ConnError('not-found', `team "${o.team}" has no member "${name}"; check the spelling with the admin who invited them`);
      output(g, { revoked: true, team: o.team, name }, () => `Revoked ${name} in team "${o.team}".`);
    } finally {
      await store.close();
    }
  });

  storeFlags(
    hub
      .command('migrate')
      .description("bring the hub store's schema up to date without serving; prints the version before and after"),
  ).action(async (o: StoreFlags, cmd: Command) => {
    const g = globalsOf(cmd);
    const url = postgresUrlOf(o);
    let result: { from: number; to: number };
    let latest: number;
    let where: string;
    if (url) {
      const schema = o.pgSchema ?? 'conn_hub';
      const { migratePostgresHub, POSTGRES_SCHEMA_VERSION } = await import('../../server/store/postgres.js');
      result = await migratePostgresHub(url, schema).catch((err: unknown) => {
        throw postgresFailure(url, err);
      });
      latest = POSTGRES_SCHEMA_VERSION;
      where = `Postgres schema "${schema}"`;
    } else {
      const { migrateSqliteHub } = await import('../../server/store/sqlite.js');
      const { SQLITE_SCHEMA_VERSION } = await import('../../server/store/sqlite-migrations.js');
      result = migrateSqliteHub(g.dataDir);
      latest = SQLITE_SCHEMA_VERSION;
      where = `SQLite in ${g.dataDir}`;
    }
    output(g, { store: url ? 'postgres' : 'sqlite', from: result.from, to: result.to, latest }, () =>
      result.from === result.to
        ? `The hub schema (${where}) is at version ${result.to}, the latest: nothing to do.`
        : `Migrated the hub schema (${where}) from version ${result.from} to ${result.to}, the latest.`,
    );
  });

  hub
    .command('backup')
    .description("copy the embedded hub's database (hub.sqlite) to FILE, safely while the hub serves")
    .argument('<file>', 'where to write the backup (a new file)')
    .option('--force', 'replace FILE if it exists')
    .action(async (file: string, o: { force?: boolean }, cmd: Command) => {
      const g = globalsOf(cmd);
      const { backupHubSqlite } = await import('../../server/store/sqlite-backup.js');
      const b = await backupHubSqlite(g.dataDir, file, { force: o.force === true });
      output(g, b, () => `Backed up the hub database in ${g.dataDir} to ${b.file} (schema ${b.schemaVersion}: ${teamsAndEvents(b)}, ${sizeText(b.bytes)}).`);
    });

  hub
    .command('restore')
    .description("replace the embedded hub's database with a backup; the hub must be stopped, and the old database is kept as hub.sqlite.bak")
    .argument('<file>', 'a backup made by conn hub backup')
    .action(async (file: string, _o: unknown, cmd: Command) => {
      const g = globalsOf(cmd);
      const { restoreHubSqlite } = await import('../../server/store/sqlite-backup.js');
      const { SQLITE_SCHEMA_VERSION } = await import('../../server/store/sqlite-migrations.js');
      const r = await restoreHubSqlite(g.dataDir, file);
      output(g, { ...r, dataDir: g.dataDir, latest: SQLITE_SCHEMA_VERSION }, () =>
        [
          `Restored the hub database in ${g.dataDir} from ${file} (schema ${r.schemaVersion}: ${teamsAndEvents(r)}).`,
          r.previous ? `The database it replaced is kept as ${r.previous}.` : '',
          r.schemaVersion < SQLITE_SCHEMA_VERSION ? `conn hub migrate (or conn hub serve) brings it from schema ${r.schemaVersion} to ${SQLITE_SCHEMA_VERSION}.` : '',
        ]
          .filter(Boolean)
          .join(' '),
      );
    });

  registerIntegrationCommands(hub, { storeFlags, openStore });
}

const sizeText = (bytes: number) => (bytes < 1024 ** 2 ? `${Math.ceil(bytes / 1024)} KiB` : `${(bytes / 1024 ** 2).toFixed(1)} MiB`);
const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
const teamsAndEvents = (s: { teams: number; events: number }) => `${plural(s.teams, 'team', 'teams')}, ${plural(s.events, 'event', 'events')}`;

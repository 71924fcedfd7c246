/*
 * The hub's Prometheus metrics, in the text exposition format. Kept in-process and tiny: a
 * few counters, a gauge, an events-per-second rate over a sliding window and a store-latency
 * histogram. Pure bookkeeping: no timers, so it never keeps a process alive.
 */

const LATENCY_BUCKETS_MS = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500];
const RATE_WINDOW_MS = 10_000;

export class HubMetrics {
  connections = 0;
  eventsCommitted = 0;
  eventsRejected = 0;
  /** Sign-ins refused because the token was missing, unknown or revoked. */
  authFailures = 0;
  requests: Record<string, number> = {};
  /** Requests and sign-ins refused as 'rate-limited', by the budget that refused them. */
  rateLimited: Record<string, number> = {};
  /** Connections refused as 'incompatible', by the side that must be upgraded. */
  incompatible: { conn: number; hub: number } = { conn: 0, hub: 0 };
  /** Whether this node's Redis link (the broadcast between nodes) is up: null without Redis. */
  redisUp: boolean | null = null;
  /** Events this node relayed to its own sockets from the store while its Redis link was down. */
  relayedEvents = 0;
  /** Alert posts refused, by reason (server/alerts/alert-http.ts). */
  alertsRefused: Record<string, number> = {};
  /** Alert posts accepted, by integration kind, and what their alerts did, by action. */
  alertsAccepted: Record<string, number> = {};
  alertActions: Record<string, number> = {};
  /** Bytes of shared recordings each team keeps, as this node last saw them (server/recordings/). */
  recordingBytes: Record<string, number> = {};
  /** Recording bytes this node stored from uploads, and recordings the retention sweep deleted. */
  recordingBytesUploaded = 0;
  recordingsSwept = 0;
  private readonly buckets = new Array<number>(LATENCY_BUCKETS_MS.length).fill(0);
  private latencyCount = 0;
  private latencySumMs = 0;
  private readonly recent: Array<{ at: number; n: number }> = [];

  constructor(private readonly now: () => number = Date.now) {}

  committed(n: number): void {
    this.eventsCommitted += n;
    this.recent.push({ at: this.now(), n });
    this.trim();
  }

  request(kind: string): void {
    this.requests[kind] = (this.requests[kind] ?? 0) + 1;
  }

  limited(kind: string): void {
    this.rateLimited[kind] = (this.rateLimited[kind] ?? 0) + 1;
  }

  alertRefused(reason: string): void {
    this.alertsRefused[reason] = (this.alertsRefused[reason] ?? 0) + 1;
  }

  alertAccepted(kind: string, actions: readonly string[]): void {
    this.alertsAccepted[kind] = (this.alertsAccepted[kind] ?? 0) + 1;
    for (const a of actions) this.alertActions[a] = (this.alertActions[a] ?? 0) + 1;
  }

  /** A team's whole usage, read from the store (after a complete, a delete, a sweep, and at start). */
  setRecordingBytes(usage: ReadonlyArray<{ team: string; bytes: number }>): void {
    this.recordingBytes = Object.fromEntries(usage.map((u) => [u.team, u.bytes]));
  }

  /** A chunk this node stored: the team's gauge moves without a store read per chunk. */
  recordingBytesStored(team: string, bytes: number): void {
    this.recordingBytesUploaded += bytes;
    if (bytes > 0) this.recordingBytes[team] = (this.recordingBytes[team] ?? 0) + bytes;
  }

  storeLatency(ms: number): void {
    this.latencyCount += 1;
    this.latencySumMs += ms;
    LATENCY_BUCKETS_MS.forEach((b, i) => {
      if (ms <= b) this.buckets[i] = (this.buckets[i] ?? 0) + 1;
    });
  }

  /** Events committed per second, averaged over the last ten seconds. */
  eventsPerSecond(): number {
    this.trim();
    return this.recent.reduce((sum, r) => sum + r.n, 0) / (RATE_WINDOW_MS / 1000);
  }

  private trim(): void {
    const cutoff = this.now() - RATE_WINDOW_MS;
    while (this.recent.length && this.recent[0]!.at < cutoff) this.recent.shift();
  }

  /** Times an async store call into the latency histogram. */
  async time<T>(fn: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await fn();
    } finally {
      this.storeLatency(performance.now() - started);
    }
  }

  render(): string {
    const lines = [
      '# HELP conn_hub_connections Sockets connected to this hub node now.',
      '# TYPE conn_hub_connections gauge',
      `conn_hub_connections ${this.connections}`,
      '# HELP conn_hub_events_committed_total Events committed with a new sequence number.',
      '# TYPE conn_hub_events_committed_total counter',
      `conn_hub_events_committed_total ${this.eventsCommitted}`,
      '# HELP conn_hub_events_rejected_total Pushed events refused (bad input, forbidden, clock drift).',
      '# TYPE conn_hub_events_rejected_total counter',
      `conn_hub_events_rejected_total ${this.eventsRejected}`,
      '# HELP conn_hub_events_per_second Events committed per second over the last 10 s.',
      '# TYPE conn_hub_events_per_second gauge',
      `conn_hub_events_per_second ${this.eventsPerSecond()}`,
      '# HELP conn_hub_requests_total Requests served, by kind.',
      '# TYPE conn_hub_requests_total counter',
      ...Object.entries(this.requests).map(([k, v]) => `conn_hub_requests_total{kind="${k}"} ${v}`),
      '# HELP conn_hub_rate_limited_total Pushes and sign-ins refused as rate-limited, by the budget that refused them.',
      '# TYPE conn_hub_rate_limited_total counter',
      ...Object.entries(this.rateLimited).map(([k, v]) => `conn_hub_rate_limited_total{kind="${k}"} ${v}`),
      '# HELP conn_hub_auth_failures_total Sign-ins refused for a missing, unknown or revoked token (not counting rate-limited ones).',
      '# TYPE conn_hub_auth_failures_total counter',
      `conn_hub_auth_failures_total ${this.authFailures}`,
      '# HELP conn_hub_incompatible_total Connections refused for their protocol version, by the side to upgrade: conn (too old for this hub) or hub (newer than this hub).',
      '# TYPE conn_hub_incompatible_total counter',
      `conn_hub_incompatible_total{upgrade="conn"} ${this.incompatible.conn}`,
      `conn_hub_incompatible_total{upgrade="hub"} ${this.incompatible.hub}`,
      '# HELP conn_hub_alerts_refused_total Alert posts refused, by reason (unauthenticated, bad-signature, too-large, malformed, rate-limited, …).',
      '# TYPE conn_hub_alerts_refused_total counter',
      ...Object.entries(this.alertsRefused).map(([k, v]) => `conn_hub_alerts_refused_total{reason="${k}"} ${v}`),
      '# HELP conn_hub_alerts_accepted_total Alert posts applied, by integration kind.',
      '# TYPE conn_hub_alerts_accepted_total counter',
      ...Object.entries(this.alertsAccepted).map(([k, v]) => `conn_hub_alerts_accepted_total{kind="${k}"} ${v}`),
      '# HELP conn_hub_alerts_total Alerts applied, by what each did to an incident (declared, noted, resolved, ignored).',
      '# TYPE conn_hub_alerts_total counter',
      ...Object.entries(this.alertActions).map(([k, v]) => `conn_hub_alerts_total{action="${k}"} ${v}`),
      '# HELP conn_hub_recording_bytes Bytes of shared call recordings each team keeps on the hub (counted against its quota), as this node last saw them.',
      '# TYPE conn_hub_recording_bytes gauge',
      ...Object.entries(this.recordingBytes).map(([k, v]) => `conn_hub_recording_bytes{team="${k}"} ${v}`),
      '# HELP conn_hub_recording_bytes_uploaded_total Recording bytes this node stored from uploads.',
      '# TYPE conn_hub_recording_bytes_uploaded_total counter',
      `conn_hub_recording_bytes_uploaded_total ${this.recordingBytesUploaded}`,
      '# HELP conn_hub_recordings_swept_total Shared recordings the retention sweep deleted.',
      '# TYPE conn_hub_recordings_swept_total counter',
      `conn_hub_recordings_swept_total ${this.recordingsSwept}`,
      '# HELP conn_hub_store_latency_ms Latency of store calls (commit, pull, auth) in milliseconds.',
      '# TYPE conn_hub_store_latency_ms histogram',
      ...LATENCY_BUCKETS_MS.map((b, i) => `conn_hub_store_latency_ms_bucket{le="${b}"} ${this.buckets[i]}`),
      `conn_hub_store_latency_ms_bucket{le="+Inf"} ${this.latencyCount}`,
      `conn_hub_store_latency_ms_sum ${this.latencySumMs.toFixed(3)}`,
      `conn_hub_store_latency_ms_count ${this.latencyCount}`,
      ...(this.redisUp === null
        ? []
        : [
            '# HELP conn_hub_redis_up Whether this node reaches Redis (1) or not (0): while 0, broadcasts between nodes are relayed from the store.',
            '# TYPE conn_hub_redis_up gauge',
            `conn_hub_redis_up ${this.redisUp ? 1 : 0}`,
            '# HELP conn_hub_relayed_events_total Events relayed to this node\'s sockets from the store while its Redis link was down.',
            '# TYPE conn_hub_relayed_events_total counter',
            `conn_hub_relayed_events_total ${this.relayedEvents}`,
          ]),
    ];
    return `${lines.join('\n')}\n`;
  }
}

import type { Core, Presence, SyncControl, SyncService, SyncStatus } from '../open.js';
import { startRunbookSync } from '../runbooks/share.js';
import { startProfileSync } from './teammates.js';
import { startTeamSettingsSync } from './team-settings.js';
import { startCallAttendance, type CallAttendance } from './call-attendance.js';
import { checkToken, forgetConnection, loadConnection, loadHubUrl, normaliseHubUrls, saveConnection, type HubConnection } from './connection.js';
import { SyncEngine, type SyncEngineOptions } from './engine.js';

/*
 * Owns the running sync (the event engine and the runbook puller) for a long-running host: the
 * desktop core process and `conn web`. It starts from the saved connection, and the app's
 * "Hub connection" dialog switches hubs or disconnects through it (sync.connect and
 * sync.disconnect) without a restart. Changes run one at a time, so two clicks never leave two
 * engines running. The runbook puller and presence use the engine's socket, so a running
 * cockpit holds one connection to its hub. The incident the window shows (presence.watch) is
 * kept here, so a new engine starts on it.
 */

/** Where the desktop app keeps the hub token (safeStorage, in main). It wins over the plain token file. */
export interface HubTokenKeeper {
  load(): string | null;
  save(token: string | null): void;
}

export interface SyncSupervisorOptions {
  engine?: Partial<Omit<SyncEngineOptions, 'url' | 'token'>>;
  log?: (err: unknown) => void;
  /** When given, connect() keeps the token here and never writes the plain token file. */
  tokens?: HubTokenKeeper;
  /** How long connect() waits for the hub's first answer before returning the status. */
  settleMs?: number;
}

interface Running {
  conn: HubConnection;
  engine: SyncEngine;
  runbooks: { stop(): void };
  profiles: { stop(): void };
  cadence: { stop(): void };
}

export class SyncSupervisor implements SyncControl, SyncService {
  private running: Running | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;
  private watching: string | null = null;
  /** Records this cockpit's person on the calls of the incident they are present on (call-attendance.ts). */
  private readonly attendance: CallAttendance;

  constructor(
    private readonly core: Core,
    private readonly opts: SyncSupervisorOptions = {},
  ) {
    this.attendance = startCallAttendance(core, { watching: () => this.watching, presenceOf: (id) => this.presenceOf(id) }, opts.log);
    core.onClose(async () => {
      this.attendance.stop();
      this.closed = true;
      await this.queue.catch(() => undefined);
      await this.stopRunning();
    });
  }

  readonly control: SyncControl = this;

  /** The running engine's status, or the idle one: no hub, or between engines. */
  status(): SyncStatus {
    return this.running?.engine.status() ?? { state: 'disabled', pending: this.core.events.pendingCount() };
  }

  /** The hub sync runs with now, or null. */
  get hub(): string | null {
    return this.running?.conn.url ?? null;
  }

  /** (Re)starts sync from the saved hub and the best token at hand; resolves to the hub or null. */
  restart(): Promise<string | null> {
    return this.serial(async () => {
      await this.stopRunning();
      const conn = this.saved();
      if (conn) this.run(conn);
      return this.hub;
    });
  }

  /** Saves the connection and switches to it. A bad URL or token throws before anything changes. */
  connect(input: HubConnection): Promise<SyncStatus> {
    const conn = { url: normaliseHubUrls(input.url), token: checkToken(input.token) };
    return this.serial(async () => {
      await this.stopRunning();
      saveConnection(this.core, conn, { tokenFile: !this.opts.tokens });
      this.opts.tokens?.save(conn.token);
      this.run(conn);
      return await this.settled();
    });
  }

  watch(incidentId: string | null): void {
    this.watching = incidentId;
    this.running?.engine.watchIncident(incidentId);
    this.attendance.poke();
  }

  presenceOf(incidentId: string): Presence[] {
    const engine = this.running?.engine;
    if (!engine) return [];
    const self = engine.self?.id;
    return engine.presenceOf(incidentId).map((m) => ({ memberId: m.memberId, name: m.name, you: m.memberId === self }));
  }

  hubRequest(): ((name: string, payload: unknown) => Promise<unknown>) | null {
    const engine = this.running?.engine;
    return engine?.ready ? (name, payload) => engine.request(name, payload) : null;
  }

  /** Stops syncing and forgets the hub and its token. Local entries and the outbox stay. */
  disconnect(): Promise<SyncStatus> {
    return this.serial(async () => {
      await this.stopRunning();
      forgetConnection(this.core);
      this.opts.tokens?.save(null);
      this.core.bus.emit({ type: 'sync-changed' });
      return this.status();
    });
  }

  private saved(): HubConnection | null {
    const kept = this.opts.tokens?.load() ?? null;
    if (kept) {
      const url = loadHubUrl(this.core);
      return url ? { url, token: kept } : null;
    }
    return loadConnection(this.core);
  }

  private run(conn: HubConnection): void {
    if (this.closed) return;
    const engine = new SyncEngine(this.core, { reconnect: true, ...this.opts.engine, ...conn, incidentId: this.watching });
    // Runbooks teammates publish arrive while the cockpit is open, over the engine's socket
    // (main/core/runbooks/share.ts); listening before start() so the first connection counts.
    const runbooks = startRunbookSync(this.core, engine, this.opts.log);
    // Teammates' zones and hours, and our own told to the hub, over the same socket.
    const profiles = startProfileSync(this.core, engine, this.opts.log);
    // The team's settings (update cadence, SLO), kept for the countdowns and reports offline.
    const cadence = startTeamSettingsSync(this.core, engine, this.opts.log);
    engine.start();
    this.running = { conn, engine, runbooks, profiles, cadence };
  }

  private async stopRunning(): Promise<void> {
    const r = this.running;
    this.running = null;
    if (!r) return;
    r.runbooks.stop();
    r.profiles.stop();
    r.cadence.stop();
    await r.engine.stop();
  }

  /** Waits (briefly) for the new engine's first answer from the hub, so a refusal shows at once. */
  private async settled(): Promise<SyncStatus> {
    const r = this.running;
    if (!r) return this.status();
    const ms = this.opts.settleMs ?? 5000;
    await new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        off();
        resolve();
      };
      const timer = setTimeout(done, ms);
      const off = r.engine.on('status', (s) => {
        if (s.state !== 'connecting' && !s.syncing) done();
      });
      const now = r.engine.status();
      if (now.state !== 'connecting' && !now.syncing) done();
    });
    return r.engine.status();
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.catch(() => undefined).then(fn);
    this.queue = next;
    return next;
  }
}

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openCore, type Core } from '../../main/core/open.js';
import { runbooksOf } from '../../main/core/runbooks/service.js';
import { saveConnection, type HubConnection } from '../../main/core/sync/connection.js';
import { SyncSupervisor } from '../../main/core/sync/supervisor.js';
import { createHub, type Hub } from '../../server/hub/hub.js';
import { openSqliteRunbookStore } from '../../server/runbooks/runbook-store.js';
import { openSqliteStore } from '../../server/store/sqlite.js';
import type { MemberRole } from '../../shared/sync/protocol.js';

/** A real hub on loopback (SQLite store) and two members' cockpits of team payments, each its own database. */
export interface TeamHub {
  root: string;
  hubDir: string;
  hub: Hub;
  teamId: string;
  ana: Core;
  ben: Core;
  anaConn: HubConnection;
  benConn: HubConnection;
  /** A viewer's token: reads only. */
  viewerConn: HubConnection;
  /** A plain member's token (mo), whatever role ana and ben were given. */
  memberConn: HubConnection;
}

export async function startHub(hubDir: string, port = 0): Promise<Hub> {
  return createHub({ store: openSqliteStore(hubDir), runbooks: openSqliteRunbookStore(hubDir), port, revocationCheckMs: 60_000 });
}

/** `role` is ana's and ben's; break-glass tests need admins, who alone may publish the pack. */
export async function openTeamHub(prefix: string, role: MemberRole = 'member'): Promise<TeamHub> {
  const root = mkdtempSync(path.join(os.tmpdir(), prefix));
  const hubDir = path.join(root, 'hub');
  const hub = await startHub(hubDir);
  const store = openSqliteStore(hubDir);
  const [a, b, v, m] = [
    await store.invite('payments', 'ana', role),
    await store.invite('payments', 'ben', role),
    await store.invite('payments', 'val', 'viewer'),
    await store.invite('payments', 'mo', 'member'),
  ];
  const teamId = (await store.authenticate(a.token))?.teamId ?? '';
  await store.close();
  const ana = openCore({ dataDir: path.join(root, 'ana') });
  const ben = openCore({ dataDir: path.join(root, 'ben') });
  runbooksOf(ana, { seedDir: null });
  runbooksOf(ben, { seedDir: null });
  return {
    root,
    hubDir,
    hub,
    teamId,
    ana,
    ben,
    anaConn: { url: hub.url, token: a.token },
    benConn: { url: hub.url, token: b.token },
    viewerConn: { url: hub.url, token: v.token },
    memberConn: { url: hub.url, token: m.token },
  };
}

export async function closeTeamHub(t: Pick<TeamHub, 'root' | 'hub' | 'ana' | 'ben'>): Promise<void> {
  await t.hub.close();
  await t.ana.close();
  await t.ben.close();
  rmSync(t.root, { recursive: true, force: true });
}

/**
 * Runs sync for `core` the way a long-running cockpit does (the desktop core process, `conn
 * web`): the saved connection, a SyncSupervisor, its engine and the runbook puller on the
 * engine's socket. Everything stops when the core closes.
 */
export async function runAsCockpit(core: Core, conn: HubConnection, log?: (err: unknown) => void): Promise<SyncSupervisor> {
  saveConnection(core, conn);
  const sup = new SyncSupervisor(core, { engine: { reconnectDelayMs: 50, reconnectDelayMaxMs: 400 }, ...(log ? { log } : {}) });
  await sup.restart();
  return sup;
}

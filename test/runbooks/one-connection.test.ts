import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Core } from '../../main/core/open.js';
import { runbooksOf } from '../../main/core/runbooks/service.js';
import { publishRunbook, pullRunbooks } from '../../main/core/runbooks/share.js';
import type { HubConnection } from '../../main/core/sync/connection.js';
import { SyncEngine } from '../../main/core/sync/engine.js';
import type { Hub } from '../../server/hub/hub.js';
import { until } from '../sync/sync-fixture.js';
import { runbookText } from './fixtures.js';
import { closeTeamHub, openTeamHub, runAsCockpit, startHub } from './team-hub.js';

/*
 * One connection per cockpit: a running cockpit's event sync, runbook sharing and presence all
 * use the sync engine's socket. Counted on a real hub on loopback, by the sockets it holds.
 */

let root: string;
let hubDir: string;
let hub: Hub;
let ana: Core;
let ben: Core;
let anaConn: HubConnection;
let benConn: HubConnection;

beforeEach(async () => {
  ({ root, hubDir, hub, ana, ben, anaConn, benConn } = await openTeamHub('conn-one-conn-'));
  ben.profile.set({ name: 'ben' }); // the hub accepts only events signed with the invite name
});
afterEach(() => closeTeamHub({ root, hub, ana, ben }));

/** The sockets the hub holds for one member's token. */
function socketsOf(name: string): number {
  return [...hub.io.of('/').sockets.values()].filter((s) => (s.data as { member: { name: string } }).member.name === name).length;
}

const v1 = runbookText({ title: 'Queue backlog', services: '[kafka]' }, '- [ ] check consumer lag\n');

describe('one connection per cockpit', () => {
  it('holds exactly one socket to the hub while it syncs events, pulls runbooks and shows presence', async () => {
    // Sampled all along, so a second socket that lived for one pull would be caught too.
    let most = 0;
    const sample = setInterval(() => (most = Math.max(most, socketsOf('ben'))), 2);
    try {
      const sup = await runAsCockpit(ben, benConn);
      await until(() => sup.status(), (s) => s.state === 'online');

      // Timeline sync: a local incident reaches the hub.
      const { id } = ben.incidents.declare({ title: 'Queue backlog on payments', severity: 2 });
      await until(() => sup.status(), (s) => s.state === 'online' && s.pending === 0);

      // Presence: the hub sees ben on the incident, and ben's cockpit hears it.
      sup.watch(id);
      await until(() => sup.presenceOf(id), (p) => p.length === 1);
      expect(sup.presenceOf(id)).toEqual([{ memberId: expect.any(String) as unknown, name: 'ben', you: true }]);

      // Runbooks: a teammate's publish is announced and pulled over the same socket.
      const pullsBefore = hub.metrics.requests['runbook.pull'] ?? 0;
      runbooksOf(ana).put('queue-backlog', v1, 'ana');
      await publishRunbook(ana, 'queue-backlog', anaConn); // ana's one-shot command: her own short connection
      await until(() => runbooksOf(ben).count(), (n) => n === 1);
      expect(hub.metrics.requests['runbook.pull'] ?? 0).toBeGreaterThan(pullsBefore);

      expect(most).toBe(1);
      expect(socketsOf('ben')).toBe(1);
      // Ana's command closed its socket when it finished: the hub holds ben's alone.
      await until(() => hub.io.engine.clientsCount, (n) => n === 1);
      expect(hub.metrics.connections).toBe(1);
    } finally {
      clearInterval(sample);
    }
  });

  it('publishes and pulls over a running engine, and says "unavailable" while it has no connection', async () => {
    const engine = new SyncEngine(ben, { ...benConn, reconnectDelayMs: 50 });
    await expect(pullRunbooks(ben, engine)).rejects.toMatchObject({ code: 'unavailable', message: expect.stringMatching(/not connected to the hub .*the local library still works/) as unknown });

    const ready = new Promise<void>((resolve) => engine.on('ready', resolve));
    engine.start(); // stopped by ben.close()
    await ready;
    runbooksOf(ben).put('queue-backlog', v1, 'ben');
    expect(await publishRunbook(ben, 'queue-backlog', engine)).toMatchObject({ name: 'queue-backlog', seq: 1, version: 1 });
    expect(await pullRunbooks(ana, anaConn)).toMatchObject({ added: ['queue-backlog'] });
    expect(socketsOf('ben')).toBe(1);

    // The engine's own messages stay its own: nothing else may push past the outbox.
    await expect(engine.request('push', { events: [] })).rejects.toMatchObject({ code: 'internal' });

    await hub.close();
    await until(() => engine.ready, (r) => !r);
    await expect(publishRunbook(ben, 'queue-backlog', engine)).rejects.toMatchObject({ code: 'unavailable' });
    hub = await startHub(hubDir); // afterEach closes it
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultSettings } from '../../server/alerts/integration.js';
import type { Hub } from '../../server/hub/hub.js';
import type { HubStore } from '../../server/store/store.js';
import { onlineTeam, until } from '../sync/sync-fixture.js';
import { twoPostgresNodes, type TwoNodes } from './postgres-nodes.js';

/*
 * The dedupe of alerts must hold across hub nodes: two nodes over one Postgres (and Redis for
 * broadcasts), the same new alert posted ten times at once, half to each node. The team row's
 * lock serialises the posts, so exactly one declares and the rest add notes, and a cockpit on
 * each node sees that one incident.
 */

let nodes: TwoNodes;
let nodeA: Hub;
let nodeB: Hub;
let store: HubStore;
let token: string;
let cockpits: Awaited<ReturnType<typeof onlineTeam>>;

beforeAll(async () => {
  nodes = await twoPostgresNodes('conn-hub-alerts');
  ({ nodeA, nodeB, storeA: store } = nodes);
  const anaToken = (await nodes.storeA.invite('payments', 'Ana', 'admin')).token;
  const boToken = (await nodes.storeB.invite('payments', 'Bo', 'member')).token;
  token = (await store.addIntegration('payments', 'prod-am', 'alertmanager', defaultSettings('alertmanager'))).token;
  cockpits = await onlineTeam([
    { name: 'Ana', url: () => nodeA.url, token: anaToken },
    { name: 'Bo', url: () => nodeB.url, token: boToken },
  ]);
});

afterAll(async () => {
  await cockpits?.close();
  await nodes?.dispose();
});

const webhook = (fingerprint: string) => ({
  version: '4',
  status: 'firing',
  receiver: 'conn',
  groupKey: '{}:{alertname="DiskFull"}',
  alerts: [{ status: 'firing', labels: { alertname: 'DiskFull', severity: 'critical', service: 'ledger' }, annotations: { summary: 'ledger disk at 97%' }, startsAt: new Date().toISOString(), fingerprint }],
});

async function post(node: Hub, body: unknown) {
  const res = await fetch(`${node.url}/alerts/alertmanager`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(res.status).toBe(202);
  return ((await res.json()) as { incidents: Array<{ action: string; incidentId: string }> }).incidents[0]!;
}

describe('alerts on two hub nodes over Postgres', () => {
  it('declares once when the same alert is posted ten times at once to both nodes', async () => {
    const outcomes = await Promise.all(Array.from({ length: 10 }, (_, i) => post(i % 2 ? nodeB : nodeA, webhook('pg-fp-1'))));
    expect(outcomes.filter((o) => o.action === 'declared')).toHaveLength(1);
    expect(outcomes.filter((o) => o.action === 'noted')).toHaveLength(9);
    const ids = new Set(outcomes.map((o) => o.incidentId));
    expect(ids.size).toBe(1);
    const id = [...ids][0]!;
    for (const t of cockpits.team) {
      await until(() => t.core.timeline({ incidentId: id, limit: 100 }).items.filter((i) => i.kind === 'note').length, (n) => n === 9);
      expect(t.core.events.stateOf(id)).toMatchObject({ severity: 1, services: ['ledger'], declaredBy: 'integration:prod-am' });
      expect(t.core.incidents.list().filter((i) => i.title.startsWith('DiskFull'))).toHaveLength(1);
    }
    // Seqs stayed dense through the storm.
    const { events, head } = await store.pull((await store.authenticate((await store.invite('payments', 'Probe', 'viewer')).token))!.teamId, 0, 500);
    expect(events.map((e) => e.seq)).toEqual(Array.from({ length: head }, (_, i) => i + 1));
  });
});

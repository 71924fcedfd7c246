import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCore, type Core } from '../../main/core/open.js';
import { runbooksOf } from '../../main/core/runbooks/service.js';
import { publishRunbook, pullRunbooks } from '../../main/core/runbooks/share.js';
import type { HubConnection } from '../../main/core/sync/connection.js';
import type { Hub } from '../../server/hub/hub.js';
import { runbookText } from './fixtures.js';
import { closeTeamHub, openTeamHub, runAsCockpit, startHub } from './team-hub.js';

/** A real hub on loopback (SQLite store) and two cockpits of the same team, each its own database. */
let root: string;
let hubDir: string;
let hub: Hub;
let ana: Core;
let ben: Core;
let anaConn: HubConnection;
let benConn: HubConnection;
let viewerConn: HubConnection;

beforeEach(async () => {
  ({ root, hubDir, hub, ana, ben, anaConn, benConn, viewerConn } = await openTeamHub('conn-rb-share-'));
});
afterEach(() => closeTeamHub({ root, hub, ana, ben }));

const v1 = runbookText({ title: 'Queue backlog', services: '[kafka]' }, '- [ ] check consumer lag\n');
const v2 = runbookText({ title: 'Queue backlog', services: '[kafka]' }, '- [ ] check consumer lag\n- [ ] look for a poison message\n');

describe('runbook sharing through the hub', () => {
  it('publishes a version that a teammate pulls, and a second version keeps the first readable', async () => {
    runbooksOf(ana).put('queue-backlog', v1, 'ana');
    expect(await publishRunbook(ana, 'queue-backlog', anaConn)).toMatchObject({ seq: 1, version: 1 });
    const first = await pullRunbooks(ben, benConn);
    expect(first).toMatchObject({ added: ['queue-backlog'], cursor: 1 });
    expect(runbooksOf(ben).search('consumer').map((h) => h.name)).toEqual(['queue-backlog']);

    runbooksOf(ana).put('queue-backlog', v2, 'ana');
    expect(await publishRunbook(ana, 'queue-backlog', anaConn)).toMatchObject({ seq: 2, version: 2 });
    expect(await pullRunbooks(ben, benConn)).toMatchObject({ updated: ['queue-backlog'], cursor: 2 });
    const lib = runbooksOf(ben);
    expect(lib.get('queue-backlog').content).toBe(v2);
    expect(lib.get('queue-backlog', 1).content).toBe(v1);
    expect(lib.get('queue-backlog').author).toBe('ana');

    // Nothing new: the cursor makes a second pull a no-op.
    expect(await pullRunbooks(ben, benConn)).toMatchObject({ added: [], updated: [], cursor: 2 });
  });

  it('refuses a publish based on an older version with a conflict naming who published since', async () => {
    runbooksOf(ana).put('queue-backlog', v1, 'ana');
    await publishRunbook(ana, 'queue-backlog', anaConn);
    await pullRunbooks(ben, benConn);
    runbooksOf(ana).put('queue-backlog', v2, 'ana');
    await publishRunbook(ana, 'queue-backlog', anaConn);
    runbooksOf(ben).put('queue-backlog', `${v1}\n- [ ] ben's step\n`, 'ben');
    await expect(publishRunbook(ben, 'queue-backlog', benConn)).rejects.toThrow(/ana published "queue-backlog" version 2 since your copy was pulled/);
    // After pulling, ben's edit is an older local version and the team's v2 is the head.
    await pullRunbooks(ben, benConn);
    expect(runbooksOf(ben).get('queue-backlog').content).toBe(v2);
  });

  it('answers a repeated publish of the same text with the same version', async () => {
    runbooksOf(ana).put('queue-backlog', v1, 'ana');
    const a = await publishRunbook(ana, 'queue-backlog', anaConn);
    expect(await publishRunbook(ana, 'queue-backlog', anaConn)).toMatchObject({ seq: a.seq, version: a.version });
  });

  it('refuses a viewer\'s publish', async () => {
    const val = openCore({ dataDir: path.join(root, 'val') });
    runbooksOf(val, { seedDir: null }).put('queue-backlog', v1, 'val');
    await expect(publishRunbook(val, 'queue-backlog', viewerConn)).rejects.toThrow(/viewer/);
    await val.close();
  });

  it('keeps everything readable and searchable with the hub down, and says so when asked to pull', async () => {
    runbooksOf(ana).put('queue-backlog', v1, 'ana');
    await publishRunbook(ana, 'queue-backlog', anaConn);
    await pullRunbooks(ben, benConn);
    await hub.close();
    expect(runbooksOf(ben).search('lag').map((h) => h.name)).toEqual(['queue-backlog']);
    expect(runbooksOf(ben).get('queue-backlog', 1).steps).toHaveLength(1);
    await expect(pullRunbooks(ben, benConn)).rejects.toThrow(/cannot reach the hub .* the local library still works/);
    hub = await startHub(hubDir); // afterEach closes it
  });
});

describe('background runbook sync', () => {
  it('pulls a teammate\'s publish as soon as the hub announces it', async () => {
    await runAsCockpit(ben, benConn); // stopped by ben.close()
    runbooksOf(ana).put('queue-backlog', v1, 'ana');
    await publishRunbook(ana, 'queue-backlog', anaConn);
    const deadline = Date.now() + 10_000;
    while (runbooksOf(ben).count() === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(runbooksOf(ben).get('queue-backlog').content).toBe(v1);
  });
});

import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { io } from 'socket.io-client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { run } from '../../cli/program.js';
import type { CoreNotification } from '../../shared/api/contract.js';
import { BREAKGLASS_PACK_NAME, breakGlassToYaml, type BreakGlassPack } from '../../shared/runbooks/breakglass.js';
import { RUNBOOK_HUB_EVENTS } from '../../shared/runbooks/hub-protocol.js';
import { HUB_PROTOCOL_VERSION } from '../../shared/sync/protocol.js';
import { openCore, type Core } from '../../main/core/open.js';
import { BreakGlassStore } from '../../main/core/runbooks/breakglass-store.js';
import { importDirectory } from '../../main/core/runbooks/import-export.js';
import { runbooksOf } from '../../main/core/runbooks/service.js';
import { publishBreakGlass, publishRunbook, pullRunbooks } from '../../main/core/runbooks/share.js';
import type { HubConnection } from '../../main/core/sync/connection.js';
import { openSqliteRunbookStore } from '../../server/runbooks/runbook-store.js';
import type { Hub } from '../../server/hub/hub.js';
import { runbookText } from './fixtures.js';
import { closeTeamHub, openTeamHub, runAsCockpit, startHub } from './team-hub.js';

/** A real hub on loopback (SQLite store) and two cockpits of the same team, each its own database. */
let root: string;
let hubDir: string;
let hub: Hub;
let teamId: string;
let ana: Core;
let ben: Core;
let anaConn: HubConnection;
let benConn: HubConnection;
let viewerConn: HubConnection;
let memberConn: HubConnection;

/** ana and ben are admins: only admins may publish the pack. mo is a plain member. */
beforeEach(async () => {
  ({ root, hubDir, hub, teamId, ana, ben, anaConn, benConn, viewerConn, memberConn } = await openTeamHub('conn-bg-share-', 'admin'));
});
afterEach(() => closeTeamHub({ root, hub, ana, ben }));

const packOf = (bridge: string): BreakGlassPack => ({
  team: 'payments',
  escalation: [{ name: 'Dana Reyes', role: 'payments on-call lead', phone: '+1 555 0100' }],
  bridges: [{ name: bridge, dialIn: '+1 555 0199', pin: '4242', url: 'https://meet.example.com/payments' }],
  statusPage: { url: 'https://status.example.com', instructions: 'Log in with the shared account in the vault.', templates: [] },
});
const v1 = packOf('Primary incident bridge');
const v2 = packOf('Backup bridge');
const packs = (core: Core) => new BreakGlassStore(core.db);

/** Sends a raw 'runbook.publish' over the hub protocol, as any client could. */
async function rawPublish(conn: HubConnection, name: string, content: string, baseSeq: number | null = null): Promise<unknown> {
  const socket = io(conn.url, { auth: { token: conn.token, protocol: HUB_PROTOCOL_VERSION }, transports: ['websocket'], reconnection: false });
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
    return await socket.timeout(5000).emitWithAck(RUNBOOK_HUB_EVENTS.publish, { name, content, baseSeq });
  } finally {
    socket.disconnect();
  }
}

describe('sharing the break-glass pack through the hub', () => {
  it('publishes the pack as a team version that a teammate pulls as their pack, not as a runbook', async () => {
    packs(ana).set(v1, 'ana');
    expect(await publishBreakGlass(ana, anaConn)).toMatchObject({ seq: 1, version: 1 });
    const pulled = await pullRunbooks(ben, benConn);
    expect(pulled).toMatchObject({ added: [], skipped: [], breakglass: { outcome: 'updated', version: 1, author: 'ana', setAside: false }, cursor: 1 });
    expect(packs(ben).get()).toMatchObject({ pack: v1, author: 'ana', hubSeq: 1, unpublished: false });
    expect(runbooksOf(ben).count()).toBe(0);
    expect(runbooksOf(ben).search('bridge')).toEqual([]);
  });

  it("changes nothing when the publisher pulls their own version", async () => {
    packs(ana).set(v1, 'ana');
    await publishBreakGlass(ana, anaConn);
    expect(await pullRunbooks(ana, anaConn)).toMatchObject({ breakglass: { outcome: 'unchanged', setAside: false } });
    expect(packs(ana).get()).toMatchObject({ pack: v1, hubSeq: 1, unpublished: false });
  });

  it('brings a second publish to a teammate who pulled the first, and keeps the first on the hub', async () => {
    packs(ana).set(v1, 'ana');
    await publishBreakGlass(ana, anaConn);
    await pullRunbooks(ben, benConn);
    packs(ana).set(v2, 'ana');
    expect(await publishBreakGlass(ana, anaConn)).toMatchObject({ seq: 2, version: 2 });
    expect(await pullRunbooks(ben, benConn)).toMatchObject({ breakglass: { outcome: 'updated', version: 2 }, cursor: 2 });
    expect(packs(ben).get()?.pack).toEqual(v2);

    const onHub = openSqliteRunbookStore(hubDir);
    const kept = (await onHub.pull(teamId, 0, 10)).runbooks;
    await onHub.close();
    expect(kept.map((r) => [r.name, r.version])).toEqual([[BREAKGLASS_PACK_NAME, 1], [BREAKGLASS_PACK_NAME, 2]]);
    expect(kept[0]?.content).toBe(breakGlassToYaml(v1));
  });

  it('lets a teammate publish on top of a pulled pack', async () => {
    packs(ana).set(v1, 'ana');
    await publishBreakGlass(ana, anaConn);
    await pullRunbooks(ben, benConn);
    packs(ben).set(v2, 'ben');
    expect(packs(ben).get()).toMatchObject({ hubSeq: 1, unpublished: true });
    expect(await publishBreakGlass(ben, benConn)).toMatchObject({ seq: 2, version: 2 });
    expect(packs(ben).get()).toMatchObject({ hubSeq: 2, unpublished: false });
  });

  it('refuses a publish based on an older team version, naming who published, and leaves the local pack as it was', async () => {
    packs(ana).set(v1, 'ana');
    await publishBreakGlass(ana, anaConn);
    await pullRunbooks(ben, benConn);
    packs(ana).set(v2, 'ana');
    await publishBreakGlass(ana, anaConn);
    const bens = packOf("Ben's bridge");
    packs(ben).set(bens, 'ben');
    await expect(publishBreakGlass(ben, benConn)).rejects.toThrow(/ana published the break-glass pack \(team version 2\) since your copy was pulled: run `conn runbook pull`/);
    expect(packs(ben).get()).toMatchObject({ pack: bens, author: 'ben', hubSeq: 1, unpublished: true });
  });

  it('keeps an unpublished local edit aside when a pull brings a newer team version', async () => {
    packs(ana).set(v1, 'ana');
    await publishBreakGlass(ana, anaConn);
    const bens = packOf("Ben's bridge");
    packs(ben).set(bens, 'ben');
    expect(await pullRunbooks(ben, benConn)).toMatchObject({ breakglass: { outcome: 'updated', setAside: true } });
    expect(packs(ben).get()?.pack).toEqual(v1);
    expect(packs(ben).setAside()).toMatchObject({ pack: bens, author: 'ben' });
  });

  it("refuses a viewer's publish of the pack", async () => {
    const val = openCore({ dataDir: path.join(root, 'val') });
    packs(val).set(v1, 'val');
    await expect(publishBreakGlass(val, viewerConn)).rejects.toThrow(/val is a viewer .* cannot publish/);
    expect(await rawPublish(viewerConn, BREAKGLASS_PACK_NAME, breakGlassToYaml(v1))).toMatchObject({ error: { code: 'forbidden' } });
    await val.close();
  });

  it("refuses a member's publish of the pack with 'forbidden', saying an admin must publish it, and leaves their local pack as it was", async () => {
    const mo = openCore({ dataDir: path.join(root, 'mo') });
    try {
      packs(mo).set(v1, 'mo');
      const before = packs(mo).get();
      await expect(publishBreakGlass(mo, memberConn)).rejects.toMatchObject({
        code: 'forbidden',
        message: 'only a team admin may publish the break-glass pack, and mo is a member in team "payments": ask an admin to publish it',
      });
      expect(packs(mo).get()).toEqual(before);
      expect(before).toMatchObject({ hubSeq: null, unpublished: true });
    } finally {
      await mo.close();
    }
    const onHub = openSqliteRunbookStore(hubDir);
    expect((await onHub.pull(teamId, 0, 10)).runbooks).toEqual([]);
    await onHub.close();
  });

  it("refuses a member's raw publish under the pack name, even on top of the team's version", async () => {
    packs(ana).set(v1, 'ana');
    const { seq } = await publishBreakGlass(ana, anaConn);
    const ack = await rawPublish(memberConn, BREAKGLASS_PACK_NAME, breakGlassToYaml(v2), seq);
    expect(ack).toMatchObject({ error: { code: 'forbidden', message: expect.stringMatching(/ask an admin to publish it$/) as unknown } });
    expect(await pullRunbooks(ben, benConn)).toMatchObject({ breakglass: { version: 1, author: 'ana' }, cursor: 1 });
  });

  it('still lets a member publish an ordinary runbook', async () => {
    expect(await rawPublish(memberConn, 'queue-backlog', runbookText({ title: 'Queue backlog' }, '- [ ] check consumer lag\n'))).toMatchObject({ seq: 1, version: 1 });
  });

  it('refuses a raw publish under the pack name that is not a valid pack', async () => {
    const ack = await rawPublish(anaConn, BREAKGLASS_PACK_NAME, 'escalation: [unclosed\n');
    expect(ack).toMatchObject({ error: { code: 'invalid-input', message: expect.stringMatching(/break-glass pack is not valid YAML/) as unknown } });
    expect(await rawPublish(anaConn, BREAKGLASS_PACK_NAME, 'bridges:\n  - dialIn: "no name"\n')).toMatchObject({ error: { code: 'invalid-input' } });
  });

  it('skips an invalid pack stored on the hub with its reason and pulls the rest', async () => {
    // What a hub from before the pack check could hold: written straight into its runbook table.
    const onHub = openSqliteRunbookStore(hubDir);
    await onHub.publish({ teamId, author: 'ana', name: BREAKGLASS_PACK_NAME, content: 'escalation: [unclosed\n', baseSeq: null });
    await onHub.close();
    runbooksOf(ana).put('queue-backlog', runbookText({ title: 'Queue backlog' }, '- [ ] check consumer lag\n'), 'ana');
    await publishRunbook(ana, 'queue-backlog', anaConn);

    const pulled = await pullRunbooks(ben, benConn);
    expect(pulled.skipped).toEqual([{ name: BREAKGLASS_PACK_NAME, reason: expect.stringMatching(/^the break-glass pack is not valid YAML/) as unknown }]);
    expect(pulled).toMatchObject({ added: ['queue-backlog'], cursor: 2 });
    expect(pulled.breakglass).toBeUndefined();
    expect(packs(ben).get()).toBeNull();
  });

  it('keeps the pulled pack readable with the hub down', async () => {
    packs(ana).set(v1, 'ana');
    await publishBreakGlass(ana, anaConn);
    await pullRunbooks(ben, benConn);
    await hub.close();
    expect(packs(ben).get()?.pack).toEqual(v1);
    await expect(publishBreakGlass(ben, benConn)).rejects.toThrow(/cannot reach the hub/);
    hub = await startHub(hubDir); // afterEach closes it
  });

  it('brings a teammate\'s pack in the background and tells the window', async () => {
    const notes: CoreNotification[] = [];
    ben.bus.on((n) => notes.push(n));
    await runAsCockpit(ben, benConn); // stopped by ben.close()
    packs(ana).set(v1, 'ana');
    await publishBreakGlass(ana, anaConn);
    const deadline = Date.now() + 10_000;
    while (packs(ben).get() === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(packs(ben).get()?.pack).toEqual(v1);
    expect(notes).toContainEqual({ type: 'runbooks-changed' });
  });
});

describe('background pull of an unreadable pack', () => {
  it('logs why it skipped the pack', async () => {
    const onHub = openSqliteRunbookStore(hubDir);
    await onHub.publish({ teamId, author: 'ana', name: BREAKGLASS_PACK_NAME, content: 'bridges: [unclosed\n', baseSeq: null });
    await onHub.close();
    const logged: unknown[] = [];
    await runAsCockpit(ben, benConn, (err) => logged.push(err)); // stopped by ben.close()
    const deadline = Date.now() + 10_000;
    while (logged.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(String(logged[0])).toMatch(/skipped the published "breakglass-pack": the break-glass pack is not valid YAML/);
  });
});

describe('the reserved runbook name', () => {
  it('refuses a local runbook named like the pack, on import and on put', () => {
    const dir = path.join(root, 'repo');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'breakglass-pack.md'), '# Not a pack\n');
    writeFileSync(path.join(dir, 'queue-backlog.md'), '# Queue backlog\n');
    const report = importDirectory(runbooksOf(ana), dir, { author: 'ana' });
    expect(report.rejected).toEqual([{ file: 'breakglass-pack.md', reason: expect.stringMatching(/reserved for the break-glass pack/) as unknown }]);
    expect(report.added.map((a) => a.name)).toEqual(['queue-backlog']);
    expect(() => runbooksOf(ana).put(BREAKGLASS_PACK_NAME, '# x\n', 'ana')).toThrow(/"breakglass-pack" is reserved for the break-glass pack/);
  });
});

describe('conn breakglass publish and conn runbook pull', () => {
  /** Runs the real CLI against a data dir, capturing what it prints. */
  async function conn(dataDir: string, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = '';
    let err = '';
    const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
    const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
    try {
      return { code: await run(['--data-dir', dataDir, ...args]), out, err };
    } finally {
      o.mockRestore();
      e.mockRestore();
    }
  }

  it('exits 5 when a member publishes the pack, printing why, and keeps their pack unpublished', async () => {
    const dir = path.join(root, 'cli-mo');
    const file = path.join(root, 'mo-pack.yaml');
    writeFileSync(file, breakGlassToYaml(v1));
    expect((await conn(dir, 'breakglass', 'import', file)).code).toBe(0);
    expect((await conn(dir, 'connect', memberConn.url, '--token', memberConn.token)).code).toBe(0);
    expect(await conn(dir, 'breakglass', 'publish')).toEqual({
      code: 5,
      out: '',
      err: 'conn: only a team admin may publish the break-glass pack, and mo is a member in team "payments": ask an admin to publish it\n',
    });
    const mo = openCore({ dataDir: dir });
    expect(packs(mo).get()).toMatchObject({ pack: v1, hubSeq: null, unpublished: true });
    await mo.close();
  });

  it("publishes from one teammate's terminal and shows the pack in the other's after a pull", async () => {
    const empty = path.join(root, 'empty');
    mkdirSync(empty);
    process.env['CONN_RUNBOOK_SEED_DIR'] = empty;
    try {
      const [a, b] = [path.join(root, 'cli-ana'), path.join(root, 'cli-ben')];
      const file = path.join(root, 'pack.yaml');
      writeFileSync(file, breakGlassToYaml(v1));
      expect((await conn(a, 'breakglass', 'import', file)).code).toBe(0);
      expect((await conn(a, 'connect', anaConn.url, '--token', anaConn.token)).code).toBe(0);
      expect(await conn(a, 'breakglass', 'publish')).toMatchObject({ code: 0, out: expect.stringContaining('published the break-glass pack as team version 1') as unknown });

      expect((await conn(b, 'connect', benConn.url, '--token', benConn.token)).code).toBe(0);
      expect(await conn(b, 'runbook', 'pull')).toMatchObject({ code: 0, out: expect.stringContaining('break-glass pack: team version 1 by ana') as unknown });
      expect(await conn(b, 'breakglass', 'show')).toMatchObject({ code: 0, out: expect.stringContaining('Primary incident bridge  dial +1 555 0199') as unknown });
    } finally {
      delete process.env['CONN_RUNBOOK_SEED_DIR'];
    }
  });
});

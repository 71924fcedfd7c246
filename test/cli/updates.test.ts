import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkChannel } from '../../server/updates/channel-config.js';
import { startHub, type HubFixture } from '../hub/hub-fixture.js';
import { startReceiver, type Receiver } from '../hub/update-receiver.js';
import { buildBin, conn, connAsync, ok } from '../sync/conn-bin.js';

/*
 * Stakeholder updates from the terminal, through the real bin: a draft to edit, an update
 * written while the hub is down that the hub delivers once the cockpit syncs, and what became of
 * it in `conn deliveries` and `conn show`.
 */

const work = mkdtempSync(path.join(tmpdir(), 'conn-updates-'));
const dir = path.join(work, 'ana');
let fx: HubFixture;
let rx: Receiver;
let ref: string;

beforeAll(async () => {
  buildBin();
  rx = await startReceiver();
  fx = await startHub({ delivery: { timeoutMs: 1000, pollMs: 50, backoff: { baseMs: 50 } } });
  const token = await fx.invite('payments', 'Ana', 'admin');
  await fx.store.deliveries.addChannel('payments', checkChannel({ name: 'hook', kind: 'webhook', url: rx.url, secret: 'sixteen-chars-or-more' }));
  ok(dir, ['profile', '--name', 'Ana', '--tz', 'UTC']);
  ref = ok(dir, ['declare', 'Checkout returns 502', '--sev', '1', '--service', 'checkout', '--summary', 'Checkouts fail for 40% of customers']).trim();
  // Saved without checking: the cockpit is offline from the hub until `conn sync`.
  ok(dir, ['connect', fx.hub.url, '--token', token, '--offline']);
}, 120_000);

afterAll(async () => {
  await fx.dispose();
  await rx.close();
  rmSync(work, { recursive: true, force: true });
});

describe('conn update', () => {
  it('prints a draft for the audience and posts nothing', () => {
    const draft = ok(dir, ['update', ref, '--draft', '--audience', 'customers']);
    expect(draft).toContain('We are seeing problems with checkout.');
    expect(draft).toContain('Checkouts fail for 40% of customers');
    expect(draft).toMatch(/We will post another update by \d\d:\d\d UTC\./);
    const internal = JSON.parse(ok(dir, ['--json', 'update', ref, '--draft'])) as { text: string; audience: string; nextUpdateDueAt: string };
    expect(internal.audience).toBe('internal');
    expect(internal.text.split('\n')[0]).toBe(`SEV1 ${ref}: Checkout returns 502`);
    expect(Date.parse(internal.nextUpdateDueAt) - Date.now()).toBeGreaterThan(19 * 60_000);
    expect((JSON.parse(ok(dir, ['--json', 'show', ref])) as { updatesPosted: number }).updatesPosted).toBe(0);
  });

  it('refuses a draft with text, and an unknown audience, changing nothing', () => {
    const withText = conn(dir, ['update', ref, '--draft', 'hello']);
    expect(withText.code).toBe(1);
    expect(withText.stderr).toMatch(/--draft prints a draft and posts nothing/);
    expect(conn(dir, ['update', ref, 'hi', '--audience', 'martians']).code).not.toBe(0);
    expect((JSON.parse(ok(dir, ['--json', 'show', ref])) as { updatesPosted: number }).updatesPosted).toBe(0);
  });

  it('delivers an update written offline once the cockpit syncs, and show says so', async () => {
    ok(dir, ['update', ref, 'Rolled back 4.2.1; error rate is falling', '--audience', 'customers']);
    // Written, not yet at the hub: nothing has gone out.
    await new Promise((r) => setTimeout(r, 300));
    expect(rx.requests).toHaveLength(0);
    const show = ok(dir, ['show', ref]);
    expect(show).toMatch(/next update due .* \(in (19|20)m\)/);
    // The hub runs in this process: commands that talk to it must not block it (spawnSync would).
    const okAsync = async (args: string[]) => {
      const r = await connAsync(dir, args);
      if (r.code !== 0) throw new Error(`conn ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
      return r.stdout;
    };
    await okAsync(['sync']);
    await rx.waitFor(1);
    expect(JSON.parse(rx.requests[0]!.body)).toMatchObject({ incident: { ref, title: 'Checkout returns 502', severity: 'SEV1' }, update: { text: 'Rolled back 4.2.1; error rate is falling', audience: 'customers', author: 'Ana' } });
    let text = '';
    for (let i = 0; i < 50 && !text.includes('hook: delivered'); i++) {
      text = await okAsync(['deliveries', ref]);
      if (!text.includes('hook: delivered')) await new Promise((r) => setTimeout(r, 100));
    }
    expect(text).toMatch(/^Deliveries:\n {2}\[[0-9a-f-]{36}\] {2}hook: delivered$/m);
    const shown = await okAsync(['show', ref]);
    expect(shown).toContain('hook: delivered');
    expect(shown).not.toContain('overdue');
    const asJson = JSON.parse(await okAsync(['--json', 'show', ref])) as { deliveries: { source: string; deliveries: Array<{ state: string }> } };
    expect(asJson.deliveries.source).toBe('hub');
    expect(asJson.deliveries.deliveries.map((d) => d.state)).toEqual(['delivered']);
  }, 60_000);

  it('shows the state the hub last gave, and when, while the hub does not answer', () => {
    // spawnSync blocks this process, which serves the hub: to the command, the hub does not answer.
    const text = ok(dir, ['deliveries', ref]);
    expect(text).toMatch(/^Deliveries, as the hub last said at \d{4}-\d\d-\d\dT[\d:.]+Z \(not now: cannot reach the hub at .+\):\n {2}\[[0-9a-f-]+\] {2}hook: delivered\n$/);
    const asJson = JSON.parse(ok(dir, ['--json', 'deliveries', ref])) as { source: string; asOf: string; deliveries: Array<{ state: string }> };
    expect([asJson.source, asJson.deliveries.map((d) => d.state)]).toEqual(['last-known', ['delivered']]);
  }, 60_000);

  it('says where delivery state lives when the hub cannot be reached (exit 4)', async () => {
    const other = path.join(work, 'bo');
    ok(other, ['profile', '--name', 'Bo']);
    const r = ok(other, ['declare', 'Search slow', '--sev', '2']).trim();
    ok(other, ['update', r, 'Looking into it']);
    expect(ok(other, ['show', r])).toContain('Deliveries: not known here (this cockpit is not connected to a hub');
    ok(other, ['connect', 'http://127.0.0.1:9', '--token', 'conn_x.y', '--offline']);
    const d = conn(other, ['deliveries', r]);
    expect(d.code).toBe(4);
    expect(d.stderr).toMatch(/delivery state is kept on the hub, and cannot reach the hub at http:\/\/127\.0\.0\.1:9/);
  }, 60_000);
});

import { execFile } from 'node:child_process';
import http from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnEvent } from '../../shared/domain/events.js';
import type { IncidentState } from '../../shared/domain/fold.js';
import { newId } from '../../shared/domain/ids.js';
import type { PushAck } from '../../shared/sync/protocol.js';
import { defaultSettings } from '../../server/alerts/integration.js';
import { pagerDutySignature } from '../../server/alerts/pagerduty-signature.js';
import { client, makeEvent, startHub, type HubFixture } from './hub-fixture.js';
import { onlineTeam, until, type Teammate } from '../sync/sync-fixture.js';

/*
 * Alerts open incidents: a real hub on loopback (SQLite store), real Alertmanager, PagerDuty and
 * generic bodies posted with fetch (and once with curl), and two cockpits with real sync engines
 * that must both show what the alerts did. Every refusal leaves the team's log exactly as it was.
 */

const run = promisify(execFile);
const PD_SECRET = 'pd-signing-secret-0123456789';

let f: HubFixture;
let ana: Teammate;
let bo: Teammate;
let am: string;
let pd: string;
let generic: string;
let work: string;
let cockpits: Awaited<ReturnType<typeof onlineTeam>>;

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'conn-alerts-'));
  f = await startHub({ alertLimits: { perSecond: 1000, burst: 1000 } });
  const anaToken = await f.invite('payments', 'Ana', 'admin');
  const boToken = await f.invite('payments', 'Bo', 'member');
  am = (await f.store.addIntegration('payments', 'prod-am', 'alertmanager', defaultSettings('alertmanager'))).token;
  pd = (await f.store.addIntegration('payments', 'pagerduty', 'pagerduty', { ...defaultSettings('pagerduty'), signingSecret: PD_SECRET })).token;
  generic = (await f.store.addIntegration('payments', 'ci', 'generic', { ...defaultSettings('generic'), resolveToMonitoring: false })).token;
  cockpits = await onlineTeam([
    { name: 'Ana', url: () => f.hub.url, token: anaToken },
    { name: 'Bo', url: () => f.hub.url, token: boToken },
  ]);
  [ana, bo] = cockpits.team as [Teammate, Teammate];
});

afterAll(async () => {
  await cockpits?.close();
  await f?.dispose();
  rmSync(work, { recursive: true, force: true });
});

/** An Alertmanager webhook (version 4) as Alertmanager sends it. */
function alertmanager(status: 'firing' | 'resolved', alerts: Array<{ fingerprint: string; labels: Record<string, string>; summary?: string; status?: 'firing' | 'resolved' }>) {
  return {
    version: '4',
    groupKey: '{}:{alertname="HighErrorRate"}',
    truncatedAlerts: 0,
    status,
    receiver: 'conn',
    groupLabels: { alertname: 'HighErrorRate' },
    commonLabels: {},
    commonAnnotations: {},
    externalURL: 'http://alertmanager.example:9093',
    alerts: alerts.map((a) => ({
      status: a.status ?? status,
      labels: { alertname: 'HighErrorRate', ...a.labels },
      annotations: { summary: a.summary ?? 'checkout 5xx above 5%', description: 'error ratio 0.12 over 5m' },
      startsAt: new Date(Date.now() - 120_000).toISOString(),
      endsAt: status === 'resolved' ? new Date().toISOString() : '0001-01-01T00:00:00Z',
      generatorURL: 'http://prometheus.example:9090/graph?g0.expr=…',
      fingerprint: a.fingerprint,
    })),
  };
}

/** A PagerDuty V3 webhook for one incident event. */
function pagerduty(eventType: string, incidentId: string, priority = 'P1') {
  return {
    event: {
      id: `01${newId().replace(/-/g, '').slice(0, 24)}`,
      event_type: eventType,
      resource_type: 'incident',
      occurred_at: new Date().toISOString(),
      agent: { id: 'PLH1HKV', summary: 'Tenex Engineer', type: 'user_reference' },
      client: null,
      data: {
        id: incidentId,
        type: 'incident',
        self: `https://api.pagerduty.com/incidents/${incidentId}`,
        html_url: `https://acme.pagerduty.com/incidents/${incidentId}`,
        number: 2,
        status: eventType === 'incident.resolved' ? 'resolved' : 'triggered',
        incident_key: 'd3640fbd41094207a1c11e58e46b1662',
        created_at: new Date().toISOString(),
        title: 'Payments API latency',
        service: { html_url: 'https://acme.pagerduty.com/services/PF9KMXH', id: 'PF9KMXH', self: 'https://api.pagerduty.com/services/PF9KMXH', summary: 'payments-api', type: 'service_reference' },
        assignees: [],
        escalation_policy: { id: 'PRBZ0F5', summary: 'Default', type: 'escalation_policy_reference' },
        teams: [],
        priority: { id: 'PSO75BM', summary: priority, type: 'priority_reference' },
        urgency: 'high',
        conference_bridge: null,
        resolve_reason: null,
      },
    },
  };
}

async function post(kind: string, body: unknown, opts: { token?: string | null; headers?: Record<string, string>; query?: string; raw?: string } = {}) {
  const token = opts.token === undefined ? am : opts.token;
  const res = await fetch(`${f.hub.url}/alerts/${kind}${opts.query ?? ''}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...opts.headers },
    body: opts.raw ?? JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as { received?: number; incidents?: Array<{ action: string; ref?: string; incidentId?: string }>; error?: { code: string; message: string } } };
}

const teamId = async () => (await f.store.authenticate(await f.invite('payments', 'Probe')))!.teamId;
const head = async () => f.store.head(await teamId());
const stateOn = (t: Teammate, id: string) => t.core.events.stateOf(id) as IncidentState | null;
const notesOn = (t: Teammate, id: string) =>
  t.core.timeline({ incidentId: id, limit: 200 }).items.filter((i) => i.kind === 'note').map((i) => (i as { text?: string }).text ?? '');

/** Both cockpits show the incident, and `check` holds on each. */
async function onBoth(id: string, check: (s: IncidentState | null) => boolean): Promise<void> {
  for (const t of [ana, bo]) await until(() => stateOn(t, id), check);
}

async function metrics(): Promise<string> {
  return (await fetch(`${f.hub.url}/metrics`)).text();
}

describe('an Alertmanager webhook', () => {
  it('posted with curl opens a SEV2 on two connected cockpits', async () => {
    const file = path.join(work, 'alert.json');
    writeFileSync(file, JSON.stringify(alertmanager('firing', [{ fingerprint: 'curl-1', labels: { severity: 'error', service: 'checkout' } }])));
    const { stdout } = await run('curl', ['-sS', '--fail-with-body', '-X', 'POST', '-H', `Authorization: Bearer ${am}`, '-H', 'Content-Type: application/json', '--data-binary', `@${file}`, `${f.hub.url}/alerts/alertmanager`]);
    const answer = JSON.parse(stdout) as { incidents: Array<{ action: string; incidentId: string; ref: string }> };
    expect(answer.incidents).toMatchObject([{ action: 'declared' }]);
    const id = answer.incidents[0]!.incidentId;
    await onBoth(id, (s) => s?.severity === 2);
    for (const t of [ana, bo]) {
      expect(stateOn(t, id)).toMatchObject({ ref: answer.incidents[0]!.ref, title: 'HighErrorRate: checkout 5xx above 5%', severity: 2, services: ['checkout'], declaredBy: 'integration:prod-am' });
      expect(t.core.incidents.list().map((i) => i.id)).toContain(id);
    }
  });

  it('adds a note instead of declaring again: the same alert, another alert on the same service, and 6 posts at once', async () => {
    const first = await post('alertmanager', alertmanager('firing', [{ fingerprint: 'fp-a', labels: { severity: 'critical', service: 'search' } }]));
    expect(first.status).toBe(202);
    const id = first.body.incidents![0]!.incidentId!;
    expect(first.body.incidents![0]!.action).toBe('declared');

    const again = await post('alertmanager', alertmanager('firing', [{ fingerprint: 'fp-a', labels: { severity: 'critical', service: 'search' } }]));
    expect(again.body.incidents).toMatchObject([{ action: 'noted', incidentId: id }]);
    const sibling = await post('alertmanager', alertmanager('firing', [{ fingerprint: 'fp-b', labels: { severity: 'warning', service: 'Search' }, summary: 'search p99 over 2s' }]));
    expect(sibling.body.incidents).toMatchObject([{ action: 'noted', incidentId: id }]);

    // Six posts of one new alert at once: one declaration, five notes, however they interleave.
    const storm = await Promise.all(Array.from({ length: 6 }, () => post('alertmanager', alertmanager('firing', [{ fingerprint: 'fp-storm', labels: { service: 'ledger' } }]))));
    const actions = storm.map((r) => r.body.incidents![0]!);
    expect(actions.filter((a) => a.action === 'declared')).toHaveLength(1);
    expect(new Set(actions.map((a) => a.incidentId)).size).toBe(1);

    await onBoth(id, (s) => s?.severity === 1);
    for (const t of [ana, bo]) {
      await until(() => notesOn(t, id), (n) => n.length === 2);
      expect(notesOn(t, id)).toEqual([expect.stringContaining('**Alert firing again**'), expect.stringContaining('**Another alert on Search**: HighErrorRate: search p99 over 2s')]);
      await until(() => notesOn(t, actions[0]!.incidentId!), (n) => n.length === 5);
    }
  });

  it('notes on an open incident a person declared on the same service, as its services read now', async () => {
    const { id } = ana.core.incidents.declare({ title: 'Invoices are late', severity: 3, services: ['Billing', 'warehouse'] });
    await until(() => stateOn(bo, id), (st) => st?.declared === true); // Bo has it, so the hub has
    const fired = await post('alertmanager', alertmanager('firing', [{ fingerprint: 'fp-bill-1', labels: { severity: 'warning', service: 'billing' } }]));
    expect(fired.body.incidents).toMatchObject([{ action: 'noted', incidentId: id }]);
    await until(() => notesOn(bo, id), (n) => n.length === 1);
    expect(notesOn(bo, id)[0]).toContain('**Another alert on billing**');

    // An incident narrowed to the warehouse before any alert came: an inventory alert is another incident.
    const narrowed = ana.core.incidents.declare({ title: 'Stock counts are stale', severity: 3, services: ['inventory', 'warehouse'] }).id;
    ana.core.events.appendLocal(narrowed, 'incident.edited', { services: ['warehouse'] });
    await until(() => stateOn(bo, narrowed), (st) => st?.services.join() === 'warehouse');
    const other = await post('alertmanager', alertmanager('firing', [{ fingerprint: 'fp-inv-1', labels: { severity: 'warning', service: 'inventory' } }]));
    expect(other.body.incidents).toMatchObject([{ action: 'declared' }]);
    expect([id, narrowed]).not.toContain(other.body.incidents![0]!.incidentId);
  });

  it('resolves: a note per resolved alert, and monitoring once none of the incident\'s alerts fires', async () => {
    const opened = await post('alertmanager', alertmanager('firing', [
      { fingerprint: 'db-1', labels: { severity: 'error', service: 'db' } },
      { fingerprint: 'db-2', labels: { severity: 'error', service: 'db' } },
    ]));
    expect(opened.body.incidents!.map((o) => o.action)).toEqual(['declared', 'noted']);
    const id = opened.body.incidents![0]!.incidentId!;
    const half = await post('alertmanager', alertmanager('resolved', [{ fingerprint: 'db-1', labels: { service: 'db' } }]));
    expect(half.body.incidents).toMatchObject([{ action: 'resolved', incidentId: id }]);
    await onBoth(id, (s) => s !== null);
    expect(stateOn(ana, id)!.status).toBe('triage');
    const all = await post('alertmanager', alertmanager('resolved', [{ fingerprint: 'db-2', labels: { service: 'db' } }]));
    expect(all.body.incidents).toMatchObject([{ action: 'resolved', incidentId: id }]);
    await onBoth(id, (s) => s?.status === 'monitoring');
    await until(() => notesOn(bo, id), (n) => n.filter((t) => t.startsWith('**Alert resolved**')).length === 2);

    // A resolved alert with no open incident does nothing; the same alert firing after its incident
    // is over opens a new one.
    expect((await post('alertmanager', alertmanager('resolved', [{ fingerprint: 'never-fired', labels: {} }]))).body.incidents).toMatchObject([{ action: 'ignored' }]);
  });
});

describe('PagerDuty V3 webhooks', () => {
  const signed = (body: unknown, secret = PD_SECRET) => {
    const raw = JSON.stringify(body);
    return { raw, headers: { 'x-pagerduty-signature': `v1=${'0'.repeat(64)}, ${pagerDutySignature(raw, secret)}` } };
  };

  it('a signed incident.triggered opens a SEV1 from its priority; incident.resolved moves it to monitoring', async () => {
    const trig = signed(pagerduty('incident.triggered', 'PGR0VU2'));
    const r = await post('pagerduty', null, { token: pd, ...trig });
    expect(r.status).toBe(202);
    expect(r.body.incidents).toMatchObject([{ action: 'declared' }]);
    const id = r.body.incidents![0]!.incidentId!;
    await onBoth(id, (s) => s?.severity === 1 && s.services.join() === 'payments-api' && s.declaredBy === 'integration:pagerduty');
    const ack = signed(pagerduty('incident.acknowledged', 'PGR0VU2'));
    expect((await post('pagerduty', null, { token: pd, ...ack })).body.incidents).toMatchObject([{ action: 'noted', incidentId: id }]);
    const res = signed(pagerduty('incident.resolved', 'PGR0VU2'));
    expect((await post('pagerduty', null, { token: pd, ...res })).body.incidents).toMatchObject([{ action: 'resolved', incidentId: id }]);
    await onBoth(id, (s) => s?.status === 'monitoring');
    expect(notesOn(ana, id)[0]).toContain('acknowledged in PagerDuty by Tenex Engineer');
  });

  it('refuses an unsigned post, or one signed with another secret, with 401 and writes nothing', async () => {
    const before = await head();
    const body = pagerduty('incident.triggered', 'PUNSIGNED');
    const unsigned = await post('pagerduty', body, { token: pd });
    expect(unsigned.status).toBe(401);
    expect(unsigned.body.error).toMatchObject({ code: 'bad-signature' });
    const forged = signed(body, 'another-secret-entirely');
    expect((await post('pagerduty', null, { token: pd, ...forged })).status).toBe(401);
    expect(await head()).toBe(before);
  });
});

describe('the generic shape', () => {
  it('declares with the severity and services it names, and a resolved alert only notes when the team chose so', async () => {
    const fire = await post('generic', { fingerprint: 'deploy-42', status: 'firing', title: 'Canary failing', severity: 3, services: ['web'], text: 'canary 4.2.1 at 30% errors' }, { token: generic });
    expect(fire.status).toBe(202);
    const id = fire.body.incidents![0]!.incidentId!;
    await onBoth(id, (s) => s?.severity === 3 && s.services.join() === 'web');
    const done = await post('generic', { alerts: [{ fingerprint: 'deploy-42', status: 'resolved', title: 'Canary failing' }] }, { token: generic });
    expect(done.body.incidents).toMatchObject([{ action: 'resolved', incidentId: id }]);
    await until(() => notesOn(ana, id), (n) => n.length === 1);
    expect(stateOn(ana, id)!.status).toBe('triage');
  });

  it('takes the token from ?token= for senders that cannot set headers', async () => {
    const r = await post('generic', { fingerprint: 'q-1', status: 'firing', title: 'From a query token' }, { token: null, query: `?token=${generic}` });
    expect(r.status).toBe(202);
  });
});

describe('what the hub refuses at /alerts/, counted, with nothing written', () => {
  it('401 without a token, with a wrong one, or a revoked one; 400 for another kind\'s endpoint', async () => {
    const before = await head();
    const body = alertmanager('firing', [{ fingerprint: 'nope', labels: {} }]);
    expect((await post('alertmanager', body, { token: null })).status).toBe(401);
    const wrong = await post('alertmanager', body, { token: `${am.slice(0, -4)}AAAA` });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error!.message).toContain('does not recognise this integration token');
    expect((await post('alertmanager', body, { token: 'conn_not-a-token' })).status).toBe(401);
    const other = (await f.store.addIntegration('payments', 'old-am', 'alertmanager', defaultSettings('alertmanager'))).token;
    expect(await f.store.revokeIntegration('payments', 'old-am')).toBe(true);
    const revoked = await post('alertmanager', body, { token: other });
    expect(revoked.status).toBe(401);
    expect(revoked.body.error!.message).toContain('was revoked');
    const kind = await post('generic', body, { token: am });
    expect(kind.status).toBe(400);
    expect(kind.body.error!.message).toContain('post to /alerts/alertmanager');
    // A member's sync token is not an integration token.
    expect((await post('alertmanager', body, { token: await f.invite('payments', 'Cy') })).status).toBe(401);
    expect(await head()).toBe(before);
  });

  it('404 for an endpoint that is not one, 405 for anything but POST', async () => {
    const unknown = await post('nagios', {});
    expect(unknown.status).toBe(404);
    expect(unknown.body.error!.message).toBe('no such alert endpoint: post to /alerts/alertmanager, /alerts/pagerduty, /alerts/generic');
    const get = await fetch(`${f.hub.url}/alerts/alertmanager`, { headers: { authorization: `Bearer ${am}` } });
    expect([get.status, get.headers.get('allow')]).toEqual([405, 'POST']);
  });

  it('400 with the reason for a body that is not JSON or not the shape', async () => {
    const before = await head();
    const notJson = await post('alertmanager', null, { raw: '{"version": "4", alerts: [' });
    expect(notJson.status).toBe(400);
    expect(notJson.body.error).toMatchObject({ code: 'malformed', message: expect.stringContaining('the body is not JSON') });
    const noFingerprint = alertmanager('firing', [{ fingerprint: 'x', labels: {} }]);
    delete (noFingerprint.alerts[0] as { fingerprint?: string }).fingerprint;
    const shape = await post('alertmanager', noFingerprint);
    expect(shape.status).toBe(400);
    expect(shape.body.error!.message).toMatch(/^not a alertmanager alert: alerts\.0\.fingerprint: /);
    const typo = await post('generic', { fingerprint: 'g', status: 'firing', title: 'x', sevrity: 1 }, { token: generic });
    expect(typo.status).toBe(400);
    expect(typo.body.error!.message).toContain('sevrity');
    expect((await post('generic', { fingerprint: 'g', status: 'on fire', title: 'x' }, { token: generic })).status).toBe(400);
    expect(await head()).toBe(before);
  });

  it('413 for a body over 1 MiB: at once by its Content-Length, or as soon as a streamed body passes it', async () => {
    const before = await head();
    const big = JSON.stringify(alertmanager('firing', [{ fingerprint: 'big', labels: { pad: 'x'.repeat(1024 * 1024) } }]));
    const declared = await post('alertmanager', null, { raw: big });
    expect(declared.status).toBe(413);
    expect(declared.body.error!.code).toBe('too-large');
    // Chunked, no Content-Length: the hub stops keeping it once it passes 1 MiB.
    const streamed = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request(`${f.hub.url}/alerts/alertmanager`, { method: 'POST', headers: { authorization: `Bearer ${am}`, 'content-type': 'application/json' } }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      });
      req.on('error', reject);
      const chunk = Buffer.alloc(256 * 1024, 'x');
      let sent = 0;
      const more = () => {
        while (sent < 8 && req.write(chunk)) sent += 1;
        if (sent < 8) req.once('drain', () => ((sent += 1), more()));
        else req.end();
      };
      more();
    });
    expect(streamed.status).toBe(413);
    expect(await head()).toBe(before);
  });

  it('429 with Retry-After once an integration floods, and other integrations still pass', async () => {
    const flooded = await startHub({ alertLimits: { perSecond: 0.01, burst: 3 } });
    try {
      await flooded.invite('ops', 'Ana', 'admin');
      const token = (await flooded.store.addIntegration('ops', 'noisy', 'generic', defaultSettings('generic'))).token;
      const calm = (await flooded.store.addIntegration('ops', 'calm', 'generic', defaultSettings('generic'))).token;
      const send = (t: string, n: number) =>
        fetch(`${flooded.hub.url}/alerts/generic`, { method: 'POST', headers: { authorization: `Bearer ${t}` }, body: JSON.stringify({ fingerprint: `f${n}`, status: 'firing', title: `alert ${n}` }) });
      const answers = [];
      for (let n = 0; n < 5; n++) answers.push(await send(token, n));
      expect(answers.map((r) => r.status)).toEqual([202, 202, 202, 429, 429]);
      expect(Number(answers[3]!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect((await send(calm, 9)).status).toBe(202);
      const text = await (await fetch(`${flooded.hub.url}/metrics`)).text();
      expect(text).toContain('conn_hub_alerts_refused_total{reason="rate-limited"} 2');
      expect(text).toContain('conn_hub_alerts_accepted_total{kind="generic"} 4');
    } finally {
      await flooded.dispose();
    }
  });

  it('forgets a sender that goes away in the middle of its body: nothing written, and the hub still closes', async () => {
    const other = await startHub();
    await other.invite('ops', 'Ana', 'admin');
    const token = (await other.store.addIntegration('ops', 'am', 'alertmanager', defaultSettings('alertmanager'))).token;
    const req = http.request(`${other.hub.url}/alerts/alertmanager`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-length': '5000' } });
    req.on('error', () => undefined);
    req.write('{"version": "4", "alerts": [');
    await new Promise((r) => setTimeout(r, 300));
    req.destroy();
    const closed = await Promise.race([other.dispose().then(() => 'closed'), new Promise((r) => setTimeout(() => r('still waiting'), 10_000))]);
    expect(closed).toBe('closed');
    // Not a refusal and not a failure: nobody was there to be answered.
    expect(other.hub.metrics.alertsRefused).toEqual({});
  });

  it('counts every refusal in /metrics by its reason', async () => {
    const text = await metrics();
    for (const reason of ['unauthenticated', 'wrong-kind', 'malformed', 'too-large', 'bad-signature']) {
      expect(text).toMatch(new RegExp(`conn_hub_alerts_refused_total\\{reason="${reason}"\\} [1-9]`));
    }
    expect(text).toMatch(/conn_hub_alerts_total\{action="declared"\} [1-9]/);
  });
});

describe('the integration identity is the hub\'s alone', () => {
  it('refuses a cockpit pushing an entry signed as an integration, and a member invited under that prefix', async () => {
    const s = await client(f.hub.url, await f.invite('payments', 'Mallory', 'admin'));
    try {
      await s.timeout(5000).emitWithAck('subscribe', {});
      const forged = { ...makeEvent(newId(), 'incident.declared', { title: 'Fake alert', severity: 1, services: [] }, 'Mallory'), author: { id: 'integration:x', name: 'integration:prod-am' } } as ConnEvent;
      const ack = (await s.timeout(5000).emitWithAck('push', { events: [forged] })) as PushAck;
      expect(ack.rejected).toMatchObject([{ id: forged.id, code: 'forbidden' }]);
    } finally {
      s.close();
    }
    await expect(f.store.invite('payments', 'integration:prod-am', 'member')).rejects.toThrow(/may not start with "integration:"/);
  });
});

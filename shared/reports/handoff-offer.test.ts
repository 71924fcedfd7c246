import { describe, expect, it } from 'vitest';
import { parseEvent, type ConnEvent } from '../domain/events.js';
import { foldIncident, foldTimeline } from '../domain/fold.js';
import { LIMITS } from '../domain/limits.js';
import { formatHlc } from '../sync/hlc.js';
import { incidentEvents } from './__tests__/events.js';
import { handoffOfferBrief, type HandoffOfferInput } from './handoff-offer.js';

/*
 * A SEV1 through the night Berlin springs forward (01:00 UTC on 29 March 2026, 02:00 CET becomes
 * 03:00 CEST). Ana, the commander, offers the role at 01:40 UTC.
 */
const inc = incidentEvents(4);
const { ev } = inc;
ev('2026-03-29T00:30:00Z', 'ana', 'incident.declared', { title: 'Payments 503s', severity: 1, services: ['payments', 'gateway'], summary: 'Card payments fail for EU customers\nsince the gateway deploy' });
const declared = inc.events[0]!;
ev('2026-03-29T00:31:00Z', 'ana', 'role.assigned', { role: 'commander', person: 'ana' });
ev('2026-03-29T00:32:00Z', 'ana', 'status.changed', { status: 'investigating' });
ev('2026-03-29T00:35:00Z', 'ana', 'role.assigned', { role: 'comms', person: 'chen' });
ev('2026-03-29T00:40:00Z', 'chen', 'update.posted', { text: 'Investigating failed card payments' });
const dns = ev('2026-03-29T00:45:00Z', 'bo', 'hypothesis', { text: 'DNS resolution failing' });
ev('2026-03-29T00:50:00Z', 'bo', 'hypothesis.updated', { target: dns.id, state: 'ruled-out' });
const tls = ev('2026-03-29T00:55:00Z', 'bo', 'hypothesis', { text: 'Expired TLS certificate on the gateway' });
ev('2026-03-29T01:05:00Z', 'bo', 'hypothesis', { text: 'Rate limiter misconfigured' });
ev('2026-03-29T01:10:00Z', 'ana', 'decision', { text: 'Renew the certificate by hand' });
ev('2026-03-29T01:12:00Z', 'ana', 'action.added', { text: 'Renew the gateway certificate', owner: 'bo', due: '2026-03-29T02:00:00Z' });
ev('2026-03-29T01:13:00Z', 'ana', 'action.added', { text: 'Alert on certificate expiry' });
const secretDecision = ev('2026-03-29T01:14:00Z', 'chen', 'decision', { text: 'Phone ACME support on 555 0100' });
const secretHyp = ev('2026-03-29T01:15:00Z', 'chen', 'hypothesis', { text: 'Globex traffic spike' });
ev('2026-03-29T01:16:00Z', 'ana', 'entry.redacted', { target: secretDecision.id, reason: 'phone number' });
ev('2026-03-29T01:17:00Z', 'ana', 'entry.redacted', { target: secretHyp.id, reason: 'customer name' });
ev('2026-03-29T01:20:00Z', 'bo', 'hypothesis.updated', { target: tls.id, state: 'confirmed' });
ev('2026-03-29T01:25:00Z', 'ana', 'status.changed', { status: 'monitoring' });
ev('2026-03-29T01:30:00Z', 'chen', 'update.posted', { text: 'Mitigated: certificate renewed' });
// Bo lowers the severity while Chen, offline, confirms it: neither saw the other.
ev('2026-03-29T01:35:00Z', 'bo', 'severity.changed', { severity: 2 }, { supersedes: [declared.id] });
ev('2026-03-29T01:35:00Z', 'chen', 'severity.changed', { severity: 1 }, { supersedes: [declared.id] });

const SINCE = '2026-03-29T01:00:00Z';
function input(over: Partial<HandoffOfferInput> = {}, events: ConnEvent[] = inc.events): HandoffOfferInput {
  return {
    state: foldIncident(inc.incidentId, events),
    items: foldTimeline(events).filter((i) => i.at >= SINCE),
    since: SINCE,
    role: 'commander',
    from: 'ana',
    to: 'kenji',
    timeZone: 'Europe/Berlin',
    now: new Date('2026-03-29T01:40:00Z'),
    ...over,
  };
}

describe('hand-off offer brief', () => {
  const brief = handoffOfferBrief(input());
  const ref = foldIncident(inc.incidentId, inc.events).ref;

  it('names the role, the people and the moment', () => {
    expect(brief.startsWith(`# Hand-off: commander for ${ref} — Payments 503s\n\nOffered by ana to kenji, 2026-03-29 03:40 GMT+2 (2026-03-29 01:40 UTC). Times in Europe/Berlin.\n`)).toBe(true);
    expect(handoffOfferBrief(input({ to: null }))).toContain('Offered by ana to whoever takes it,');
  });

  it('gives the current impact, measured across the DST change', () => {
    expect(brief).toContain('## Impact now\n- SEV1 · monitoring · services: payments, gateway\n- Card payments fail for EU customers\n');
    // From 01:30 CET to 03:40 CEST is 1h 10m of real time, not the 2h 10m the clocks suggest.
    expect(brief).toContain('- Impact since 2026-03-29 01:30 GMT+1 (2026-03-29 00:30 UTC) (1h 10m), mitigated 2026-03-29 03:25 GMT+2 (2026-03-29 01:25 UTC)\n');
    expect(brief).toContain('- Roles: commander: ana; comms: chen\n');
  });

  it('lists what changed since, with redacted entries shown as redacted', () => {
    expect(brief).toContain(
      [
        '## What changed since 03:00 GMT+2',
        '- 03:10 GMT+2 ana: Renew the certificate by hand',
        '- 03:14 GMT+2 chen: _(redacted)_',
        '- 03:25 GMT+2 ana: Status → monitoring',
        '- 03:30 GMT+2 chen: Mitigated: certificate renewed',
        '- 03:35 GMT+2 bo: Severity → SEV2',
        '- 03:35 GMT+2 chen: Severity → SEV1',
      ].join('\n'),
    );
    expect(brief).not.toMatch(/ACME|555|Globex/);
  });

  it('lists hypotheses by state, open actions with their owners, and the concurrent changes', () => {
    expect(brief).toContain('## Hypotheses still open\n- Rate limiter misconfigured\n- _(redacted)_\n');
    expect(brief).toContain('## Confirmed\n- Expired TLS certificate on the gateway\n');
    expect(brief).toContain('## Ruled out\n- DNS resolution failing\n');
    expect(brief).toContain('## Open actions (2)\n- [ ] Renew the gateway certificate — bo (due 04:00 GMT+2)\n- [ ] Alert on certificate expiry — **no owner**\n');
    expect(brief).toContain('## Concurrent changes to settle\n- ⚠ 2 concurrent severity changes: 2 / 1\n');
  });

  it.each([
    ['2026-03-29T01:40:00Z', '- next update due 2026-03-29 03:50 GMT+2 (2026-03-29 01:50 UTC) (in 10m 0s)'],
    ['2026-03-29T02:05:00Z', '- next update OVERDUE by 15m 0s (was due 2026-03-29 03:50 GMT+2 (2026-03-29 01:50 UTC))'],
  ])('at %s, says the communications state: %s', (now, line) => {
    const b = handoffOfferBrief(input({ now: new Date(now) }));
    expect(b).toContain(`## Communications\n- comms role: chen\n- 2 stakeholder updates posted, the last 03:30 GMT+2\n${line}\n`);
  });

  it.each([
    ['Asia/Kolkata', '2026-03-29 07:10 GMT+5:30 (2026-03-29 01:40 UTC)'],
    ['Asia/Kathmandu', '2026-03-29 07:25 GMT+5:45 (2026-03-29 01:40 UTC)'],
    ['Australia/Adelaide', '2026-03-29 12:10 GMT+10:30 (2026-03-29 01:40 UTC)'],
    ['America/Los_Angeles', '2026-03-28 18:40 PDT (2026-03-29 01:40 UTC)'],
    ['UTC', '2026-03-29 01:40 UTC.'],
  ])('written for a reader in %s: offered %s', (timeZone, when) => {
    expect(handoffOfferBrief(input({ timeZone }))).toContain(`Offered by ana to kenji, ${when}`);
  });

  it('names the declarer as commander while nobody is assigned, and says when nothing is known yet', () => {
    const b = handoffOfferBrief(input({ since: '2026-03-29T00:00:00Z', items: [] }, [declared]));
    expect(b).toContain('- Roles: commander: ana (declarer)\n');
    expect(b).toContain('- no status, severity, role or decision changes\n');
    expect(b).toContain('## Open actions (0)\n- none open\n');
    expect(b).toContain('- 0 stakeholder updates posted\n');
  });

  it('fits in a handoff.offered event however many actions are open', () => {
    const big = incidentEvents(5);
    big.ev('2026-03-29T00:00:00Z', 'ana', 'incident.declared', { title: 'Everything is on fire', severity: 1, services: [] });
    for (let i = 0; i < 4000; i++) big.ev(new Date(Date.parse('2026-03-29T00:01:00Z') + i * 1000).toISOString(), 'ana', 'action.added', { text: `Check host ${i} ${'y'.repeat(300)}`, owner: 'bo' });
    const b = handoffOfferBrief({ ...input({}, big.events), state: foldIncident(big.incidentId, big.events), items: [] });
    expect(b.length).toBeLessThanOrEqual(LIMITS.textChars);
    expect(b).toMatch(/## Open actions \(4000\)\n(- \[ \] .*\n)+- …and \d+ more\n/);
    const offered = {
      id: '0190a5c4-0000-7000-8000-05000000ffff',
      incidentId: big.incidentId,
      hlc: formatHlc({ wall: Date.parse('2026-03-29T02:00:00Z'), counter: 0 }),
      author: { id: 'p-ana', name: 'ana' },
      kind: 'handoff.offered',
      payload: { role: 'commander', to: 'kenji', brief: b },
    };
    expect(() => parseEvent(offered)).not.toThrow();
  });
});

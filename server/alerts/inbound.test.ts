import { describe, expect, it } from 'vitest';
import { inboundAlerts, InboundError, severityOf, servicesOf, type InboundAlert } from './inbound.js';
import { defaultSettings } from './integration.js';
import { pagerDutySignature, pagerDutySignatureValid } from './pagerduty-signature.js';

/* The bodies' meaning, decided purely: severity and services by the team's mapping, PagerDuty's event types, signatures. */

const alert = (labels: Record<string, string>, over: Partial<InboundAlert> = {}): InboundAlert => ({ fingerprint: 'f', state: 'firing', title: 't', labels, ...over });

describe('the severity mapping', () => {
  const am = defaultSettings('alertmanager');
  const cases: Array<[Record<string, string>, number]> = [
    [{ severity: 'critical' }, 1],
    [{ severity: 'Error' }, 2],
    [{ severity: ' warning ' }, 3],
    [{ severity: 'info' }, 4],
    [{ severity: 'whatever' }, 3],
    [{}, 3],
  ];
  for (const [labels, sev] of cases) it(`${JSON.stringify(labels)} is SEV${sev}`, () => expect(severityOf(alert(labels), am)).toBe(sev));

  it('reads the labels in the team\'s order, first present and mapped wins; an explicit severity wins over all', () => {
    const pd = defaultSettings('pagerduty');
    expect(severityOf(alert({ priority: 'P1', urgency: 'low' }), pd)).toBe(1);
    expect(severityOf(alert({ urgency: 'low' }), pd)).toBe(4);
    expect(severityOf(alert({ severity: 'critical' }, { severity: 5 }), am)).toBe(5);
  });
});

describe('services from labels', () => {
  it('takes every service label present, once, ignoring case', () => {
    const s = { ...defaultSettings('alertmanager'), serviceLabels: ['service', 'app'] };
    expect(servicesOf(alert({ service: 'checkout', app: 'Checkout' }), s)).toEqual(['checkout']);
    expect(servicesOf(alert({ app: 'web', service: 'api' }), s)).toEqual(['api', 'web']);
    expect(servicesOf(alert({ job: 'node' }), s)).toEqual([]);
  });
});

describe('PagerDuty V3 events', () => {
  const body = (eventType: string, resource = 'incident') => ({ event: { id: 'e1', event_type: eventType, resource_type: resource, data: { id: 'PX', title: 'API down', urgency: 'high' } } });
  it('fires on triggered and reopened, resolves on resolved, notes acknowledged, ignores the rest', () => {
    expect(inboundAlerts('pagerduty', body('incident.triggered'))).toMatchObject([{ fingerprint: 'PX', state: 'firing', labels: { urgency: 'high' } }]);
    expect(inboundAlerts('pagerduty', body('incident.reopened'))).toMatchObject([{ state: 'firing' }]);
    expect(inboundAlerts('pagerduty', body('incident.resolved'))).toMatchObject([{ state: 'resolved' }]);
    expect(inboundAlerts('pagerduty', body('incident.acknowledged'))).toMatchObject([{ state: 'info' }]);
    expect(inboundAlerts('pagerduty', body('incident.annotated'))).toEqual([]);
    expect(inboundAlerts('pagerduty', body('pagey.ping', 'pagey'))).toEqual([]);
    expect(() => inboundAlerts('pagerduty', { event: { event_type: 'incident.triggered' } })).toThrow(InboundError);
  });

  it('checks the signature over the raw bytes, any of several', () => {
    const raw = Buffer.from('{"event":{}}');
    expect(pagerDutySignatureValid(pagerDutySignature(raw, 'secret-one'), raw, 'secret-one')).toBe(true);
    expect(pagerDutySignatureValid(`v1=${'a'.repeat(64)},${pagerDutySignature(raw, 'secret-one')}`, raw, 'secret-one')).toBe(true);
    expect(pagerDutySignatureValid(pagerDutySignature(raw, 'secret-two'), raw, 'secret-one')).toBe(false);
    expect(pagerDutySignatureValid(pagerDutySignature(Buffer.from('{"event":{} }'), 'secret-one'), raw, 'secret-one')).toBe(false);
    expect(pagerDutySignatureValid(undefined, raw, 'secret-one')).toBe(false);
    expect(pagerDutySignatureValid('v1=zz', raw, 'secret-one')).toBe(false);
  });
});

describe('the generic shape', () => {
  it('takes one alert or a list, and names an unknown field', () => {
    expect(inboundAlerts('generic', { fingerprint: 'a', status: 'firing', title: 'x' })).toHaveLength(1);
    expect(inboundAlerts('generic', { alerts: [{ fingerprint: 'a', status: 'resolved', title: 'x' }, { fingerprint: 'b', status: 'firing', title: 'y' }] })).toHaveLength(2);
    expect(() => inboundAlerts('generic', { fingerprint: 'a', status: 'firing', title: 'x', sevrity: 1 })).toThrow(/sevrity/);
    expect(() => inboundAlerts('generic', { alerts: [] })).toThrow(InboundError);
  });
});

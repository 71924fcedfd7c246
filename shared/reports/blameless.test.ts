import { describe, expect, it } from 'vitest';
import { checkFields, checkWording } from './blameless.js';

describe('blameless wording check', () => {
  it.each([
    ['The outage was caused by human error during the deploy.', 'human error'],
    ['Ops should have noticed the alert.', 'should have'],
    ["Bo shouldn't have pushed on a Friday.", 'should have'],
    ['The on-call engineer failed to escalate.', 'failed to'],
    ['A careless config change took the site down.', 'careless'],
    ['Nobody is to blame, really.', 'blame'],
    ['This was negligent.', 'negligent'],
    ['It was the fault of the release manager.', 'fault of'],
    ["It was Ana's fault.", 'fault of'],
    ['Someone forgot to renew the certificate.', 'forgot to'],
  ])('points out %j as %s, with a suggestion', (text, phrase) => {
    const found = checkWording(text);
    expect(found.map((f) => f.phrase)).toEqual([phrase]);
    expect(found[0]!.suggestion.length).toBeGreaterThan(20);
    expect(text.slice(found[0]!.start, found[0]!.end)).toBe(found[0]!.match);
  });

  it.each([
    'The alert did not fire because its threshold was above the error rate we saw.',
    'A blameless review of the deploy pipeline.',
    'The faultless failover took 30 s.',
    'The health check failed after the deploy.',
  ])('finds nothing in system-focused wording: %j', (text) => {
    expect(checkWording(text)).toEqual([]);
  });

  it('finds every phrase in order, each stretch once', () => {
    const found = checkWording('Human error: he should have known, he failed to check.');
    expect(found.map((f) => f.phrase)).toEqual(['human error', 'should have', 'failed to']);
  });

  it('gives the same answer when called twice (no state kept between calls)', () => {
    const text = 'failed to page, failed to roll back';
    expect(checkWording(text)).toHaveLength(2);
    expect(checkWording(text)).toHaveLength(2);
  });

  it('says where each finding is among several fields', () => {
    const found = checkFields([
      { where: 'summary', text: 'Checkout failed for 20 minutes.' },
      { where: 'contributing factor 1', text: 'The deploy was careless.' },
    ]);
    expect(found.map((f) => [f.where, f.phrase])).toEqual([['contributing factor 1', 'careless']]);
  });
});

import { describe, expect, it } from 'vitest';
import { editPayload, parseServices, servicesProblem, servicesText } from './incident-edit.js';

const current = { title: 'Checkout returns 502', summary: 'EU only', services: ['checkout', 'payments'] };
const draft = { title: current.title, summary: current.summary, services: servicesText(current.services) };

describe('parseServices', () => {
  it('splits on commas and new lines, trims, and keeps each service once', () => {
    expect(parseServices(' checkout,payments ,\n\nledger, Checkout,, ')).toEqual(['checkout', 'payments', 'ledger']);
    expect(parseServices('   ')).toEqual([]);
  });

  it('round-trips the text the field opens on', () => {
    expect(parseServices(servicesText(['a b', 'c']))).toEqual(['a b', 'c']);
  });
});

describe('servicesProblem', () => {
  it('refuses more services, or a longer name, than an event may hold', () => {
    expect(servicesProblem(['checkout'])).toBeNull();
    expect(servicesProblem(Array.from({ length: 21 }, (_, i) => `s${i}`))).toMatch(/At most 20 services/);
    expect(servicesProblem(['x'.repeat(81)])).toMatch(/longer than 80 characters/);
  });
});

describe('editPayload', () => {
  it('is nothing to write when nothing changed, whitespace and service spacing aside', () => {
    expect(editPayload(current, { ...draft, title: ` ${current.title} `, services: 'checkout,payments' })).toEqual({ payload: null, problem: null });
  });

  it('carries only the fields that changed', () => {
    expect(editPayload(current, { ...draft, title: 'Checkout returns 503' }).payload).toEqual({ title: 'Checkout returns 503' });
    expect(editPayload(current, { ...draft, summary: 'EU and US' }).payload).toEqual({ summary: 'EU and US' });
    expect(editPayload(current, { ...draft, services: 'payments, checkout' }).payload).toEqual({ services: ['payments', 'checkout'] });
    expect(editPayload(current, { ...draft, services: '' }).payload).toEqual({ services: [] });
  });

  it('adds a first summary, but refuses to remove one', () => {
    expect(editPayload({ ...current, summary: null }, { ...draft, summary: '' })).toEqual({ payload: null, problem: null });
    expect(editPayload({ ...current, summary: null }, { ...draft, summary: '**new**' }).payload).toEqual({ summary: '**new**' });
    expect(editPayload(current, { ...draft, summary: '  ' }).problem).toMatch(/not removed/);
  });

  it('refuses an empty or overlong title and too many services before the core is asked', () => {
    expect(editPayload(current, { ...draft, title: ' ' }).problem).toMatch(/title/);
    expect(editPayload(current, { ...draft, title: 'x'.repeat(201) }).problem).toMatch(/at most 200/);
    expect(editPayload(current, { ...draft, services: Array.from({ length: 21 }, (_, i) => `s${i}`).join(',') }).problem).toMatch(/At most 20/);
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { callMethod } from '../../main/core/api/handlers.js';
import { openCore, type Core } from '../../main/core/open.js';
import { attachRunbook } from '../../main/core/runbooks/attach.js';
import { RunbookLibrary } from '../../main/core/store/runbook-library.js';
import { runbooksOf } from '../../main/core/runbooks/service.js';
import { suggestRunbooks } from '../../main/core/runbooks/suggest.js';
import { resolveStep, type StepRef } from '../../cli/step-ref.js';
import { runbookText } from './fixtures.js';

let dir: string;
let core: Core;
let lib: RunbookLibrary;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'conn-rb-incident-'));
  core = openCore({ dataDir: dir });
  lib = runbooksOf(core, { seedDir: null });
  lib.put('db-failover', runbookText({ title: 'Database failover', services: '[payments-db]' }, '- [ ] Check replica lag\n- [ ] Promote the replica\n'), 'ana');
  lib.put('dns-outage', runbookText({ title: 'DNS outage', services: '[coredns]' }, '- [ ] dig\nResolution fails for the payments domain.'), 'ana');
  lib.put('tls-expiry', runbookText({ title: 'Expired TLS certificate' }, '- [ ] renew'), 'ana');
});
/** What `conn runbook check` does: find the step a person named, and append the app's runbook.step-done. */
function checkStep(core: Core, ref: string, step: StepRef, done = true): void {
  const state = core.incidents.get(ref);
  const { attach, key } = resolveStep(state.runbooks, step);
  core.events.appendLocal(state.id, 'runbook.step-done', { target: attach.attachId, step: key, done });
}
afterEach(async () => {
  await core.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('attach and check', () => {
  it('turns the task list into a checklist in the incident state, and a checked step records who and when', () => {
    const { ref } = core.incidents.declare({ title: 'Payments DB down', severity: 1, services: ['payments-db'] });
    const { event } = attachRunbook(core, lib, ref, 'db-failover');
    let state = core.incidents.get(ref);
    expect(state.runbooks).toHaveLength(1);
    expect(state.runbooks[0]).toMatchObject({ attachId: event.id, name: 'db-failover', version: 1 });
    expect(state.runbooks[0]?.steps.map((s) => [s.key, s.done])).toEqual([['check-replica-lag', false], ['promote-the-replica', false]]);

    checkStep(core, ref, { step: 'promote' });
    state = core.incidents.get(ref);
    const promoted = state.runbooks[0]?.steps[1];
    expect(promoted).toMatchObject({ done: true, by: core.profile.get().name });
    expect(promoted?.at).toMatch(/^\d{4}-\d\d-\d\dT/);

    checkStep(core, ref, { step: '2' }, false);
    expect(core.incidents.get(ref).runbooks[0]?.steps[1]?.done).toBe(false);
  });

  it('attaches the version asked for, with that version\'s steps', () => {
    lib.put('db-failover', runbookText({ title: 'Database failover' }, '- [ ] Only one step now\n'), 'ben');
    const { ref } = core.incidents.declare({ title: 'x', severity: 3 });
    attachRunbook(core, lib, ref, 'db-failover', 1);
    expect(core.incidents.get(ref).runbooks[0]).toMatchObject({ version: 1 });
    expect(core.incidents.get(ref).runbooks[0]?.steps).toHaveLength(2);
  });

  it('asks which runbook when a step key is in two attached runbooks, and names the steps when none matches', () => {
    const { ref } = core.incidents.declare({ title: 'x', severity: 3 });
    attachRunbook(core, lib, ref, 'db-failover');
    attachRunbook(core, lib, ref, 'db-failover');
    expect(() => checkStep(core, ref, { step: 'check-replica-lag' })).toThrow(/matches db-failover:check-replica-lag, db-failover:check-replica-lag/);
    expect(() => checkStep(core, ref, { step: 'nope' })).toThrow(/no step "nope"/);
    expect(() => checkStep(core, ref, { step: '1', runbook: 'tls-expiry' })).toThrow(/not attached/);
  });

  it('refuses to attach a checklist too big for one event, and writes nothing', () => {
    const steps = Array.from({ length: 300 }, (_, i) => `- [ ] step ${i} ${'x'.repeat(1000)}`).join('\n');
    lib.put('huge-checklist', steps, 'ana');
    const { ref } = core.incidents.declare({ title: 'x', severity: 3 });
    expect(() => attachRunbook(core, lib, ref, 'huge-checklist')).toThrow(/KiB; an attached checklist is at most 252 KiB/);
    expect(core.incidents.get(ref).runbooks).toEqual([]);
  });

  it('attaches and suggests through the RPC handlers', async () => {
    const { id } = core.incidents.declare({ title: 'Payments DB down', severity: 1, services: ['payments-db'] });
    const r = (await callMethod(core, 'runbooks.attach', { incidentId: id, name: 'db-failover' })) as { attachId: string };
    expect(core.incidents.get(id).runbooks[0]?.attachId).toBe(r.attachId);
    const hits = (await callMethod(core, 'runbooks.search', { query: 'replica' })) as Array<{ name: string }>;
    expect(hits.map((h) => h.name)).toEqual(['db-failover']);
    await expect(callMethod(core, 'runbooks.search', { query: 'x AND', raw: true })).rejects.toThrow(/not valid FTS5 syntax/);
  });
});

describe('suggestions', () => {
  it('puts a runbook for the incident\'s service first, then title matches, each with its reason', () => {
    const list = suggestRunbooks(lib, { title: 'Payments DNS resolution failing', services: ['payments-db'] });
    expect(list.map((s) => s.name)).toEqual(['db-failover', 'dns-outage']);
    expect(list[0]?.reasons).toContain('service payments-db');
    expect(list[1]?.reasons.join(' ')).toMatch(/title: .*dns/);
  });

  it('suggests nothing for an incident that matches no runbook', () => {
    expect(suggestRunbooks(lib, { title: 'Office coffee machine', services: ['kitchen'] })).toEqual([]);
  });
});

describe('seeding', () => {
  it('seeds the example runbooks into an empty library once, and never again', async () => {
    const d = mkdtempSync(path.join(os.tmpdir(), 'conn-rb-seed-'));
    const c1 = openCore({ dataDir: d });
    const seeded = runbooksOf(c1, { seedDir: path.resolve('resources/runbooks') });
    expect(seeded.count()).toBeGreaterThanOrEqual(5);
    expect(seeded.search('failover').map((h) => h.name)).toContain('database-failover');
    c1.db.exec('DELETE FROM runbook_fts; DELETE FROM runbook_versions; DELETE FROM runbooks;');
    await c1.close();
    const c2 = openCore({ dataDir: d });
    expect(runbooksOf(c2, { seedDir: path.resolve('resources/runbooks') }).count()).toBe(0);
    await c2.close();
    rmSync(d, { recursive: true, force: true });
  });

  it('does not seed a library that already has runbooks', async () => {
    const d = mkdtempSync(path.join(os.tmpdir(), 'conn-rb-seed-'));
    const c = openCore({ dataDir: d });
    new RunbookLibrary(c.db).put('ours', '# Ours', 'ana');
    expect(runbooksOf(c, { seedDir: path.resolve('resources/runbooks') }).list().map((r) => r.name)).toEqual(['ours']);
    await c.close();
    rmSync(d, { recursive: true, force: true });
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_CADENCE } from '../../../shared/domain/cadence.js';
import { tempCore } from '../../../test/core/temp-core.js';

/*
 * The cockpit's copy of the team's cadence: the hub's last answer, replaced whole; what the
 * countdowns use, with the hub down too; and the defaults for anything it cannot read.
 */

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});
function setup() {
  const t = tempCore();
  cleanups.push(t.cleanup);
  return t.core;
}

const TEAM = { ...DEFAULT_CADENCE, 2: { firstMin: 5, everyMin: 30 } };

describe('the team cadence on a cockpit', () => {
  it('is the defaults, never checked, before any hub answered', () => {
    expect(setup().cadence.effective()).toEqual({ cadence: DEFAULT_CADENCE, source: 'defaults', setBy: null, setAt: null, checkedAt: null, defaults: DEFAULT_CADENCE });
  });

  it("keeps the hub's answer, says whether it changed, and the countdown of incidents.get follows it", () => {
    const core = setup();
    const { id } = core.incidents.declare({ title: 'Checkout 5xx', severity: 2 });
    const declaredAt = Date.parse(core.incidents.get(id).declaredAt!);
    expect(Date.parse(core.incidents.get(id).nextUpdateDueAt!) - declaredAt).toBe(15 * 60_000);

    expect(core.cadence.remember({ cadence: TEAM, setBy: 'Ana', setAt: '2026-12-01T02:00:00.000Z' }, '2026-12-01T02:01:00.000Z')).toBe(true);
    expect(core.cadence.remember({ cadence: TEAM, setBy: 'Ana', setAt: '2026-12-01T02:00:00.000Z' }, '2026-12-01T02:06:00.000Z')).toBe(false);
    expect(core.cadence.effective()).toMatchObject({ source: 'team', cadence: TEAM, setBy: 'Ana', checkedAt: '2026-12-01T02:06:00.000Z' });
    expect(Date.parse(core.incidents.get(id).nextUpdateDueAt!) - declaredAt).toBe(5 * 60_000);

    // The team went back to the defaults: checked, and said so.
    expect(core.cadence.remember({ cadence: null, setBy: null, setAt: null }, '2026-12-01T03:00:00.000Z')).toBe(true);
    expect(core.cadence.effective()).toMatchObject({ source: 'defaults', cadence: DEFAULT_CADENCE, checkedAt: '2026-12-01T03:00:00.000Z' });
    expect(Date.parse(core.incidents.get(id).nextUpdateDueAt!) - declaredAt).toBe(15 * 60_000);
  });

  it('falls back to the defaults for a stored value it cannot read (written by a newer Conn)', () => {
    const core = setup();
    core.db.prepare("INSERT INTO team_settings (key, value, checked_at) VALUES ('update-cadence', ?, '2026-12-01T00:00:00Z')").run(JSON.stringify({ 1: { firstMin: 5, everyMin: 20, jitter: 2 } }));
    expect(core.cadence.effective()).toMatchObject({ source: 'defaults', cadence: DEFAULT_CADENCE, checkedAt: '2026-12-01T00:00:00Z' });
  });
});

import { describe, expect, it } from 'vitest';
import type { Milestone } from './events.js';
import { milestoneProblem } from './milestone-order.js';

const T0 = Date.UTC(2026, 10, 28, 13, 0);
const at = (min: number) => new Date(T0 + min * 60_000).toISOString();
const NOW = new Date(T0 + 120 * 60_000);
/** Declared at 13:00 UTC and acknowledged at 13:05; impact start follows detection. */
const declared: Record<Milestone, string | null> = { impactStartedAt: at(0), detectedAt: at(0), acknowledgedAt: at(5), mitigatedAt: null, resolvedAt: null };

describe('milestoneProblem', () => {
  it.each<{ name: string; current?: Partial<Record<Milestone, string | null>>; milestone: Milestone; at: string; problem: string | null }>([
    { name: 'back-dating detection moves the derived impact start with it', milestone: 'detectedAt', at: at(-20), problem: null },
    { name: 'an impact start before detection', milestone: 'impactStartedAt', at: at(-30), problem: null },
    { name: 'mitigated before anyone acknowledged (an autoscaler) is allowed', milestone: 'mitigatedAt', at: at(3), problem: null },
    { name: 'a minute ahead of this clock is allowed', milestone: 'mitigatedAt', at: new Date(NOW.getTime() + 30_000).toISOString(), problem: null },
    { name: 'a time still to come', milestone: 'mitigatedAt', at: at(180), problem: '2026-11-28 16:00 UTC is still to come: a milestone records when something happened' },
    {
      name: 'detection after acknowledgement',
      milestone: 'detectedAt',
      at: at(10),
      problem: 'detected at 2026-11-28 13:10 UTC would come after acknowledged (2026-11-28 13:05 UTC): give a time at or before it, or set acknowledged first',
    },
    {
      name: 'impact start after detection',
      milestone: 'impactStartedAt',
      at: at(1),
      problem: 'impact started at 2026-11-28 13:01 UTC would come after detected (2026-11-28 13:00 UTC): give a time at or before it, or set detected first',
    },
    {
      name: 'resolution before mitigation',
      current: { mitigatedAt: at(30) },
      milestone: 'resolvedAt',
      at: at(20),
      problem: 'resolved at 2026-11-28 13:20 UTC would come before mitigated (2026-11-28 13:30 UTC): give a time at or after it, or set mitigated first',
    },
    {
      name: 'a hand-set impact start is not moved by detection',
      current: { impactStartedAt: at(-10) },
      milestone: 'detectedAt',
      at: at(-15),
      problem: 'detected at 2026-11-28 12:45 UTC would come before impact started (2026-11-28 12:50 UTC): give a time at or after it, or set impact started first',
    },
  ])('$name', ({ current, milestone, at: when, problem }) => {
    expect(milestoneProblem({ ...declared, ...current }, milestone, when, NOW, 'UTC')).toBe(problem);
  });
});

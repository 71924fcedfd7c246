import { formatInZone } from '../time/zone.js';
import type { Milestone } from './events.js';

/** A minute of slack: a clock a little ahead of another should not refuse "now". */
export const FUTURE_SLACK_MS = 60_000;

/** The milestones as a sentence says them. */
export const MILESTONE_NAMES: Record<Milestone, string> = {
  impactStartedAt: 'impact started',
  detectedAt: 'detected',
  acknowledgedAt: 'acknowledged',
  mitigatedAt: 'mitigated',
  resolvedAt: 'resolved',
};

/**
 * Which milestone cannot come after which: impact begins before anyone notices it, someone
 * notices before acknowledging, and nothing is mitigated or resolved before impact began or
 * resolved before it was detected or mitigated. Acknowledged and mitigated are not ordered:
 * impact can be mitigated (a failover, an autoscaler) before a person acts.
 */
const ORDER: ReadonlyArray<readonly [Milestone, Milestone]> = [
  ['impactStartedAt', 'detectedAt'],
  ['detectedAt', 'acknowledgedAt'],
  ['impactStartedAt', 'mitigatedAt'],
  ['mitigatedAt', 'resolvedAt'],
  ['impactStartedAt', 'resolvedAt'],
  ['detectedAt', 'resolvedAt'],
];

/**
 * Why `milestone` cannot be set to `at` on an incident whose milestones are now `current`, as a
 * sentence in `zone`; null when it can. Refused: a time still to come, and a time that puts it
 * out of order with another milestone (whether derived or set by hand: the reports measure
 * between them). The derived impact start follows detection (shared/domain/fold.ts), so it moves
 * with a back-dated detection instead of blocking it.
 */
export function milestoneProblem(current: Record<Milestone, string | null>, milestone: Milestone, at: string, now: Date, zone: string): string | null {
  const when = (iso: string) => formatInZone(iso, zone, { seconds: false });
  const t = Date.parse(at);
  if (!Number.isFinite(t)) return `cannot read "${at}" as a time`;
  if (t > now.getTime() + FUTURE_SLACK_MS) return `${when(at)} is still to come: a milestone records when something happened`;
  const next = { ...current, [milestone]: new Date(t).toISOString() };
  if (milestone === 'detectedAt' && current.impactStartedAt !== null && current.impactStartedAt === current.detectedAt) next.impactStartedAt = next.detectedAt;
  for (const [before, after] of ORDER) {
    if (before !== milestone && after !== milestone) continue;
    const a = next[before];
    const b = next[after];
    if (a === null || b === null || Date.parse(a) <= Date.parse(b)) continue;
    const other = before === milestone ? after : before;
    const relation = before === milestone ? 'after' : 'before';
    return `${MILESTONE_NAMES[milestone]} at ${when(at)} would come ${relation} ${MILESTONE_NAMES[other]} (${when(next[other]!)}): give a time ${relation === 'after' ? 'at or before' : 'at or after'} it, or set ${MILESTONE_NAMES[other]} first`;
  }
  return null;
}

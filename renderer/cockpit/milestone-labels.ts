import type { Milestone } from '../../shared/domain/events.js';

/** The milestones as people say them, in the cockpit, its dialog and the palette. */
export const MILESTONE_LABELS: Record<Milestone, string> = {
  impactStartedAt: 'Impact started',
  detectedAt: 'Detected',
  acknowledgedAt: 'Acknowledged',
  mitigatedAt: 'Mitigated',
  resolvedAt: 'Resolved',
};

import type { IncidentState } from '../../shared/domain/fold.js';
import { MILESTONES, type Milestone } from '../../shared/domain/events.js';
import { Time } from '../time/Time.js';

const LABELS: Record<Milestone, string> = {
  impactStartedAt: 'Impact started',
  detectedAt: 'Detected',
  acknowledgedAt: 'Acknowledged',
  mitigatedAt: 'Mitigated',
  resolvedAt: 'Resolved',
};

export function Milestones({ incident }: { incident: IncidentState }) {
  return (
    <section className="panel" aria-labelledby="milestones-heading">
      <h2 id="milestones-heading">Milestones</h2>
      <dl className="milestones">
        {MILESTONES.map((m) => (
          <div key={m}>
            <dt>{LABELS[m]}</dt>
            <dd>{incident.milestones[m] ? <Time iso={incident.milestones[m]} /> : '—'}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

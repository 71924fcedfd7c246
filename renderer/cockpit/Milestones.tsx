import type { IncidentState } from '../../shared/domain/fold.js';
import { MILESTONES } from '../../shared/domain/events.js';
import { useUiStore } from '../stores/ui-store.js';
import { Time } from '../time/Time.js';
import { MILESTONE_LABELS } from './milestone-labels.js';

/**
 * The incident's milestones, from its history (status changes, the first commander) unless
 * someone set one by hand: "Set" opens a dialog to record or back-date it ("impact began at
 * 09:12, before anyone noticed").
 */
export function Milestones({ incident }: { incident: IncidentState }) {
  const setMilestoneOpen = useUiStore((s) => s.setMilestoneOpen);
  return (
    <section className="panel" aria-labelledby="milestones-heading">
      <h2 id="milestones-heading">Milestones</h2>
      <dl className="milestones">
        {MILESTONES.map((m) => (
          <div key={m}>
            <dt>{MILESTONE_LABELS[m]}</dt>
            <dd>
              <span className="milestone-at">{incident.milestones[m] ? <Time iso={incident.milestones[m]} /> : '—'}</span>
              <button type="button" aria-label={`Set ${MILESTONE_LABELS[m]} time`} onClick={() => setMilestoneOpen(m)}>
                Set
              </button>
            </dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

import { useCockpitStore } from '../stores/cockpit-store.js';
import { Composer } from '../timeline/Composer.js';
import { Timeline } from '../timeline/Timeline.js';
import { TimelineFilters } from '../timeline/TimelineFilters.js';
import { ActionsPanel } from './ActionsPanel.js';
import { CockpitHeader } from './CockpitHeader.js';
import { HandoffOffers } from './HandoffOffers.js';
import { HypothesesPanel } from './HypothesesPanel.js';
import { Milestones } from './Milestones.js';
import { RolesRoster } from './RolesRoster.js';
import { SummaryPanel } from './SummaryPanel.js';
import { RunbookPanel } from '../runbooks/RunbookPanel.js';
import { DeliveryWatch } from '../updates/DeliveryWatch.js';
import { CallBar } from '../calls/CallBar.js';
import { SimilarIncidents } from '../search/SimilarIncidents.js';

/** One incident: its state on the side, its timeline and composer in the middle. */
export function Cockpit() {
  const { incident, error } = useCockpitStore();
  if (!incident) return <p className="loading">{error ?? 'Opening the incident…'}</p>;
  return (
    <article className="cockpit" aria-label={`Incident ${incident.ref}`}>
      <CockpitHeader incident={incident} />
      <DeliveryWatch incidentId={incident.id} updatesPosted={incident.updatesPosted} />
      <CallBar incident={incident} />
      {error && <p role="alert">{error}</p>}
      <div className="cockpit-body">
        <div className="cockpit-main">
          <TimelineFilters />
          <Timeline />
          <Composer />
        </div>
        <aside className="cockpit-side" aria-label="Incident details">
          <SummaryPanel incident={incident} />
          <HandoffOffers incident={incident} />
          <RolesRoster incident={incident} />
          <Milestones incident={incident} />
          <ActionsPanel incident={incident} />
          <HypothesesPanel incident={incident} />
          <RunbookPanel incident={incident} />
          <SimilarIncidents incident={incident} />
        </aside>
      </div>
    </article>
  );
}

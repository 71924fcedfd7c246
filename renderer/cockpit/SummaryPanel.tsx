import type { IncidentState } from '../../shared/domain/fold.js';
import { Markdown } from '../timeline/Markdown.js';

/**
 * The incident's summary, for whoever joins late: Markdown from anyone on the team, rendered
 * sanitised like timeline entries. It is written with "Edit incident" (header or palette).
 */
export function SummaryPanel({ incident }: { incident: IncidentState }) {
  return (
    <section className="panel summary-panel" aria-labelledby="summary-heading">
      <h2 id="summary-heading">Summary</h2>
      {incident.summary ? <Markdown text={incident.summary} /> : <p className="muted">No summary yet: Edit incident adds one.</p>}
    </section>
  );
}

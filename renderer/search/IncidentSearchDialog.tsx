import type { IncidentSearchHit } from '../../shared/search/results.js';
import { rpc } from '../api/client.js';
import { SeverityBadge } from '../incidents/SeverityBadge.js';
import { Snippet } from '../runbooks/Snippet.js';
import { openIncident } from '../stores/navigation.js';
import { useTimelineStore } from '../stores/timeline-store.js';
import { Time } from '../time/Time.js';
import { SearchDialog } from './SearchDialog.js';

const searchIncidents = (query: string) => rpc().call('search.incidents', { query, asYouType: true });
// A keystroke ranks a broad query among its newest matches to stay within a frame; once typing
// pauses, the same words are ranked over every incident, so the list a person stops on is complete.
const settleIncidents = (query: string) => rpc().call('search.incidents', { query, asYouType: true, rankEveryMatch: true });

/** Opens the incident, at the entry that matched when the match was an entry. */
function openAt(hit: IncidentSearchHit): void {
  openIncident(hit.incidentId);
  if (hit.match.kind === 'entry') void useTimelineStore.getState().jumpTo({ hlc: hit.match.hlc, id: hit.match.entryId });
}

/**
 * "Search incidents…": every incident, past ones included, by the words of its title, summary,
 * services, entries, minutes and retrospective, best match first.
 */
export function IncidentSearchDialog() {
  return (
    <SearchDialog
      which="incidents"
      label="Search incidents"
      placeholder="Words from a title, an entry, minutes, a retrospective…"
      empty="No incident matches."
      search={searchIncidents}
      settle={settleIncidents}
      hitsOf={(hits: IncidentSearchHit[]) => hits}
      keyOf={(h) => h.incidentId}
      onPick={openAt}
      render={(h) => (
        <>
          <span className="search-hit-meta">
            <SeverityBadge severity={h.severity} /> <strong>{h.ref}</strong> {h.title} · {h.status}
            {h.declaredAt && (
              <>
                {' '}
                · <Time iso={h.declaredAt} />
              </>
            )}
          </span>
          <Snippet segments={h.snippet} />
        </>
      )}
    />
  );
}

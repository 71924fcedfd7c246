import { useCallback } from 'react';
import type { TimelineSearchResult } from '../../shared/search/results.js';
import { rpc } from '../api/client.js';
import { Snippet } from '../runbooks/Snippet.js';
import { useCockpitStore } from '../stores/cockpit-store.js';
import { useTimelineStore } from '../stores/timeline-store.js';
import { Time } from '../time/Time.js';
import { SearchDialog } from './SearchDialog.js';

/**
 * "/" in the cockpit: the open incident's entries, searched in the core as you type (FTS5, the
 * matched words highlighted). Picking a hit jumps the timeline to it, however far back
 * (timeline-store's jumpTo loads the window around it).
 */
export function TimelineSearchDialog() {
  const incidentId = useCockpitStore((s) => s.incident?.id ?? null);
  const search = useCallback(
    (query: string): Promise<TimelineSearchResult> => rpc().call('timeline.search', { incidentId: incidentId ?? '', query, asYouType: true }),
    [incidentId],
  );
  return (
    <SearchDialog
      which="timeline"
      label="Search this timeline"
      available={incidentId !== null}
      placeholder="Words from an entry…"
      empty="No entry matches."
      search={search}
      hitsOf={(r) => r.hits}
      keyOf={(h) => h.id}
      onPick={(h) => void useTimelineStore.getState().jumpTo({ hlc: h.hlc, id: h.id })}
      render={(h) => (
        <>
          <span className="search-hit-meta">
            <Time iso={h.at} /> {h.author}
          </span>
          <Snippet segments={h.snippet} />
        </>
      )}
      footer={(r) =>
        r.total > r.hits.length && (
          <p className="muted">
            The newest {r.hits.length} of {r.total} matches; add a word to narrow it.
          </p>
        )
      }
    />
  );
}

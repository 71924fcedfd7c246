import { useEffect, useState } from 'react';
import type { EventKind } from '../../shared/domain/events.js';
import { useTimelineStore } from '../stores/timeline-store.js';

const KIND_CHOICES: Array<{ label: string; kinds: EventKind[] }> = [
  { label: 'Notes', kinds: ['note'] },
  { label: 'Decisions', kinds: ['decision'] },
  { label: 'Hypotheses', kinds: ['hypothesis', 'hypothesis.updated'] },
  { label: 'Actions', kinds: ['action.added', 'action.updated'] },
  { label: 'Status and severity', kinds: ['status.changed', 'severity.changed', 'incident.declared'] },
];

/** Narrows the timeline on the core's side: a filter is a new keyset query, not a client filter. */
export function TimelineFilters() {
  const { filters, setFilters } = useTimelineStore();
  const [author, setAuthor] = useState(filters.author);
  const chosen = new Set(filters.kinds);
  // "Clear filters" (under an empty result) resets the store; the box follows it.
  useEffect(() => setAuthor(filters.author), [filters.author]);

  const toggle = (kinds: EventKind[]) => {
    const on = kinds.every((k) => chosen.has(k));
    const next = on ? filters.kinds.filter((k) => !kinds.includes(k)) : [...new Set([...filters.kinds, ...kinds])];
    void setFilters({ ...filters, kinds: next });
  };

  return (
    <fieldset className="filters">
      <legend>Show</legend>
      {KIND_CHOICES.map((c) => (
        <label key={c.label} className="chip">
          <input type="checkbox" checked={c.kinds.every((k) => chosen.has(k))} onChange={() => toggle(c.kinds)} />
          {c.label}
        </label>
      ))}
      <label className="chip">
        <input type="checkbox" checked={filters.pinnedOnly} onChange={(e) => void setFilters({ ...filters, pinnedOnly: e.target.checked })} />
        Pinned only
      </label>
      <label>
        Author
        <input
          value={author}
          placeholder="anyone"
          onChange={(e) => setAuthor(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') void setFilters({ ...filters, author });
          }}
          onBlur={() => author !== filters.author && void setFilters({ ...filters, author })}
        />
      </label>
    </fieldset>
  );
}

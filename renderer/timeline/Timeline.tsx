import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useLayoutEffect, useRef } from 'react';
import { useJumpToTarget } from '../search/use-jump-to-target.js';
import { useTimelineStore } from '../stores/timeline-store.js';
import { TimelineEntry } from './TimelineEntry.js';

/** Start fetching the next window when the reader is this many rows from a loaded end. */
const PREFETCH_ROWS = 20;

/**
 * The timeline, virtualised: only the rows on screen are in the DOM, and only the keyset
 * windows near the reader are in memory. Newest at the bottom; a reader at the bottom stays
 * there as entries arrive, a reader scrolled up keeps their place.
 */
export function Timeline() {
  const { items, hasBefore, hasAfter, loadOlder, loadNewer, shift, newBelow, jumpToNewest } = useTimelineStore();
  const parentRef = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const lastShift = useRef(shift.seq);

  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => parentRef.current,
    estimateSize: () => 72,
    overscan: 8,
    getItemKey: (i) => items[i]!.id,
  });
  const rows = virtualizer.getVirtualItems();

  // Rows added or dropped above the reader: move by as many rows so the same entry stays put.
  useLayoutEffect(() => {
    if (shift.seq === lastShift.current) return;
    lastShift.current = shift.seq;
    // The first row on screen, not the first rendered one: those include the overscan above it.
    const offset = virtualizer.scrollOffset ?? 0;
    const first = virtualizer.getVirtualItems().find((v) => v.end > offset)?.index ?? 0;
    virtualizer.scrollToIndex(Math.max(0, first + shift.rows), { align: 'start' });
  }, [shift, virtualizer]);

  // Follow the newest entry while the reader is at the bottom.
  useLayoutEffect(() => {
    if (atBottom.current && items.length > 0) virtualizer.scrollToIndex(items.length - 1, { align: 'end' });
  }, [items.length, virtualizer]);

  // A search's hit, however far back: on screen, focused, and no longer following the newest.
  useJumpToTarget(virtualizer, items, parentRef, () => (atBottom.current = false));

  const first = rows[0]?.index;
  const last = rows[rows.length - 1]?.index;
  useEffect(() => {
    if (first === undefined || last === undefined) return;
    if (hasBefore && first < PREFETCH_ROWS) void loadOlder();
    else if (hasAfter && last > items.length - PREFETCH_ROWS) void loadNewer();
  }, [first, last, hasBefore, hasAfter, items.length, loadOlder, loadNewer]);

  return (
    <div className="timeline-wrap">
      <div
        ref={parentRef}
        className="timeline-scroll"
        tabIndex={0}
        role="region"
        aria-label="Timeline entries"
        onScroll={(e) => {
          const el = e.currentTarget;
          atBottom.current = !hasAfter && el.scrollHeight - el.scrollTop - el.clientHeight < 40;
        }}
      >
        <div role="list" aria-label="Timeline" aria-busy={items.length === 0 && hasBefore} style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {rows.map((row) => (
            <div
              key={row.key}
              role="listitem"
              data-index={row.index}
              ref={virtualizer.measureElement}
              className="timeline-row"
              style={{ position: 'absolute', top: 0, left: 0, right: 0, transform: `translateY(${row.start}px)` }}
            >
              <TimelineEntry item={items[row.index]!} />
            </div>
          ))}
        </div>
        {items.length === 0 && <p className="empty">Nothing here yet. Type below and press Enter.</p>}
      </div>
      {newBelow && (
        <button type="button" className="new-below" onClick={() => void jumpToNewest()}>
          New entries below — jump to newest
        </button>
      )}
    </div>
  );
}

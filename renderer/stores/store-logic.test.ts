import { describe, expect, it } from 'vitest';
import type { TimelineItem } from '../../shared/domain/fold.js';
import { sortIncidents } from './incidents-store.js';
import { syncMode } from './sync-store.js';
import { mergeLive } from './timeline-store.js';
import type { IncidentListItem } from './incidents-store.js';

const item = (n: number, text = `entry ${n}`, extra: Partial<TimelineItem> = {}): TimelineItem => ({
  id: `00000000-0000-7000-8000-${String(n).padStart(12, '0')}`,
  incidentId: 'i',
  kind: 'note',
  hlc: `${String(1_700_000_000_000 + n).padStart(13, '0')}-00000`,
  at: new Date(1_700_000_000_000 + n).toISOString(),
  author: { id: 'a', name: 'A' },
  text,
  pinned: false,
  edited: false,
  redacted: false,
  redactedReason: null,
  editedBy: null,
  refused: null,
  ...extra,
});

describe('mergeLive', () => {
  it('appends rows newer than the last loaded one, in timeline order', () => {
    const merged = mergeLive([item(1), item(2)], [item(2), item(3), item(4)]);
    expect(merged.map((r) => r.text)).toEqual(['entry 1', 'entry 2', 'entry 3', 'entry 4']);
  });

  it('replaces loaded rows that were edited, pinned or redacted', () => {
    const merged = mergeLive([item(1), item(2)], [item(1, '', { redacted: true }), item(2, 'entry 2', { pinned: true })]);
    expect(merged[0]!.redacted).toBe(true);
    expect(merged[1]!.pinned).toBe(true);
  });

  it('places entries that arrive late (written offline) where they happened, not at the end', () => {
    const merged = mergeLive([item(1), item(2), item(5)], [item(2), item(3), item(4), item(5)]);
    expect(merged.map((r) => r.text)).toEqual(['entry 1', 'entry 2', 'entry 3', 'entry 4', 'entry 5']);
  });

  it('keeps loaded rows older than the fresh window', () => {
    const merged = mergeLive([item(1), item(2), item(3)], [item(3), item(4)]);
    expect(merged.map((r) => r.text)).toEqual(['entry 1', 'entry 2', 'entry 3', 'entry 4']);
  });
});

describe('syncMode', () => {
  it('is offline whenever the window has lost its core, whatever the hub says', () => {
    expect(syncMode(false, { state: 'online', pending: 0 })).toBe('offline');
  });

  it('is offline while the hub is unreachable or being retried', () => {
    expect(syncMode(true, { state: 'offline', pending: 3 })).toBe('offline');
    expect(syncMode(true, { state: 'connecting', pending: 0 })).toBe('offline');
    expect(syncMode(true, { state: 'error', pending: 0 })).toBe('offline');
  });

  it('is syncing while connected with entries still to send, online once drained', () => {
    expect(syncMode(true, { state: 'online', pending: 2 })).toBe('syncing');
    expect(syncMode(true, { state: 'online', pending: 0, syncing: true })).toBe('syncing');
    expect(syncMode(true, { state: 'online', pending: 0 })).toBe('online');
  });

  it('is local when no hub is configured', () => {
    expect(syncMode(true, { state: 'disabled', pending: 4 })).toBe('local');
  });
});

describe('sortIncidents', () => {
  const inc = (id: string, severity: 1 | 2 | 3, status: IncidentListItem['status'], declaredAt: string): IncidentListItem => ({
    id,
    ref: id,
    title: id,
    severity,
    status,
    declaredAt,
    updatedAt: null,
    eventCount: 1,
  });

  it('puts active incidents first, then the worst severity, then the newest', () => {
    const sorted = sortIncidents([
      inc('resolved-sev1', 1, 'resolved', '2026-01-03T00:00:00Z'),
      inc('old-sev2', 2, 'investigating', '2026-01-01T00:00:00Z'),
      inc('new-sev2', 2, 'triage', '2026-01-02T00:00:00Z'),
      inc('sev1', 1, 'monitoring', '2026-01-01T00:00:00Z'),
    ]);
    expect(sorted.map((i) => i.id)).toEqual(['sev1', 'new-sev2', 'old-sev2', 'resolved-sev1']);
  });
});

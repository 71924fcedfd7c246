import { describe, expect, it } from 'vitest';
import type { SyncStatus } from '../../shared/api/results.js';
import { syncExplanation } from './sync-explanation.js';

const status = (s: Partial<SyncStatus>): SyncStatus => ({ state: 'disabled', pending: 0, rejected: 0, syncing: false, ...s }) as SyncStatus;

describe('the sync badge explains itself', () => {
  it('says what "Local only · 60 pending" means', () => {
    const text = syncExplanation(true, status({ state: 'disabled', pending: 60 }));
    expect(text).toMatch(/^Local only: no hub is configured/);
    expect(text).toContain('60 pending: entries saved on this machine that the hub has not acknowledged yet');
  });

  it('tells a lost core from an unreachable hub', () => {
    expect(syncExplanation(false, status({ state: 'online' }))).toMatch(/lost its connection to Conn on this machine/);
    expect(syncExplanation(true, status({ state: 'offline', hub: 'http://hub:7340', pending: 1 }))).toMatch(
      /^Offline: the hub at http:\/\/hub:7340 cannot be reached\. .* 1 pending: an entry saved/,
    );
  });

  it('says when everything has reached the hub', () => {
    expect(syncExplanation(true, status({ state: 'online', hub: 'http://hub:7340' }))).toBe('Online: in sync with the hub at http://hub:7340; everything saved here has reached it.');
  });
});

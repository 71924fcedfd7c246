import { useCockpitStore } from './cockpit-store.js';
import { useTimelineStore } from './timeline-store.js';
import { useUiStore } from './ui-store.js';

/**
 * Opens an incident's cockpit and puts the caret in the composer: the next thing an IC does
 * is write. The id goes into the hash so a reload (or a conn:// deep link) lands here again.
 */
export function openIncident(id: string): void {
  // A dialog about the incident being left (a conn:// link can arrive while one is open) must
  // not stay open, invisible, over the next one, keeping the page inert.
  useUiStore.getState().closeIncidentDialogs();
  useUiStore.getState().setView('cockpit');
  void useCockpitStore.getState().open(id);
  void useTimelineStore.getState().open(id);
  if (window.location.hash !== `#/incident/${id}`) window.history.replaceState(null, '', `#/incident/${id}`);
  useUiStore.getState().focusComposer();
}

export function incidentFromHash(hash: string): string | null {
  const m = /^#\/incident\/([0-9a-fA-F-]{36})$/.exec(hash);
  return m ? m[1]! : null;
}

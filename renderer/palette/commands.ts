import { SEVERITIES } from '../../shared/domain/severity.js';
import { STATUSES } from '../../shared/domain/status.js';
import { useCockpitStore } from '../stores/cockpit-store.js';
import { useIncidentsStore } from '../stores/incidents-store.js';
import { useUiStore } from '../stores/ui-store.js';

export interface PaletteCommand {
  id: string;
  label: string;
  group: 'Actions' | 'Incident' | 'Go to';
  shortcut?: string;
  run(): void;
}

/**
 * Everything the palette offers, built from the stores at the moment it opens. Shortcuts
 * listed here are the ones handled in shortcuts.ts.
 */
export function paletteCommands(openIncident: (id: string) => void): PaletteCommand[] {
  const ui = useUiStore.getState();
  const cockpit = useCockpitStore.getState();
  const out: PaletteCommand[] = [
    { id: 'declare', label: 'Declare incident', group: 'Actions', shortcut: 'N', run: () => ui.setDeclareOpen(true) },
    { id: 'utc', label: ui.showUtc ? 'Show times in my zone' : 'Show times in UTC', group: 'Actions', shortcut: 'U', run: ui.toggleUtc },
    { id: 'wall', label: ui.view === 'wall' ? 'Leave wall view' : 'Wall view: all active incidents', group: 'Go to', shortcut: 'W', run: ui.toggleWall },
    { id: 'list', label: 'Incident list', group: 'Go to', shortcut: 'L', run: () => ui.setView('list') },
    { id: 'hub', label: 'Connect to a hub…', group: 'Actions', run: () => ui.setHubOpen(true) },
  ];
  if (cockpit.incident && ui.view === 'cockpit') {
    const inc = cockpit.incident;
    out.push({ id: 'compose', label: 'Add to timeline', group: 'Incident', shortcut: 'C', run: ui.focusComposer });
    for (const s of STATUSES) {
      if (s !== inc.status) out.push({ id: `status-${s}`, label: `Set status: ${s}`, group: 'Incident', run: () => void cockpit.append('status.changed', { status: s }).catch(() => {}) });
    }
    for (const s of SEVERITIES) {
      if (s !== inc.severity) out.push({ id: `sev-${s}`, label: `Set severity: SEV${s}`, group: 'Incident', run: () => void cockpit.append('severity.changed', { severity: s }).catch(() => {}) });
    }
  }
  for (const i of useIncidentsStore.getState().incidents) {
    out.push({ id: `open-${i.id}`, label: `Open ${i.ref}: ${i.title} (SEV${i.severity}, ${i.status})`, group: 'Go to', run: () => openIncident(i.id) });
  }
  return out;
}

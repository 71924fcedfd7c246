import { MILESTONES } from '../../shared/domain/events.js';
import { SEVERITIES } from '../../shared/domain/severity.js';
import { STATUSES } from '../../shared/domain/status.js';
import { useChangeStore } from '../changes/change-store.js';
import { MILESTONE_LABELS } from '../cockpit/milestone-labels.js';
import { useCockpitStore } from '../stores/cockpit-store.js';
import { useDigestStore } from '../stores/digest-store.js';
import { useIncidentsStore } from '../stores/incidents-store.js';
import { useSearchStore } from '../search/search-store.js';
import { useUiStore } from '../stores/ui-store.js';
import type { RankableCommand } from './rank-commands.js';
import { useUpdatesStore } from '../updates/updates-store.js';

export interface PaletteCommand extends RankableCommand {
  group: 'Actions' | 'Incident' | 'Go to';
  shortcut?: string;
  run(): void;
}

/**
 * Everything the palette offers, built from the stores at the moment it opens. Shortcuts
 * listed here are the ones handled in shortcuts.ts. Commands that write to the incident carry
 * a `target` (see rank-commands.ts) and go through the change store, which asks before
 * resolving, closing or lowering severity and offers undo afterwards.
 */
export function paletteCommands(openIncident: (id: string) => void): PaletteCommand[] {
  const ui = useUiStore.getState();
  const cockpit = useCockpitStore.getState();
  const out: PaletteCommand[] = [
    { id: 'declare', label: 'Declare incident', keywords: ['new'], group: 'Actions', shortcut: 'N', run: () => ui.setDeclareOpen(true) },
    { id: 'utc', label: ui.showUtc ? 'Show times in my zone' : 'Show times in UTC', keywords: ['utc', 'zone', 'time'], group: 'Actions', shortcut: 'U', run: ui.toggleUtc },
    { id: 'wall', label: ui.view === 'wall' ? 'Leave wall view' : 'Wall view: all active incidents', group: 'Go to', shortcut: 'W', run: ui.toggleWall },
    { id: 'list', label: 'Incident list', group: 'Go to', shortcut: 'L', run: () => ui.setView('list') },
    { id: 'followup', label: 'Follow-up: open action items', keywords: ['actions', 'todo', 'remediation', 'overdue', 'mine'], group: 'Go to', run: () => ui.setView('followup') },
    { id: 'reports', label: 'Reports', keywords: ['mttr', 'mtta', 'mttd', 'mttm', 'slo', 'uptime', 'metrics', 'detect', 'acknowledge', 'mitigate', 'resolve', 'charts'], group: 'Go to', run: () => ui.setView('reports') },
    { id: 'profile', label: 'Edit my profile…', keywords: ['name', 'zone', 'timezone', 'hours', 'me'], group: 'Actions', run: () => ui.setProfileOpen(true) },
    { id: 'shortcuts', label: 'Keyboard shortcuts', keywords: ['keys', 'help'], group: 'Go to', shortcut: '?', run: () => ui.setHelpOpen(true) },
    { id: 'hub', label: 'Connect to a hub…', keywords: ['sync'], group: 'Actions', run: () => ui.setHubOpen(true) },
    {
      id: 'digest',
      label: 'While you were away',
      keywords: ['digest', 'catch', 'up', 'since', 'missed', 'away'],
      group: 'Go to',
      run: () => {
        void useDigestStore.getState().load();
        ui.setView('digest');
      },
    },
    { id: 'search-incidents', label: 'Search incidents…', keywords: ['find', 'past', 'minutes', 'retrospective'], group: 'Go to', run: () => useSearchStore.getState().setOpen('incidents') },
  ];
  if (cockpit.incident && ui.view === 'cockpit') {
    const inc = cockpit.incident;
    const base = { incidentId: inc.id, ref: inc.ref };
    out.push(
      { id: 'compose', label: 'Add to timeline', keywords: ['note', 'write', 'composer'], group: 'Incident', shortcut: 'C', run: ui.focusComposer },
      { id: 'search-timeline', label: 'Search this timeline…', keywords: ['find', 'entry', 'older'], group: 'Incident', shortcut: '/', run: () => useSearchStore.getState().setOpen('timeline') },
      { id: 'change-status', label: 'Change status…', keywords: ['set', 'status'], group: 'Incident', shortcut: 'S', run: () => ui.setChooser('status') },
      { id: 'change-severity', label: 'Change severity…', keywords: ['set', 'severity', 'sev', 'level', 'lower', 'raise'], group: 'Incident', shortcut: 'V', run: () => ui.setChooser('severity') },
      {
        id: 'assign-role',
        label: 'Assign a role…',
        keywords: ['roles', 'commander', 'ic', 'deputy', 'comms', 'scribe', 'ops', 'hand', 'over', 'handover'],
        group: 'Incident',
        run: () => ui.setRoleOpen(true),
      },
      {
        id: 'post-update',
        label: 'Post update…',
        keywords: ['stakeholder', 'update', 'comms', 'status', 'page', 'announce', 'draft'],
        group: 'Incident',
        run: () => useUpdatesStore.getState().setDialogOpen(true),
      },
      {
        id: 'hand-off',
        label: 'Hand off…',
        keywords: ['handoff', 'handover', 'offer', 'role', 'commander', 'conn', 'brief', 'relieve'],
        group: 'Incident',
        run: () => ui.setHandoffOpen(true),
      },
      {
        id: 'retro',
        label: 'Retrospective…',
        keywords: ['retro', 'postmortem', 'post-mortem', 'review', 'publish', 'export', 'pdf', 'factors'],
        group: 'Incident',
        run: () => ui.setView('retro'),
      },
      {
        id: 'edit-incident',
        label: 'Edit incident…',
        keywords: ['title', 'rename', 'summary', 'services', 'service', 'describe'],
        group: 'Incident',
        run: () => ui.setEditOpen(true),
      },
    );
    // Each opens a dialog on the milestone's time: a write only once a time is confirmed there.
    for (const m of MILESTONES) {
      const label = MILESTONE_LABELS[m];
      out.push({ id: `milestone-${m}`, label: `Set milestone: ${label}…`, keywords: ['milestone', 'time', 'back-date', 'backdate', 'when'], group: 'Incident', run: () => ui.setMilestoneOpen(m) });
    }
    for (const s of STATUSES) {
      if (s === inc.status) continue;
      const change = { ...base, field: 'status' as const, from: inc.status, to: s };
      out.push({ id: `status-${s}`, label: `Set status: ${s}`, target: [s], group: 'Incident', run: () => void useChangeStore.getState().request(change) });
    }
    for (const s of SEVERITIES) {
      if (s === inc.severity) continue;
      const change = { ...base, field: 'severity' as const, from: inc.severity, to: s };
      out.push({ id: `sev-${s}`, label: `Set severity: SEV${s}`, target: [`sev${s}`, String(s)], group: 'Incident', run: () => void useChangeStore.getState().request(change) });
    }
  }
  for (const i of useIncidentsStore.getState().incidents) {
    out.push({ id: `open-${i.id}`, label: `Open ${i.ref}: ${i.title} (SEV${i.severity}, ${i.status})`, group: 'Go to', run: () => openIncident(i.id) });
  }
  return out;
}

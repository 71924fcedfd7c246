import { useEffect } from 'react';
import { CallDialogs } from './calls/CallDialogs.js';
import { PlannedCallAlerts } from './calls/PlannedCallAlerts.js';
import { ConfirmChangeDialog } from './changes/ConfirmChangeDialog.js';
import { FieldChooser } from './changes/FieldChooser.js';
import { UndoToast } from './changes/UndoToast.js';
import { ActionDialog } from './cockpit/ActionDialog.js';
import { Cockpit } from './cockpit/Cockpit.js';
import { HandoffDialog } from './cockpit/HandoffDialog.js';
import { DigestButton, DigestView } from './digest/DigestView.js';
import { MilestoneDialog } from './cockpit/MilestoneDialog.js';
import { RoleDialog } from './cockpit/RoleDialog.js';
import { useAnyModalOpen } from './dialogs/modal-state.js';
import { DeclareDialog } from './incidents/DeclareDialog.js';
import { EditIncidentDialog } from './incidents/EditIncidentDialog.js';
import { PostUpdateDialog } from './updates/PostUpdateDialog.js';
import { FollowUpView } from './followup/FollowUpView.js';
import { IncidentList } from './incidents/IncidentList.js';
import { WallView } from './incidents/WallView.js';
import { CommandPalette } from './palette/CommandPalette.js';
import { RunbookLibrary } from './runbooks/RunbookLibrary.js';
import { RetroEditor } from './retro/RetroEditor.js';
import { ReportsView } from './reports/ReportsView.js';
import { IncidentSearchDialog } from './search/IncidentSearchDialog.js';
import { useSearchStore } from './search/search-store.js';
import { TimelineSearchDialog } from './search/TimelineSearchDialog.js';
import { useShortcuts } from './palette/shortcuts.js';
import { useDigestStore } from './stores/digest-store.js';
import { useIncidentsStore } from './stores/incidents-store.js';
import { openIncident } from './stores/navigation.js';
import { useProfileStore, viewerZone } from './stores/profile-store.js';
import { useUiStore } from './stores/ui-store.js';
import { HubDialog } from './sync/HubDialog.js';
import { OfflineBanner } from './sync/OfflineBanner.js';
import { ShortcutsHelp } from './keyboard/ShortcutsHelp.js';
import { ProfileDialog } from './profile/ProfileDialog.js';
import { SyncIndicator } from './sync/SyncIndicator.js';

export function App() {
  useShortcuts();
  const { view, showUtc, declareOpen, setView, toggleUtc, toggleWall, setDeclareOpen, setPaletteOpen } = useUiStore();
  const profile = useProfileStore((s) => s.profile);
  const profileChosen = useProfileStore((s) => s.chosen);
  const setProfileOpen = useUiStore((s) => s.setProfileOpen);
  const modal = useAnyModalOpen();
  const digestOnList = useDigestStore((s) => s.onList);

  useEffect(() => {
    if (!declareOpen) void useIncidentsStore.getState().refresh();
  }, [declareOpen]);

  // First run: nobody has chosen the profile yet, so ask before the first entry is signed.
  useEffect(() => {
    if (profileChosen === false) setProfileOpen(true);
  }, [profileChosen, setProfileOpen]);

  return (
    <>
      {/* While a modal is open the page behind it is inert and hidden from assistive tech. */}
      <div className="app" aria-hidden={modal || undefined} inert={modal}>
        <header className="topbar">
          <span className="brand">Conn</span>
          <nav aria-label="Views">
            <button type="button" aria-current={view === 'list' ? 'page' : undefined} onClick={() => setView('list')}>
              Incidents
            </button>
            <button type="button" aria-pressed={view === 'wall'} onClick={toggleWall}>
              Wall view
            </button>
            <button type="button" aria-current={view === 'runbooks' ? 'page' : undefined} onClick={() => setView('runbooks')}>
              Runbooks
            </button>
            <DigestButton />
            <button type="button" aria-current={view === 'followup' ? 'page' : undefined} onClick={() => setView('followup')}>
              Follow-up
            </button>
            <button type="button" aria-current={view === 'reports' ? 'page' : undefined} onClick={() => setView('reports')}>
              Reports
            </button>
            <button type="button" onClick={() => useSearchStore.getState().setOpen('incidents')}>
              Search
            </button>
          </nav>
          <button type="button" className="primary" onClick={() => setDeclareOpen(true)}>
            Declare incident
          </button>
          <button type="button" aria-pressed={showUtc} onClick={toggleUtc} title={`Times are shown in ${showUtc ? 'UTC' : viewerZone(profile)}`}>
            UTC
          </button>
          <button type="button" onClick={() => setPaletteOpen(true)} aria-keyshortcuts="Control+K">
            Commands <kbd>Ctrl K</kbd>
          </button>
          <button type="button" className="who" title="Your profile: name, time zone, working hours" onClick={() => setProfileOpen(true)}>
            {profile ? `${profile.name} · ${showUtc ? 'UTC' : profile.timeZone}` : 'Profile'}
          </button>
          <SyncIndicator />
        </header>
        <PlannedCallAlerts />
        <OfflineBanner />
        <main>
          {view === 'digest' || (view === 'list' && digestOnList) ? <DigestView /> : null}
          {view === 'digest' ? null : view === 'runbooks' ? <RunbookLibrary /> : view === 'followup' ? <FollowUpView /> : view === 'retro' ? <RetroEditor /> : view === 'reports' ? <ReportsView /> : view === 'cockpit' ? <Cockpit /> : view === 'wall' ? <WallView onOpen={openIncident} /> : <IncidentList onOpen={openIncident} />}
        </main>
      </div>
      <DeclareDialog
        open={declareOpen}
        onClose={() => setDeclareOpen(false)}
        onDeclared={(id) => {
          setDeclareOpen(false);
          openIncident(id);
        }}
      />
      <CommandPalette openIncident={openIncident} />
      <HubDialog />
      <FieldChooser />
      <RoleDialog />
      <CallDialogs />
      <HandoffDialog />
      <EditIncidentDialog />
      <PostUpdateDialog />
      <MilestoneDialog />
      <ActionDialog />
      <ConfirmChangeDialog />
      <UndoToast />
      <TimelineSearchDialog />
      <IncidentSearchDialog />
      <ShortcutsHelp />
      <ProfileDialog />
    </>
  );
}

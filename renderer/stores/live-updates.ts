import type { WindowClient } from '../api/rpc-client.js';
import { useCockpitStore } from './cockpit-store.js';
import { useDigestStore } from './digest-store.js';
import { useIncidentsStore } from './incidents-store.js';
import { usePresenceStore } from './presence-store.js';
import { useTeamStore } from './team-store.js';
import { useProfileStore } from './profile-store.js';
import { useSyncStore } from './sync-store.js';
import { useTimelineStore } from './timeline-store.js';
import { openIncident } from './navigation.js';
import { useUiStore } from './ui-store.js';
import { rpc } from '../api/client.js';
import { refreshLibrary } from '../runbooks/runbooks-store.js';
import { useBreakGlassStore } from '../runbooks/breakglass-store.js';
import { useFollowUpStore } from '../followup/followup-store.js';
import { useRetroStore } from '../retro/retro-store.js';
import { useReportsStore } from '../reports/reports-store.js';
import { useCadenceStore } from '../updates/cadence-store.js';

/** The pending count moves without notifications (the outbox drains); poll it gently too. */
const SYNC_POLL_MS = 2000;

/** The incident this window shows, for presence: only while its cockpit is on screen. */
function shownIncident(): string | null {
  return useUiStore.getState().view === 'cockpit' ? useCockpitStore.getState().incidentId : null;
}

/** The digest on screen follows what arrives; off screen it is asked for when opened. */
function refreshDigestShown(): void {
  if (useUiStore.getState().view === 'digest') void useDigestStore.getState().load();
}

/**
 * Notifications carry ids, never data: each one makes the store that cares refetch. A
 * reconnect to the core refetches everything, since notifications may have been missed.
 */
export function wireLiveUpdates(client: WindowClient): () => void {
  const refreshAll = () => {
    void useProfileStore.getState().load().catch(() => {});
    void useIncidentsStore.getState().refresh();
    void useCockpitStore.getState().refresh();
    void useTimelineStore.getState().refreshLive();
    void useSyncStore.getState().refresh();
    void useTeamStore.getState().load();
    void useCadenceStore.getState().load();
  };
  const offConn = client.channel.onConnection((up) => {
    useSyncStore.getState().setCoreConnected(up);
    if (up) {
      refreshAll();
      // "While you were away" comes up by itself once, when the window first reaches the core.
      void useDigestStore.getState().openIfNew();
      // A restarted core (or a new conn web) does not know what this window shows: say it again.
      void usePresenceStore.getState().watch(shownIncident(), true);
    }
  });
  // Tell the core whenever the window starts or stops showing an incident.
  const followShown = () => void usePresenceStore.getState().watch(shownIncident());
  const offUi = useUiStore.subscribe(followShown);
  const offCockpit = useCockpitStore.subscribe(followShown);
  // A closed or reloaded window is looking at nothing; a page restored from the back-forward cache is again.
  const onPageHide = () => void usePresenceStore.getState().watch(null);
  const onPageShow = (e: PageTransitionEvent) => {
    if (e.persisted) void usePresenceStore.getState().watch(shownIncident(), true);
  };
  window.addEventListener('pagehide', onPageHide);
  window.addEventListener('pageshow', onPageShow);
  const offNote = client.onNotification((n) => {
    switch (n.type) {
      case 'incidents-changed':
        void useIncidentsStore.getState().refresh();
        refreshDigestShown();
        if (useUiStore.getState().view === 'reports') void useReportsStore.getState().load();
        break;
      case 'incident-changed':
        void useIncidentsStore.getState().refresh();
        refreshDigestShown();
        if (n.incidentId === useRetroStore.getState().incidentId) void useRetroStore.getState().refresh();
        if (useUiStore.getState().view === 'followup') void useFollowUpStore.getState().refresh();
        if (n.incidentId === useCockpitStore.getState().incidentId) {
          void useCockpitStore.getState().refresh();
          void useTimelineStore.getState().refreshLive();
        }
        break;
      // Also sent when a pull stored a teammate's break-glass pack.
      case 'runbooks-changed':
        refreshLibrary();
        void useBreakGlassStore.getState().load();
        break;
      case 'sync-changed':
        void useSyncStore.getState().refresh();
        break;
      // A teammate's zone or hours arrived, or our own changed: the roster's clocks follow.
      case 'profiles-changed':
        void useTeamStore.getState().load();
        break;
      // The team's cadence changed: every countdown moves (the list follows 'incidents-changed').
      case 'cadence-changed':
        void useCadenceStore.getState().load();
        void useCockpitStore.getState().refresh();
        break;
      // The team's SLO changed: an open report is measured again against it.
      case 'slo-changed':
        if (useUiStore.getState().view === 'reports') void useReportsStore.getState().load();
        break;
      case 'presence-changed':
        if (n.incidentId === usePresenceStore.getState().watching) void usePresenceStore.getState().refresh();
        break;
      // From the Electron shell: a conn:// link, or the global quick-note hotkey.
      case 'open-incident':
        void rpc()
          .call('incidents.get', { ref: n.ref })
          .then((s) => openIncident(s.id), () => useUiStore.getState().setView('list'));
        break;
      case 'quick-note':
        if (useCockpitStore.getState().incidentId) {
          useUiStore.getState().setView('cockpit');
          useUiStore.getState().focusComposer();
        } else useUiStore.getState().setPaletteOpen(true, 'Open INC');
        break;
    }
  });
  // The outbox drains without a notification: when the pending count moves, the rows' markers follow.
  let lastPending = useSyncStore.getState().status?.pending;
  const offPending = useSyncStore.subscribe((s) => {
    const pending = s.status?.pending;
    if (pending === lastPending) return;
    lastPending = pending;
    void useTimelineStore.getState().refreshLive();
  });
  const poll = setInterval(() => {
    if (client.channel.connected) void useSyncStore.getState().refresh();
  }, SYNC_POLL_MS);
  return () => {
    offConn();
    offUi();
    offCockpit();
    window.removeEventListener('pagehide', onPageHide);
    window.removeEventListener('pageshow', onPageShow);
    offNote();
    offPending();
    clearInterval(poll);
  };
}

/*
 * When an auto-update may restart Conn. Pure, so the rule is tested without electron-updater:
 * downloading is always fine, but the app never restarts itself while any incident is active —
 * an IC mid-incident must not lose the window. A downloaded update then waits until every
 * incident is resolved, or until the person quits the app themselves.
 */

export interface UpdateSituation {
  /** electron-updater reported 'update-downloaded'. */
  updateDownloaded: boolean;
  /** Incidents not yet resolved or closed, in this cockpit's database. */
  activeIncidents: number;
  /** The person is quitting the app (before-quit): installing now costs them nothing. */
  quitting: boolean;
  /** The person asked for it ("Restart to update" in the menu). */
  userRequested: boolean;
  /** Seconds since the last keyboard or mouse input (powerMonitor.getSystemIdleTime()). */
  idleSeconds: number;
}

export type UpdateDecision =
  | { action: 'none'; reason: string }
  | { action: 'defer'; reason: string }
  | { action: 'install-on-quit'; reason: string }
  | { action: 'restart-now'; reason: string };

/** Idle this long with nothing active, the app may restart without asking. */
export const IDLE_RESTART_SECONDS = 15 * 60;

export function decideUpdate(s: UpdateSituation): UpdateDecision {
  if (!s.updateDownloaded) return { action: 'none', reason: 'no update has been downloaded' };
  if (s.quitting) return { action: 'install-on-quit', reason: 'the app is quitting, so the update installs now' };
  if (s.activeIncidents > 0) {
    const n = s.activeIncidents === 1 ? 'an incident is' : `${s.activeIncidents} incidents are`;
    // Even a person's own request waits: a restart mid-incident is the one thing we never do.
    return { action: 'defer', reason: `${n} active: the update installs when they are resolved or when you quit` };
  }
  if (s.userRequested) return { action: 'restart-now', reason: 'you asked to restart to update' };
  if (s.idleSeconds >= IDLE_RESTART_SECONDS) return { action: 'restart-now', reason: 'no active incident and the machine is idle' };
  return { action: 'install-on-quit', reason: 'no active incident: the update installs when you quit or restart' };
}


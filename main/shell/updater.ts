import { decideUpdate, type UpdateDecision, type UpdateSituation } from './update-policy.js';

/*
 * electron-updater, held to the update policy. It downloads in the background and never calls
 * quitAndInstall while an incident is active; autoInstallOnAppQuit installs it when the person
 * quits. Takes the autoUpdater as a parameter so tests (and unpackaged runs) need no updater.
 */

export interface AutoUpdaterLike {
  autoDownload: boolean;
  autoInstallOnAppQuit: boolean;
  on(event: 'update-downloaded', listener: () => void): unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
  checkForUpdates(): Promise<unknown>;
  quitAndInstall(isSilent?: boolean, isForceRunAfter?: boolean): void;
}

export interface UpdateGate {
  /** Re-evaluates the policy; call when the incident count changes or the person asks. */
  evaluate(input?: { userRequested?: boolean }): UpdateDecision;
  setActiveIncidents(n: number): void;
  check(): void;
}

export function createUpdateGate(updater: AutoUpdaterLike, idleSeconds: () => number, log: (line: string) => void = () => undefined): UpdateGate {
  const situation: UpdateSituation = { updateDownloaded: false, activeIncidents: 0, quitting: false, userRequested: false, idleSeconds: 0 };
  updater.autoDownload = true;
  // electron-updater installs on quit by itself: that is the policy's 'install-on-quit'.
  updater.autoInstallOnAppQuit = true;
  const gate: UpdateGate = {
    evaluate(input = {}) {
      const d = decideUpdate({ ...situation, userRequested: !!input.userRequested, idleSeconds: idleSeconds() });
      if (d.action === 'restart-now') updater.quitAndInstall(false, true);
      return d;
    },
    setActiveIncidents(n) {
      situation.activeIncidents = n;
      if (situation.updateDownloaded) gate.evaluate();
    },
    check() {
      updater.checkForUpdates().catch((err: unknown) => log(`update check failed: ${err instanceof Error ? err.message : String(err)}`));
    },
  };
  updater.on('update-downloaded', () => {
    situation.updateDownloaded = true;
    log(`update downloaded: ${gate.evaluate().reason}`);
  });
  updater.on('error', (err) => log(`updater: ${err.message}`));
  return gate;
}

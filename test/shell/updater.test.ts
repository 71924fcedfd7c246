import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { appMenuTemplate, QUICK_NOTE_ACCELERATOR } from '../../main/shell/app-menu.js';
import { createUpdateGate, type AutoUpdaterLike } from '../../main/shell/updater.js';
import { IDLE_RESTART_SECONDS } from '../../main/shell/update-policy.js';

class FakeUpdater extends EventEmitter implements AutoUpdaterLike {
  autoDownload = false;
  autoInstallOnAppQuit = false;
  checks = 0;
  installs = 0;
  checkForUpdates(): Promise<unknown> {
    this.checks++;
    return Promise.resolve(null);
  }
  quitAndInstall(): void {
    this.installs++;
  }
}

function setup(idle = 0) {
  const updater = new FakeUpdater();
  let idleSeconds = idle;
  const gate = createUpdateGate(updater, () => idleSeconds);
  return { updater, gate, setIdle: (s: number) => (idleSeconds = s) };
}

describe('electron-updater held to the update policy', () => {
  it('downloads in the background and installs on quit by default', () => {
    const { updater } = setup();
    expect(updater.autoDownload).toBe(true);
    expect(updater.autoInstallOnAppQuit).toBe(true);
  });

  it('never restarts when an update lands during an active incident, even when asked', () => {
    const { updater, gate } = setup(IDLE_RESTART_SECONDS * 10);
    gate.setActiveIncidents(1);
    updater.emit('update-downloaded');
    expect(gate.evaluate({ userRequested: true }).action).toBe('defer');
    expect(updater.installs).toBe(0);
  });

  it('restarts once the last incident is resolved and the machine is idle', () => {
    const { updater, gate, setIdle } = setup();
    gate.setActiveIncidents(2);
    updater.emit('update-downloaded');
    gate.setActiveIncidents(0);
    expect(updater.installs).toBe(0); // someone is at the keyboard: wait for quit
    setIdle(IDLE_RESTART_SECONDS);
    gate.setActiveIncidents(0);
    expect(updater.installs).toBe(1);
  });

  it('restarts when the person asks and nothing is active', () => {
    const { updater, gate } = setup();
    updater.emit('update-downloaded');
    expect(gate.evaluate({ userRequested: true }).action).toBe('restart-now');
    expect(updater.installs).toBe(1);
  });

  it('logs a failed update check instead of rejecting unhandled', async () => {
    const updater = new FakeUpdater();
    const lines: string[] = [];
    const gate = createUpdateGate(updater, () => 0, (l) => lines.push(l));
    updater.checkForUpdates = () => Promise.reject(new Error('getaddrinfo ENOTFOUND'));
    gate.check();
    await new Promise((r) => setTimeout(r, 0));
    expect(lines).toEqual(['update check failed: getaddrinfo ENOTFOUND']);
  });
});

describe('the application menu', () => {
  const actions = { quickNote: () => undefined, openHelp: () => undefined, restartToUpdate: () => undefined };
  const roles = (t: ReturnType<typeof appMenuTemplate>): string[] =>
    t.flatMap((i) => [i.role as string, ...(Array.isArray(i.submenu) ? i.submenu.map((s) => s.role as string) : [])]).filter(Boolean);

  it('has the usual roles: edit, window, view zoom, and the app menu on macOS', () => {
    const mac = roles(appMenuTemplate({ isMac: true, isPackaged: true, actions }));
    expect(mac).toEqual(expect.arrayContaining(['appMenu', 'editMenu', 'windowMenu', 'zoomIn', 'resetZoom', 'togglefullscreen', 'close']));
    expect(roles(appMenuTemplate({ isMac: false, isPackaged: true, actions }))).toEqual(expect.arrayContaining(['editMenu', 'windowMenu', 'quit']));
  });

  it('offers developer tools only in unpackaged builds', () => {
    expect(roles(appMenuTemplate({ isMac: false, isPackaged: true, actions }))).not.toContain('toggleDevTools');
    expect(roles(appMenuTemplate({ isMac: false, isPackaged: false, actions }))).toContain('toggleDevTools');
  });

  it('puts Quick Note on the same accelerator as the global shortcut', () => {
    const file = appMenuTemplate({ isMac: false, isPackaged: true, actions }).find((i) => i.label === 'File')!;
    expect((file.submenu as Array<{ accelerator?: string }>)[0]!.accelerator).toBe(QUICK_NOTE_ACCELERATOR);
  });
});

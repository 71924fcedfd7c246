import os from 'node:os';
import path from 'node:path';
import {
  app,
  BrowserWindow,
  desktopCapturer,
  dialog,
  globalShortcut,
  ipcMain,
  Menu,
  nativeImage,
  Notification,
  powerMonitor,
  protocol,
  safeStorage,
  screen,
  session,
  shell,
  Tray,
} from 'electron';
import type { ShellNotification } from '../../shared/api/contract.js';
import { isActiveStatus } from '../../shared/domain/status.js';
import { defaultDataDir } from '../core/paths.js';
import { RECORDINGS_DIR } from '../core/store/recordings.js';
import { appMenuTemplate, QUICK_NOTE_ACCELERATOR } from './app-menu.js';
import { APP_SCHEME, APP_SCHEME_PRIVILEGES, createAppProtocolHandler } from './app-protocol.js';
import { startCoreHost, type CoreHost } from './core-host.js';
import { DEEP_LINK_SCHEME, deepLinkFromArgv, parseDeepLink, type DeepLink } from './deep-link.js';
import { computeAlerts, EMPTY_MEMORY, trayView, type AlertMemory, type DeskIncident } from './desktop-alerts.js';
import { createHubTokenStore } from './hub-token.js';
import { shellChannels } from './ipc-channels.js';
import { createIpcRegistry } from './ipc-registry.js';
import { guardNavigation, isSafeExternalUrl } from './navigation.js';
import { installPermissionHandlers } from './permissions.js';
import { SHELL_EVENT_CHANNEL } from './shell-api.js';
import { createSystemAudioGate, installSystemAudioHandler, systemAudioSupport } from './system-audio.js';
import { createUpdateGate, type AutoUpdaterLike, type UpdateGate } from './updater.js';
import { readWindowState, writeWindowState } from './window-state.js';
import { createMainWindow, windowStateOf } from './window.js';

/*
 * The Electron main process, wired together. Each concern lives in its own module; this file
 * only decides the order: what must happen before 'ready' (single-instance lock, the privileged
 * app:// scheme, deep-link handlers) and what after (permissions, protocol, core, window, tray).
 */

export interface ShellPaths {
  /** dist/renderer: what app:// serves. */
  rendererDir: string;
  preload: string;
  coreEntry: string;
  iconDir: string;
}

/** Paths relative to the bundled main (dist/shell/main.js). */
export function shellPaths(distShellDir: string): ShellPaths {
  const root = path.resolve(distShellDir, '..', '..');
  return {
    rendererDir: path.join(root, 'dist', 'renderer'),
    preload: path.join(distShellDir, 'preload.cjs'),
    coreEntry: path.join(distShellDir, 'core-process.js'),
    iconDir: path.join(root, 'resources', 'icons'),
  };
}

const HELP_URL = 'https://github.com/conn-ic/conn#readme';
const POLL_MS = 15_000;

export function startShell(paths: ShellPaths): void {
  // A second launch (a conn:// link, a double-click) hands its argv to the first and exits.
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);
  // Unpackaged (`npm start`) the OS must launch electron with our main as its argument.
  if (process.defaultApp && process.argv[1]) app.setAsDefaultProtocolClient(DEEP_LINK_SCHEME, process.execPath, [path.resolve(process.argv[1])]);
  else app.setAsDefaultProtocolClient(DEEP_LINK_SCHEME);

  let win: BrowserWindow | null = null;
  let core: CoreHost | null = null;
  let tray: Tray | null = null;
  let updates: UpdateGate | null = null;
  let incidents: DeskIncident[] = [];
  let memory: AlertMemory = EMPTY_MEMORY;
  const queued: ShellNotification[] = [];
  const dataDir = defaultDataDir();

  const openExternal = (url: string) => (isSafeExternalUrl(url) ? shell.openExternal(url) : Promise.resolve());

  function focusWindow(): BrowserWindow {
    if (!win || win.isDestroyed()) win = openWindow();
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
    return win;
  }

  /** Sends to the page once it has loaded; earlier events wait (a link that launched the app). */
  function toPage(n: ShellNotification): void {
    const w = focusWindow();
    if (w.webContents.isLoading()) queued.push(n);
    else w.webContents.send(SHELL_EVENT_CHANNEL, n);
  }

  const openLink = (link: DeepLink) => toPage({ type: 'open-incident', ref: link.ref });
  const quickNote = () => toPage({ type: 'quick-note' });

  function openWindow(): BrowserWindow {
    const areas = screen.getAllDisplays().map((d) => d.workArea);
    const w = createMainWindow({ preloadPath: paths.preload, state: readWindowState(app.getPath('userData'), areas), iconPath: path.join(paths.iconDir, 'icon.png') });
    w.on('close', () => {
      try {
        writeWindowState(app.getPath('userData'), windowStateOf(w));
      } catch {}
    });
    w.webContents.on('did-finish-load', () => {
      for (const n of queued.splice(0)) w.webContents.send(SHELL_EVENT_CHANNEL, n);
    });
    core?.connect(w.webContents);
    return w;
  }

  function restartToUpdate(): { restarting: boolean; reason: string } {
    if (!updates) return { restarting: false, reason: 'updates are only installed in the packaged app' };
    const d = updates.evaluate({ userRequested: true });
    return { restarting: d.action === 'restart-now', reason: d.reason };
  }

  async function refreshDesk(): Promise<void> {
    if (!core) return;
    const list = await core.client.call('incidents.list', {});
    const active = list.filter((i) => isActiveStatus(i.status));
    incidents = await Promise.all(active.map((i) => core!.client.call('incidents.get', { ref: i.id })));
    const profile = await core.client.call('profile.get', {});
    const result = computeAlerts({ me: profile.name, hours: { timeZone: profile.timeZone, workingHours: profile.workingHours }, incidents }, memory, Date.now());
    memory = result.memory;
    if (Notification.isSupported()) {
      for (const n of result.notifications) {
        const note = new Notification({ title: n.title, body: n.body });
        note.on('click', () => openLink({ kind: 'incident', ref: n.ref }));
        note.show();
      }
    }
    updates?.setActiveIncidents(incidents.length);
    renderTray();
  }

  let trayMenuRef: string | null | undefined;
  function renderTray(): void {
    if (!tray) return;
    const view = trayView(incidents, Date.now());
    tray.setToolTip(view.tooltip);
    if (process.platform === 'darwin') tray.setTitle(view.title);
    // The countdown ticks every second; the menu only changes with the featured incident.
    if (view.ref === trayMenuRef) return;
    trayMenuRef = view.ref;
    tray.setContextMenu(
      Menu.buildFromTemplate([
        { label: view.ref ? `Open ${view.ref}` : 'Open Conn', click: () => (view.ref ? openLink({ kind: 'incident', ref: view.ref }) : focusWindow()) },
        { label: 'Quick Note…', accelerator: QUICK_NOTE_ACCELERATOR, click: quickNote },
        { type: 'separator' },
        { role: 'quit' },
      ]),
    );
  }

  app.on('web-contents-created', (_e, contents) => guardNavigation(contents, openExternal));
  app.on('second-instance', (_e, argv) => {
    const link = deepLinkFromArgv(argv);
    if (link) openLink(link);
    else focusWindow();
  });
  app.on('open-url', (event, url) => {
    event.preventDefault();
    const link = parseDeepLink(url);
    if (link && app.isReady()) openLink(link);
    else if (link) queued.push({ type: 'open-incident', ref: link.ref });
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (app.isReady() && BrowserWindow.getAllWindows().length === 0) focusWindow();
  });
  app.on('will-quit', () => {
    globalShortcut.unregisterAll();
    void core?.stop();
  });

  void app.whenReady().then(async () => {
    const systemAudio = systemAudioSupport(process.platform, os.release());
    const systemAudioGate = createSystemAudioGate(systemAudio);
    installPermissionHandlers(session.defaultSession, { systemAudioArmed: systemAudioGate.isArmed });
    installSystemAudioHandler(session.defaultSession, {
      support: systemAudio,
      gate: systemAudioGate,
      screens: () => desktopCapturer.getSources({ types: ['screen'] }),
      warn: (line) => console.warn(line),
    });
    protocol.handle(APP_SCHEME, createAppProtocolHandler(paths.rendererDir, undefined, path.join(dataDir, RECORDINGS_DIR)));
    const tokens = createHubTokenStore(dataDir, safeStorage);
    core = startCoreHost({
      entry: paths.coreEntry,
      dataDir,
      hubToken: tokens.load(),
      onHubToken: (token) => {
        try {
          if (token) tokens.save(token);
          else tokens.clear();
        } catch (err) {
          // No keychain: the token lives in the core process until Conn quits.
          console.warn(`conn: ${err instanceof Error ? err.message : String(err)}`);
        }
      },
      onFatal: (message) => {
        dialog.showErrorBox('Conn could not start its core', message);
        app.exit(1);
      },
    });
    const registry = createIpcRegistry(ipcMain);
    const channels = shellChannels({
      appInfo: () => ({ version: app.getVersion(), platform: process.platform, electron: process.versions.electron ?? '' }),
      openExternal: async (url) => {
        await openExternal(url);
      },
      setHubToken: (token) => {
        tokens.save(token);
        core?.setHubToken(token);
      },
      clearHubToken: () => {
        tokens.clear();
        core?.setHubToken(null);
      },
      restartToUpdate,
      systemAudio: () => ({ available: systemAudio.available, reason: systemAudio.reason }),
      armSystemAudio: () => systemAudioGate.arm(),
    });
    for (const [name, spec] of Object.entries(channels)) registry.register(name, spec);

    Menu.setApplicationMenu(
      Menu.buildFromTemplate(
        appMenuTemplate({ isMac: process.platform === 'darwin', isPackaged: app.isPackaged, actions: { quickNote, openHelp: () => void openExternal(HELP_URL), restartToUpdate: () => void restartToUpdate() } }),
      ),
    );
    const launchLink = deepLinkFromArgv(process.argv);
    focusWindow();
    if (launchLink) queued.push({ type: 'open-incident', ref: launchLink.ref });
    if (!globalShortcut.register(QUICK_NOTE_ACCELERATOR, quickNote)) console.warn(`conn: ${QUICK_NOTE_ACCELERATOR} is taken by another app; use File → Quick Note instead`);

    // macOS tints a black Template image for light and dark menu bars; elsewhere the amber one.
    const icon = nativeImage.createFromPath(path.join(paths.iconDir, process.platform === 'darwin' ? 'trayTemplate.png' : 'tray.png'));
    tray = new Tray(icon);
    tray.on('click', () => focusWindow());
    renderTray();
    const refresh = () => void refreshDesk().catch((err: unknown) => console.warn(`conn: tray refresh failed: ${err instanceof Error ? err.message : String(err)}`));
    core.client.onNotification((n) => {
      if (n.type === 'incidents-changed' || n.type === 'incident-changed') refresh();
    });
    refresh();
    setInterval(refresh, POLL_MS).unref();
    // The countdown ticks between refreshes without asking the core anything.
    setInterval(renderTray, 1000).unref();

    if (app.isPackaged) {
      const mod = (await import('electron-updater')) as unknown as { autoUpdater?: AutoUpdaterLike; default?: { autoUpdater: AutoUpdaterLike } };
      const autoUpdater = mod.autoUpdater ?? mod.default?.autoUpdater;
      if (autoUpdater) {
        updates = createUpdateGate(autoUpdater, () => powerMonitor.getSystemIdleTime(), (line) => console.log(`conn: ${line}`));
        updates.check();
        setInterval(() => updates?.check(), 4 * 60 * 60_000).unref();
      }
    }
  });
}

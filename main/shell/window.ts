import { BrowserWindow, type BrowserWindowConstructorOptions, type WebPreferences } from 'electron';
import { APP_ENTRY_URL } from './app-protocol.js';
import type { WindowState } from './window-state.js';

/**
 * The renderer gets no Node, no Electron, its own JavaScript world, Chromium's sandbox and
 * web security. Its only door to the rest of Conn is the preload's `window.connBridge`.
 */
export function webPreferencesFor(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    spellcheck: true,
    safeDialogs: true,
  };
}

export interface MainWindowOptions {
  preloadPath: string;
  state: WindowState;
  title?: string;
  iconPath?: string;
}

export function mainWindowOptions(o: MainWindowOptions): BrowserWindowConstructorOptions {
  return {
    ...(o.state.x !== undefined && o.state.y !== undefined ? { x: o.state.x, y: o.state.y } : {}),
    width: o.state.width,
    height: o.state.height,
    minWidth: 720,
    minHeight: 480,
    title: o.title ?? 'Conn',
    ...(o.iconPath ? { icon: o.iconPath } : {}),
    // Shown on 'ready-to-show' so the person never sees an empty white frame.
    show: false,
    backgroundColor: '#111418',
    webPreferences: webPreferencesFor(o.preloadPath),
  };
}

/** Creates the cockpit window and loads app://conn/index.html. Guards are installed by main.ts. */
export function createMainWindow(o: MainWindowOptions): BrowserWindow {
  const win = new BrowserWindow(mainWindowOptions(o));
  if (o.state.maximised) win.maximize();
  win.once('ready-to-show', () => win.show());
  void win.loadURL(APP_ENTRY_URL);
  return win;
}

/** What to remember on close: the normal (unmaximised) bounds plus the maximised flag. */
export function windowStateOf(win: BrowserWindow): WindowState {
  const b = win.getNormalBounds();
  return { x: Math.round(b.x), y: Math.round(b.y), width: Math.round(b.width), height: Math.round(b.height), maximised: win.isMaximized() };
}

import { BrowserWindow, type BrowserWindowConstructorOptions } from 'electron';
import { APP_ENTRY_URL } from './app-protocol.js';
import type { WindowState } from './window-state.js';

export interface MainWindowOptions {
  preloadPath: string;
  state: WindowState;
  title?: string;
  iconPath?: string;
}

/** Size, place and chrome: everything but the web preferences. */
export function windowPlacement(o: MainWindowOptions): BrowserWindowConstructorOptions {
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
  };
}

/**
 * Creates the cockpit window and loads app://conn/index.html. The renderer gets no Node, no
 * Electron, its own JavaScript world, Chromium's sandbox and web security; its only door to
 * the rest of Conn is the preload's `window.connBridge`. The preferences are written out here
 * at the constructor, not built elsewhere, so Electronegativity can read them in the bundle.
 */
export function createMainWindow(o: MainWindowOptions): BrowserWindow {
  const win = new BrowserWindow({
    ...windowPlacement(o),
    webPreferences: {
      preload: o.preloadPath,
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
      // Middle-click would open links as new windows; the window-open handler denies those
      // anyway, but a disabled feature cannot be raced.
      disableBlinkFeatures: 'Auxclick',
      safeDialogs: true,
      spellcheck: true,
    },
  });
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

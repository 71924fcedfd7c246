import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_WINDOW_STATE, readWindowState, restoreWindowState, WINDOW_STATE_FILE, writeWindowState } from '../../main/shell/window-state.js';
import { createMainWindow, windowPlacement, windowStateOf } from '../../main/shell/window.js';
import { BrowserWindow, resetElectronMock } from '../mocks/electron.js';

const SCREEN = [{ x: 0, y: 0, width: 1920, height: 1080 }];

beforeEach(() => resetElectronMock());

describe('the main window', () => {
  it('isolates the renderer: context isolation, sandbox, no Node, web security, no webview, loaded from app://conn', () => {
    const win = createMainWindow({ preloadPath: '/app/dist/shell/preload.cjs', state: DEFAULT_WINDOW_STATE }) as unknown as BrowserWindow;
    expect(win.options['webPreferences']).toEqual({
      preload: '/app/dist/shell/preload.cjs',
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
      disableBlinkFeatures: 'Auxclick',
      safeDialogs: true,
      spellcheck: true,
    });
    expect(win.loadedUrls).toEqual(['app://conn/index.html']);
    expect(win.options['show']).toBe(false);
  });

  it('opens where it was left, maximised if it was', () => {
    const win = createMainWindow({ preloadPath: '/p', state: { x: 50, y: 60, width: 1000, height: 700, maximised: true } }) as unknown as BrowserWindow;
    expect(win.options).toMatchObject({ x: 50, y: 60, width: 1000, height: 700 });
    expect(win.isMaximized()).toBe(true);
  });

  it('leaves the position to the OS when none is remembered', () => {
    const o = windowPlacement({ preloadPath: '/p', state: DEFAULT_WINDOW_STATE });
    expect(o.x).toBeUndefined();
    expect(o.y).toBeUndefined();
  });

  it('remembers the normal bounds and the maximised flag', () => {
    const win = createMainWindow({ preloadPath: '/p', state: { x: 10, y: 20, width: 900, height: 650, maximised: false } });
    expect(windowStateOf(win)).toEqual({ x: 10, y: 20, width: 900, height: 650, maximised: false });
  });
});

describe('remembered window state', () => {
  it('round-trips through userData', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'conn-winstate-'));
    writeWindowState(dir, { x: 5, y: 6, width: 1100, height: 700, maximised: true });
    expect(readWindowState(dir, SCREEN)).toEqual({ x: 5, y: 6, width: 1100, height: 700, maximised: true });
    expect(JSON.parse(readFileSync(path.join(dir, WINDOW_STATE_FILE), 'utf8'))).toMatchObject({ width: 1100 });
  });

  it('falls back to the default for a missing, damaged or hostile file', () => {
    expect(restoreWindowState(null, SCREEN)).toEqual(DEFAULT_WINDOW_STATE);
    expect(restoreWindowState('{not json', SCREEN)).toEqual(DEFAULT_WINDOW_STATE);
    expect(restoreWindowState('{"width":-5,"height":10,"maximised":false}', SCREEN)).toEqual(DEFAULT_WINDOW_STATE);
    expect(restoreWindowState('{"width":1000,"height":700,"maximised":false,"__proto__":{"x":1}}', SCREEN)).toEqual(DEFAULT_WINDOW_STATE);
    expect(restoreWindowState(`{"width":1000,"height":700,"maximised":false,"pad":"${'x'.repeat(5000)}"}`, SCREEN)).toEqual(DEFAULT_WINDOW_STATE);
    const dir = mkdtempSync(path.join(tmpdir(), 'conn-winstate-'));
    writeFileSync(path.join(dir, WINDOW_STATE_FILE), '[]');
    expect(readWindowState(dir, SCREEN)).toEqual(DEFAULT_WINDOW_STATE);
  });

  it('re-centres a window left on a monitor that is gone, keeping its size', () => {
    expect(restoreWindowState('{"x":4000,"y":100,"width":1000,"height":700,"maximised":false}', SCREEN)).toEqual({ width: 1000, height: 700, maximised: false });
  });

  it('refuses to write a state that would not read back', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'conn-winstate-'));
    expect(() => writeWindowState(dir, { width: 10, height: 10, maximised: false })).toThrow();
  });
});

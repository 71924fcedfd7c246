import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SHELL_METHOD_NAMES } from '../../shared/api/contract.js';
import { createRpcServer } from '../../main/core/api/rpc-server.js';
import { openCore, type Core } from '../../main/core/open.js';
import { serveOverPort, type CoreProcessMessage } from '../../main/shell/core-port.js';
import { startShell } from '../../main/shell/shell-app.js';
import { WINDOW_STATE_FILE } from '../../main/shell/window-state.js';
import {
  app,
  BrowserWindow,
  FakeUtilityProcess,
  globalShortcut,
  ipcMain,
  mock,
  resetElectronMock,
  session,
  Tray,
  utilityProcess,
  type FakeMessagePortMain,
} from '../mocks/electron.js';

/*
 * The whole main process wired against the mocked electron, with a real core (real SQLite)
 * standing in for the utility process: launch, window, protocol, permissions, IPC, the core
 * port, tray, deep links and the quick-note hotkey.
 */
let dataDir: string;
let rendererDir: string;
let core: Core | null = null;
const realFork = utilityProcess.fork;
const savedDataDir = process.env['CONN_DATA_DIR'];

function shellEvents(win: BrowserWindow): unknown[] {
  return win.webContents.sent.filter((s) => s.channel === 'conn:shell-event').map((s) => s.args[0]);
}

beforeAll(async () => {
  resetElectronMock();
  const base = mkdtempSync(path.join(tmpdir(), 'conn-shell-app-'));
  dataDir = path.join(base, 'data');
  rendererDir = path.join(base, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Conn</title>');
  process.env['CONN_DATA_DIR'] = dataDir;
  mock.userData = dataDir;
  // The "utility process": opens a real core on 'init' and serves every port it is handed.
  utilityProcess.fork = (modulePath: string, args: string[] = [], options: Record<string, unknown> = {}) => {
    const child = new FakeUtilityProcess(modulePath, args, options);
    const post = child.postMessage.bind(child);
    child.postMessage = (message: unknown, ports: unknown[] = []) => {
      post(message, ports);
      const m = message as CoreProcessMessage;
      if (m.type === 'init') core = openCore({ dataDir: m.dataDir });
      if (m.type === 'connect' && core) serveOverPort(ports[0] as FakeMessagePortMain, createRpcServer(core));
    };
    utilityProcess.forked.push(child);
    return child;
  };
  startShell({ rendererDir, preload: '/dist/shell/preload.cjs', coreEntry: '/dist/shell/core-process.js', iconDir: '/resources/icons' });
});

afterAll(async () => {
  utilityProcess.fork = realFork;
  if (savedDataDir === undefined) delete process.env['CONN_DATA_DIR'];
  else process.env['CONN_DATA_DIR'] = savedDataDir;
  await core?.close();
});

describe('the Electron main process', () => {
  it('registers the app:// scheme as privileged and conn:// with the OS before it is ready', () => {
    expect(mock.privilegedSchemes).toEqual([{ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) }]);
    expect(mock.defaultProtocolClients).toEqual([['conn']]);
    expect(BrowserWindow.instances).toHaveLength(0);
  });

  it('on ready opens one hardened window on app://conn with the preload', async () => {
    app._becomeReady();
    await vi.waitFor(() => expect(BrowserWindow.instances).toHaveLength(1));
    const win = BrowserWindow.instances[0]!;
    expect(win.options['webPreferences']).toMatchObject({ preload: '/dist/shell/preload.cjs', contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, webviewTag: false });
    expect(win.loadedUrls).toEqual(['app://conn/index.html']);
    expect(win.webContents.windowOpenHandler).not.toBeNull();
  });

  it('serves the renderer over app:// with the CSP', async () => {
    const handler = mock.protocolHandlers.get('app')!;
    const res = (await handler(new Request('app://conn/'))) as Response;
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
  });

  it('installs deny-by-default permission handlers and the shell IPC channels', () => {
    expect(session.defaultSession.permissionRequestHandler).not.toBeNull();
    expect(session.defaultSession.permissionCheckHandler!(null, 'geolocation', 'app://conn', {})).toBe(false);
    expect([...ipcMain.handlers.keys()].sort()).toEqual([...SHELL_METHOD_NAMES].sort());
  });

  it("installs the display-media handler, and answers for this platform whether the computer's sound can be recorded", async () => {
    expect(session.defaultSession.displayMediaRequestHandler).not.toBeNull();
    const r = (await ipcMain._invoke('shell.systemAudio', { url: 'app://conn/index.html' }, {})) as { ok: boolean; result: { available: boolean; reason: string } };
    expect(r.ok).toBe(true);
    if (process.platform === 'linux') expect(r.result.available).toBe(false);
    expect(r.result.reason.length).toBeGreaterThan(0);
  });

  it('runs the core in a utility process with the data folder', () => {
    expect(utilityProcess.forked).toHaveLength(1);
    expect(utilityProcess.forked[0]!.modulePath).toBe('/dist/shell/core-process.js');
    expect(utilityProcess.forked[0]!.messages[0]!.message).toEqual({ type: 'init', dataDir, hubToken: null });
  });

  it('hands the loaded window a port on which the core answers', async () => {
    const win = BrowserWindow.instances[0]!;
    win.webContents._finishLoad('app://conn/index.html');
    const posted = win.webContents.posted.find((p) => p.channel === 'core-port')!;
    expect(posted.ports).toHaveLength(1);
    const port = posted.ports[0] as FakeMessagePortMain;
    const replies: string[] = [];
    port.on('message', (e: { data: string }) => replies.push(e.data));
    port.start(); // as the preload does: a port delivers nothing until started
    port.postMessage(JSON.stringify({ id: 1, method: 'incidents.declare', params: { title: 'Payments down', severity: 1 } }));
    await vi.waitFor(() => expect(replies.some((r) => JSON.parse(r).id === 1)).toBe(true));
    const reply = JSON.parse(replies.find((r) => JSON.parse(r).id === 1)!);
    expect(reply.result.ref).toMatch(/^INC-/);
  });

  it('shows the active incident and its update countdown in the tray', async () => {
    expect(Tray.instances).toHaveLength(1);
    await vi.waitFor(() => expect(Tray.instances[0]!.tooltip).toMatch(/SEV1 INC-\w{6} Payments down: update in \d+:\d\d/));
  });

  it('focuses an incident from a conn:// link in a second instance, and ignores a hostile one', () => {
    const win = BrowserWindow.instances[0]!;
    app.emit('second-instance', {}, ['/opt/Conn/conn', 'conn://incident/INC-7KQ2XM'], '/');
    app.emit('second-instance', {}, ['/opt/Conn/conn', 'conn://incident/../../x?y=<script>'], '/');
    expect(shellEvents(win)).toEqual([{ type: 'open-incident', ref: 'INC-7KQ2XM' }]);
    expect(win.focused).toBe(true);
  });

  it('takes macOS open-url links the same way and prevents the default', () => {
    const win = BrowserWindow.instances[0]!;
    let prevented = false;
    app.emit('open-url', { preventDefault: () => (prevented = true) }, 'conn://incident/INC-0ABCDE');
    expect(prevented).toBe(true);
    expect(shellEvents(win)).toContainEqual({ type: 'open-incident', ref: 'INC-0ABCDE' });
  });

  it('registers the quick-note hotkey, which tells the page to open the note box', () => {
    const win = BrowserWindow.instances[0]!;
    globalShortcut.registered.get('CommandOrControl+Shift+N')!();
    expect(shellEvents(win)).toContainEqual({ type: 'quick-note' });
  });

  it('guards every web contents created later, not only the main window', () => {
    const other = new BrowserWindow({});
    expect(other.webContents.windowOpenHandler!({ url: 'https://x.example/' })).toEqual({ action: 'deny' });
  });

  it('remembers the window state when the window closes', () => {
    BrowserWindow.instances[0]!.emit('close');
    expect(existsSync(path.join(dataDir, WINDOW_STATE_FILE))).toBe(true);
  });

  it('quits at once when another instance already runs', () => {
    resetElectronMock();
    mock.singleInstanceLock = false;
    startShell({ rendererDir, preload: '/p', coreEntry: '/c', iconDir: '/i' });
    expect(mock.quitCalls).toBe(1);
    expect(mock.privilegedSchemes).toEqual([]);
  });
});

/*
 * A fake of the electron module for Vitest (vitest.config.ts aliases 'electron' here). Plain
 * Node cannot load the real one without its runtime, so main/shell is tested against these
 * inspectable fakes: every constructor records its instances and options, every handler
 * registration is kept so a test can call it. Implement only what main/shell uses, with the
 * same names and call shapes as Electron's API. Call resetElectronMock() in beforeEach.
 */
import { EventEmitter } from 'node:events';
import os from 'node:os';
import path from 'node:path';

type Listener = (...args: any[]) => any; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Controls and records shared by all fakes; reset between tests. */
export const mock = {
  singleInstanceLock: true,
  userData: path.join(os.tmpdir(), 'conn-electron-mock'),
  encryptionAvailable: true,
  storageBackend: 'gnome_libsecret',
  isPackaged: false,
  shortcutsTaken: new Set<string>(),
  quitCalls: 0,
  exitCodes: [] as number[],
  defaultProtocolClients: [] as unknown[][],
  privilegedSchemes: [] as unknown[],
  protocolHandlers: new Map<string, Listener>(),
  applicationMenu: null as unknown,
  openedExternal: [] as string[],
  exposed: new Map<string, unknown>(),
  errorBoxes: [] as Array<{ title: string; content: string }>,
};

// ── app ───────────────────────────────────────────────────────────────────────
class FakeApp extends EventEmitter {
  private ready = false;
  private resolveReady!: () => void;
  private readyPromise = new Promise<void>((r) => (this.resolveReady = r));
  get isPackaged(): boolean {
    return mock.isPackaged;
  }
  requestSingleInstanceLock(): boolean {
    return mock.singleInstanceLock;
  }
  whenReady(): Promise<void> {
    return this.readyPromise;
  }
  isReady(): boolean {
    return this.ready;
  }
  /** Test helper: fire 'ready'. */
  _becomeReady(): void {
    this.ready = true;
    this.resolveReady();
    this.emit('ready');
  }
  _reset(): void {
    this.removeAllListeners();
    this.ready = false;
    this.readyPromise = new Promise<void>((r) => (this.resolveReady = r));
  }
  quit(): void {
    mock.quitCalls++;
  }
  exit(code = 0): void {
    mock.exitCodes.push(code);
  }
  getPath(name: string): string {
    if (name === 'userData') return mock.userData;
    return path.join(os.tmpdir(), `conn-electron-mock-${name}`);
  }
  getVersion(): string {
    return '0.1.0';
  }
  getName(): string {
    return 'Conn';
  }
  setAsDefaultProtocolClient(...args: unknown[]): boolean {
    mock.defaultProtocolClients.push(args);
    return true;
  }
  focus(): void {}
}
export const app = new FakeApp();

// ── webContents and BrowserWindow ─────────────────────────────────────────────
let nextContentsId = 1;
export class FakeWebContents extends EventEmitter {
  readonly id = nextContentsId++;
  url = '';
  loading = true;
  destroyed = false;
  windowOpenHandler: Listener | null = null;
  readonly sent: Array<{ channel: string; args: unknown[] }> = [];
  readonly posted: Array<{ channel: string; message: unknown; ports: unknown[] }> = [];
  setWindowOpenHandler(handler: Listener): void {
    this.windowOpenHandler = handler;
  }
  getURL(): string {
    return this.url;
  }
  isLoading(): boolean {
    return this.loading;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  send(channel: string, ...args: unknown[]): void {
    this.sent.push({ channel, args });
  }
  postMessage(channel: string, message: unknown, ports: unknown[] = []): void {
    this.posted.push({ channel, message, ports });
  }
  /** Test helper: the page finished loading at `url`. */
  _finishLoad(url: string): void {
    this.url = url;
    this.loading = false;
    this.emit('did-finish-load');
  }
}

export class BrowserWindow extends EventEmitter {
  static instances: BrowserWindow[] = [];
  static getAllWindows(): BrowserWindow[] {
    return BrowserWindow.instances.filter((w) => !w.destroyed);
  }
  readonly webContents = new FakeWebContents();
  loadedUrls: string[] = [];
  maximised = false;
  minimised = false;
  visible = false;
  focused = false;
  destroyed = false;
  bounds: { x: number; y: number; width: number; height: number };
  constructor(readonly options: Record<string, any> = {}) { // eslint-disable-line @typescript-eslint/no-explicit-any
    super();
    this.bounds = { x: options['x'] ?? 100, y: options['y'] ?? 100, width: options['width'] ?? 800, height: options['height'] ?? 600 };
    BrowserWindow.instances.push(this);
    app.emit('web-contents-created', {}, this.webContents);
  }
  loadURL(url: string): Promise<void> {
    this.loadedUrls.push(url);
    return Promise.resolve();
  }
  maximize(): void {
    this.maximised = true;
  }
  isMaximized(): boolean {
    return this.maximised;
  }
  isMinimized(): boolean {
    return this.minimised;
  }
  restore(): void {
    this.minimised = false;
  }
  show(): void {
    this.visible = true;
  }
  focus(): void {
    this.focused = true;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  getNormalBounds() {
    return { ...this.bounds };
  }
  getBounds() {
    return { ...this.bounds };
  }
}

// ── IPC ───────────────────────────────────────────────────────────────────────
class FakeIpcMain extends EventEmitter {
  readonly handlers = new Map<string, Listener>();
  handle(channel: string, listener: Listener): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  /** Test helper: invoke a channel as a renderer frame at `url` would. */
  async _invoke(channel: string, frame: { url: string; parent?: unknown } | null, ...args: unknown[]): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`No handler registered for '${channel}'`);
    return handler({ senderFrame: frame ? { url: frame.url, parent: frame.parent ?? null } : null, sender: null }, ...args);
  }
}
export const ipcMain = new FakeIpcMain();

class FakeIpcRenderer extends EventEmitter {
  /** What invoke() answers; by default it forwards to ipcMain's handler as the app:// top frame. */
  invokeImpl: (channel: string, ...args: unknown[]) => Promise<unknown> = (channel, ...args) =>
    ipcMain._invoke(channel, { url: 'app://conn/index.html' }, ...args);
  readonly invoked: Array<{ channel: string; args: unknown[] }> = [];
  invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    this.invoked.push({ channel, args });
    return this.invokeImpl(channel, ...args);
  }
  send(): void {
    throw new Error('the preload must not use ipcRenderer.send');
  }
  /** Test helper: main sends `channel` to this renderer, optionally with ports. */
  _receive(channel: string, ports: unknown[], ...args: unknown[]): void {
    this.emit(channel, { ports, sender: this }, ...args);
  }
}
export const ipcRenderer = new FakeIpcRenderer();

export const contextBridge = {
  exposeInMainWorld(key: string, api: unknown): void {
    if (mock.exposed.has(key)) throw new Error(`Cannot bind an API on top of an existing property on the window object: ${key}`);
    mock.exposed.set(key, api);
  },
};

// ── session, protocol, permissions ────────────────────────────────────────────
class FakeSession {
  permissionRequestHandler: Listener | null = null;
  permissionCheckHandler: Listener | null = null;
  devicePermissionHandler: Listener | null = null;
  displayMediaRequestHandler: Listener | null = null;
  displayMediaOptions: { useSystemPicker: boolean } | undefined = undefined;
  setPermissionRequestHandler(h: Listener | null): void {
    this.permissionRequestHandler = h;
  }
  setPermissionCheckHandler(h: Listener | null): void {
    this.permissionCheckHandler = h;
  }
  setDevicePermissionHandler(h: Listener | null): void {
    this.devicePermissionHandler = h;
  }
  setDisplayMediaRequestHandler(h: Listener | null, opts?: { useSystemPicker: boolean }): void {
    this.displayMediaRequestHandler = h;
    this.displayMediaOptions = opts;
  }
}
export const session = { defaultSession: new FakeSession() };

/** The screens desktopCapturer lists; a test may replace them. */
export const desktopCapturer = {
  screens: [{ id: 'screen:0:0', name: 'Entire screen' }] as Array<{ id: string; name: string }>,
  getSources(opts: { types: string[] }): Promise<Array<{ id: string; name: string }>> {
    return Promise.resolve(opts.types.includes('screen') ? desktopCapturer.screens : []);
  },
};

export const protocol = {
  registerSchemesAsPrivileged(schemes: unknown[]): void {
    if (app.isReady()) throw new Error('registerSchemesAsPrivileged must be called before the app is ready');
    mock.privilegedSchemes.push(...schemes);
  },
  handle(scheme: string, handler: Listener): void {
    if (!app.isReady()) throw new Error('protocol.handle must be called after the app is ready');
    mock.protocolHandlers.set(scheme, handler);
  },
  isProtocolHandled(scheme: string): boolean {
    return mock.protocolHandlers.has(scheme);
  },
};

// ── processes and ports ───────────────────────────────────────────────────────
export class FakeMessagePortMain extends EventEmitter {
  other: FakeMessagePortMain | null = null;
  started = false;
  closed = false;
  readonly outbox: unknown[] = [];
  /** As in Electron, messages to a port wait until it is started. */
  private readonly inbox: unknown[] = [];
  postMessage(message: unknown): void {
    if (this.closed) return;
    this.outbox.push(message);
    const other = this.other;
    if (other && !other.closed) other.receive(message);
  }
  start(): void {
    this.started = true;
    for (const m of this.inbox.splice(0)) this.receive(m);
  }
  private receive(message: unknown): void {
    if (!this.started) this.inbox.push(message);
    else queueMicrotask(() => this.closed || this.emit('message', { data: message, ports: [] }));
  }
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.emit('close');
    this.other?.close();
  }
}

export class MessageChannelMain {
  static created: MessageChannelMain[] = [];
  readonly port1 = new FakeMessagePortMain();
  readonly port2 = new FakeMessagePortMain();
  constructor() {
    this.port1.other = this.port2;
    this.port2.other = this.port1;
    MessageChannelMain.created.push(this);
  }
}

/** What a utility process sees as `process.parentPort`; tests install one before importing the entry. */
export class FakeParentPort extends EventEmitter {
  readonly sent: unknown[] = [];
  postMessage(message: unknown): void {
    this.sent.push(message);
  }
}

export class FakeUtilityProcess extends EventEmitter {
  readonly messages: Array<{ message: unknown; ports: unknown[] }> = [];
  killed = false;
  pid = 4242;
  constructor(
    readonly modulePath: string,
    readonly args: string[],
    readonly options: Record<string, unknown>,
  ) {
    super();
  }
  postMessage(message: unknown, ports: unknown[] = []): void {
    this.messages.push({ message, ports });
  }
  kill(): boolean {
    this.killed = true;
    queueMicrotask(() => this.emit('exit', 0));
    return true;
  }
}
export const utilityProcess = {
  forked: [] as FakeUtilityProcess[],
  fork(modulePath: string, args: string[] = [], options: Record<string, unknown> = {}): FakeUtilityProcess {
    const p = new FakeUtilityProcess(modulePath, args, options);
    utilityProcess.forked.push(p);
    return p;
  },
};

// ── desktop integration ───────────────────────────────────────────────────────
export class Tray extends EventEmitter {
  static instances: Tray[] = [];
  tooltip = '';
  title = '';
  contextMenu: unknown = null;
  constructor(readonly image: unknown) {
    super();
    Tray.instances.push(this);
  }
  setToolTip(t: string): void {
    this.tooltip = t;
  }
  setTitle(t: string): void {
    this.title = t;
  }
  setContextMenu(m: unknown): void {
    this.contextMenu = m;
  }
  destroy(): void {}
}

export const Menu = {
  buildFromTemplate(template: unknown[]): { template: unknown[] } {
    return { template };
  },
  setApplicationMenu(menu: unknown): void {
    mock.applicationMenu = menu;
  },
};

export class Notification extends EventEmitter {
  static shown: Notification[] = [];
  static isSupported(): boolean {
    return true;
  }
  constructor(readonly options: { title: string; body: string }) {
    super();
  }
  show(): void {
    Notification.shown.push(this);
  }
}

export const globalShortcut = {
  registered: new Map<string, Listener>(),
  register(accelerator: string, callback: Listener): boolean {
    if (mock.shortcutsTaken.has(accelerator)) return false;
    globalShortcut.registered.set(accelerator, callback);
    return true;
  },
  isRegistered(accelerator: string): boolean {
    return globalShortcut.registered.has(accelerator);
  },
  unregisterAll(): void {
    globalShortcut.registered.clear();
  },
};

/** Reversible but not plain text, so a test can tell an encrypted file from a leaked token. */
export const safeStorage = {
  isEncryptionAvailable: (): boolean => mock.encryptionAvailable,
  getSelectedStorageBackend: (): string => mock.storageBackend,
  encryptString(plain: string): Buffer {
    if (!mock.encryptionAvailable) throw new Error('Error while encrypting the text provided to safeStorage.encryptString. Encryption is not available.');
    return Buffer.from(`v10${Buffer.from(plain, 'utf8').toString('base64').split('').reverse().join('')}`, 'latin1');
  },
  decryptString(data: Buffer): string {
    const s = data.toString('latin1');
    if (!s.startsWith('v10')) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
    return Buffer.from(s.slice(3).split('').reverse().join(''), 'base64').toString('utf8');
  },
};

export const shell = {
  openExternal(url: string): Promise<void> {
    mock.openedExternal.push(url);
    return Promise.resolve();
  },
};

export const screen = {
  getAllDisplays: () => [{ id: 1, workArea: { x: 0, y: 0, width: 1920, height: 1080 } }],
  getPrimaryDisplay: () => ({ id: 1, workArea: { x: 0, y: 0, width: 1920, height: 1080 } }),
};

export const nativeImage = {
  createFromPath: (p: string) => ({ path: p, isEmpty: () => false }),
};

export const dialog = {
  showErrorBox(title: string, content: string): void {
    mock.errorBoxes.push({ title, content });
  },
};

export const powerMonitor = {
  idleSeconds: 0,
  getSystemIdleTime: (): number => powerMonitor.idleSeconds,
};

/** Clears every record and restores the defaults. */
export function resetElectronMock(): void {
  Object.assign(mock, {
    singleInstanceLock: true,
    userData: path.join(os.tmpdir(), 'conn-electron-mock'),
    encryptionAvailable: true,
    storageBackend: 'gnome_libsecret',
    isPackaged: false,
    quitCalls: 0,
    applicationMenu: null,
  });
  for (const list of [mock.exitCodes, mock.defaultProtocolClients, mock.privilegedSchemes, mock.openedExternal, mock.errorBoxes]) list.length = 0;
  mock.shortcutsTaken.clear();
  mock.protocolHandlers.clear();
  mock.exposed.clear();
  app._reset();
  BrowserWindow.instances.length = 0;
  ipcMain.handlers.clear();
  ipcMain.removeAllListeners();
  ipcRenderer.removeAllListeners();
  ipcRenderer.invoked.length = 0;
  ipcRenderer.invokeImpl = (channel, ...args) => ipcMain._invoke(channel, { url: 'app://conn/index.html' }, ...args);
  Object.assign(session.defaultSession, { permissionRequestHandler: null, permissionCheckHandler: null, devicePermissionHandler: null, displayMediaRequestHandler: null, displayMediaOptions: undefined });
  desktopCapturer.screens = [{ id: 'screen:0:0', name: 'Entire screen' }];
  MessageChannelMain.created.length = 0;
  utilityProcess.forked.length = 0;
  Tray.instances.length = 0;
  Notification.shown.length = 0;
  globalShortcut.registered.clear();
  powerMonitor.idleSeconds = 0;
}

export default { app, BrowserWindow, desktopCapturer, ipcMain, ipcRenderer, contextBridge, session, protocol, MessageChannelMain, utilityProcess, Tray, Menu, Notification, globalShortcut, safeStorage, shell, screen, nativeImage, dialog, powerMonitor };

import { beforeEach, describe, expect, it } from 'vitest';
import { installPermissionHandlers } from '../../main/shell/permissions.js';
import {
  ARM_WINDOW_MS,
  createSystemAudioGate,
  installSystemAudioHandler,
  systemAudioSupport,
  type DisplayMediaRequest,
  type SystemAudioDecision,
  type SystemAudioGate,
} from '../../main/shell/system-audio.js';
import { desktopCapturer, resetElectronMock, session } from '../mocks/electron.js';

const APP = 'app://conn/index.html';
const WINDOWS = systemAudioSupport('win32', '10.0.22631');

function ask(over: Partial<DisplayMediaRequest> = {}): DisplayMediaRequest {
  return { frame: { url: APP, parent: null }, securityOrigin: 'app://conn', videoRequested: true, audioRequested: true, ...over };
}

/** Runs the installed display-media handler and waits for its answer. */
function displayMedia(request: DisplayMediaRequest): Promise<unknown> {
  return new Promise((resolve) => session.defaultSession.displayMediaRequestHandler!(request, resolve));
}

function install(support: SystemAudioDecision): SystemAudioGate {
  const gate = createSystemAudioGate(support);
  installSystemAudioHandler(session.defaultSession, { support, gate, screens: () => desktopCapturer.getSources({ types: ['screen'] }) });
  installPermissionHandlers(session.defaultSession, { systemAudioArmed: gate.isArmed });
  return gate;
}

beforeEach(() => resetElectronMock());

describe("whether this computer's sound can be recorded", () => {
  it('uses loopback on Windows', () => {
    expect(WINDOWS).toMatchObject({ available: true, mode: 'loopback' });
  });

  it('uses the system picker from macOS 15 (Darwin 24) on', () => {
    expect(systemAudioSupport('darwin', '24.0.0')).toMatchObject({ available: true, mode: 'system-picker' });
    expect(systemAudioSupport('darwin', '25.1.0')).toMatchObject({ available: true, mode: 'system-picker' });
  });

  it('refuses older macOS, saying which version it needs', () => {
    const d = systemAudioSupport('darwin', '23.6.0');
    expect(d).toMatchObject({ available: false, mode: null });
    expect(d.reason).toContain('macOS 15');
  });

  it('refuses Linux, saying why in one line', () => {
    const d = systemAudioSupport('linux', '6.1.0-18-amd64');
    expect(d).toMatchObject({ available: false, mode: null });
    expect(d.reason).toBe("Electron cannot record the computer's sound on Linux, so only the microphone is recorded.");
  });

  it('refuses an unreadable release or another platform', () => {
    expect(systemAudioSupport('darwin', 'weird').available).toBe(false);
    expect(systemAudioSupport('freebsd', '14.0').available).toBe(false);
  });
});

describe('the arm', () => {
  it('holds for one request within its window', () => {
    let t = 1000;
    const gate = createSystemAudioGate(WINDOWS, () => t);
    expect(gate.isArmed()).toBe(false);
    expect(gate.arm()).toBe(true);
    expect(gate.isArmed()).toBe(true);
    expect(gate.take()).toBe(true);
    expect(gate.take()).toBe(false);
    gate.arm();
    t += ARM_WINDOW_MS;
    expect(gate.take()).toBe(false);
  });

  it('cannot be armed where the sound cannot be recorded', () => {
    const gate = createSystemAudioGate(systemAudioSupport('linux', '6.1.0'));
    expect(gate.arm()).toBe(false);
    expect(gate.isArmed()).toBe(false);
  });
});

describe('the display-media handler', () => {
  it('grants a screen with loopback audio to our page on Windows, once armed', async () => {
    const gate = install(WINDOWS);
    expect(session.defaultSession.displayMediaOptions).toEqual({ useSystemPicker: false });
    gate.arm();
    expect(await displayMedia(ask())).toEqual({ video: { id: 'screen:0:0', name: 'Entire screen' }, audio: 'loopback' });
    // One grant per arm.
    expect(await displayMedia(ask())).toBeNull();
  });

  it('refuses when Record has not armed it', async () => {
    install(WINDOWS);
    expect(await displayMedia(ask())).toBeNull();
  });

  it('refuses a page that is not ours, and an iframe inside ours', async () => {
    const gate = install(WINDOWS);
    gate.arm();
    expect(await displayMedia(ask({ securityOrigin: 'https://evil.example', frame: { url: 'https://evil.example/', parent: null } }))).toBeNull();
    gate.arm();
    expect(await displayMedia(ask({ frame: { url: APP, parent: { url: APP } } }))).toBeNull();
    gate.arm();
    expect(await displayMedia(ask({ frame: null }))).toBeNull();
  });

  it('refuses video without audio, and takes the arm so the next one is refused too', async () => {
    const gate = install(WINDOWS);
    gate.arm();
    expect(await displayMedia(ask({ audioRequested: false }))).toBeNull();
    expect(await displayMedia(ask())).toBeNull();
  });

  it('refuses when there is no screen to go with the loopback', async () => {
    const gate = install(WINDOWS);
    desktopCapturer.screens = [];
    gate.arm();
    expect(await displayMedia(ask())).toBeNull();
  });

  it('refuses on Linux even when asked properly', async () => {
    const gate = install(systemAudioSupport('linux', '6.1.0'));
    gate.arm();
    expect(await displayMedia(ask())).toBeNull();
  });

  it("asks for macOS's system picker from macOS 15, and never grants loopback there itself", async () => {
    const gate = install(systemAudioSupport('darwin', '24.1.0'));
    expect(session.defaultSession.displayMediaOptions).toEqual({ useSystemPicker: true });
    gate.arm();
    expect(await displayMedia(ask())).toBeNull();
  });
});

describe("the 'display-capture' permission", () => {
  function request(details: Record<string, unknown>, pageUrl = APP): boolean {
    let granted: boolean | null = null;
    session.defaultSession.permissionRequestHandler!({ getURL: () => pageUrl }, 'display-capture', (g: boolean) => (granted = g), details);
    return granted!;
  }

  it('is granted to our page only while armed and only with audio', () => {
    const gate = install(WINDOWS);
    expect(request({ requestingUrl: APP, mediaTypes: ['video', 'audio'] })).toBe(false);
    gate.arm();
    expect(request({ requestingUrl: APP, mediaTypes: ['video', 'audio'] })).toBe(true);
    expect(request({ requestingUrl: APP, mediaTypes: ['video'] })).toBe(false);
    expect(request({ requestingUrl: 'https://evil.example/', mediaTypes: ['video', 'audio'] }, 'https://evil.example/')).toBe(false);
    // The permission does not take the arm: the display-media handler that follows does.
    expect(gate.isArmed()).toBe(true);
  });

  it('answers a permission check from the arm and the origin', () => {
    const gate = install(WINDOWS);
    const check = session.defaultSession.permissionCheckHandler!;
    expect(check(null, 'display-capture', 'app://conn', { mediaType: 'video' })).toBe(false);
    gate.arm();
    expect(check(null, 'display-capture', 'app://conn', { mediaType: 'video' })).toBe(true);
    expect(check(null, 'display-capture', 'https://evil.example', {})).toBe(false);
  });

  it('is never granted where the sound cannot be recorded', () => {
    const gate = install(systemAudioSupport('linux', '6.1.0'));
    gate.arm();
    expect(request({ requestingUrl: APP, mediaTypes: ['video', 'audio'] })).toBe(false);
  });
});

import { beforeEach, describe, expect, it } from 'vitest';
import { installPermissionHandlers, isPermissionAllowed } from '../../main/shell/permissions.js';
import { resetElectronMock, session } from '../mocks/electron.js';

const APP = 'app://conn/index.html';

function request(permission: string, details: Record<string, unknown>, pageUrl = APP): boolean {
  let granted: boolean | null = null;
  session.defaultSession.permissionRequestHandler!({ getURL: () => pageUrl }, permission, (g: boolean) => (granted = g), details);
  if (granted === null) throw new Error('the handler never answered');
  return granted;
}

beforeEach(() => {
  resetElectronMock();
  installPermissionHandlers(session.defaultSession);
});

describe('permission handlers', () => {
  it('grants notifications to our page', () => {
    expect(request('notifications', { requestingUrl: APP })).toBe(true);
  });

  it('grants the microphone for call recording, audio only', () => {
    expect(request('media', { requestingUrl: APP, mediaTypes: ['audio'] })).toBe(true);
  });

  it('refuses the camera, and audio asked together with video', () => {
    expect(request('media', { requestingUrl: APP, mediaTypes: ['video'] })).toBe(false);
    expect(request('media', { requestingUrl: APP, mediaTypes: ['audio', 'video'] })).toBe(false);
    expect(request('media', { requestingUrl: APP, mediaTypes: [] })).toBe(false);
  });

  it.each(['geolocation', 'display-capture', 'clipboard-read', 'midiSysex', 'openExternal', 'fullscreen', 'hid', 'serial', 'usb', 'pointerLock', 'unknown'])(
    'refuses %s by default',
    (permission) => {
      expect(request(permission, { requestingUrl: APP })).toBe(false);
    },
  );

  it('refuses even notifications to a page that is not ours', () => {
    expect(request('notifications', { requestingUrl: 'https://evil.example/' }, 'https://evil.example/')).toBe(false);
    expect(request('media', { requestingUrl: 'https://evil.example/', mediaTypes: ['audio'] })).toBe(false);
  });

  it('answers permission checks the same way', () => {
    const check = session.defaultSession.permissionCheckHandler!;
    expect(check(null, 'notifications', 'app://conn', {})).toBe(true);
    expect(check(null, 'media', 'app://conn', { mediaType: 'audio' })).toBe(true);
    expect(check(null, 'media', 'app://conn', { mediaType: 'video' })).toBe(false);
    expect(check(null, 'media', 'app://conn', { mediaType: 'unknown' })).toBe(false);
    expect(check(null, 'geolocation', 'app://conn', {})).toBe(false);
    expect(check(null, 'notifications', 'https://evil.example', {})).toBe(false);
  });

  it('refuses every device (HID, serial, USB)', () => {
    expect(session.defaultSession.devicePermissionHandler!({ deviceType: 'usb', origin: 'app://conn' })).toBe(false);
  });

  it('decides from the permission and origin alone when called directly', () => {
    expect(isPermissionAllowed('notifications', 'app://conn')).toBe(true);
    expect(isPermissionAllowed('notifications', undefined)).toBe(false);
  });
});

import { isAppUrl } from './navigation.js';

/*
 * Deny by default. The cockpit needs two browser permissions: notifications, and the
 * microphone ('media', audio only) to record incident calls for the minutes. Camera, screen
 * capture, geolocation, USB, clipboard-read and the rest are refused, and only our own
 * app:// page may get even those two.
 */
export const ALLOWED_PERMISSIONS: ReadonlySet<string> = new Set(['notifications', 'media']);

interface PermissionDetails {
  requestingUrl?: string;
  mediaTypes?: ReadonlyArray<string>;
  mediaType?: string;
}

function mediaIsAudioOnly(details: PermissionDetails): boolean {
  if (details.mediaTypes) return details.mediaTypes.length > 0 && details.mediaTypes.every((t) => t === 'audio');
  // The check handler gives one mediaType; 'unknown' (an enumeration) is not a microphone grant.
  return details.mediaType === 'audio';
}

export function isPermissionAllowed(permission: string, origin: string | null | undefined, details: PermissionDetails = {}): boolean {
  if (!ALLOWED_PERMISSIONS.has(permission) || !isAppUrl(origin)) return false;
  return permission === 'media' ? mediaIsAudioOnly(details) : true;
}

/** Where the handlers are installed: an Electron Session, structurally. */
export interface PermissionSession {
  setPermissionRequestHandler(handler: (wc: { getURL(): string }, permission: string, callback: (granted: boolean) => void, details: PermissionDetails) => void): void;
  setPermissionCheckHandler(handler: (wc: { getURL(): string } | null, permission: string, requestingOrigin: string, details: PermissionDetails) => boolean): void;
  setDevicePermissionHandler(handler: () => boolean): void;
}

export function installPermissionHandlers(session: PermissionSession): void {
  session.setPermissionRequestHandler((wc, permission, callback, details) => {
    callback(isPermissionAllowed(permission, details.requestingUrl ?? wc.getURL(), details));
  });
  session.setPermissionCheckHandler((_wc, permission, requestingOrigin, details) =>
    isPermissionAllowed(permission, requestingOrigin, details),
  );
  // HID, serial and USB devices: never.
  session.setDevicePermissionHandler(() => false);
}

import { isAppUrl } from './navigation.js';

/*
 * Deny by default. The cockpit needs two browser permissions: notifications, and the
 * microphone ('media', audio only) to record incident calls for the minutes. A third,
 * 'display-capture', only in one case: Record asked to also take this computer's sound, and the
 * system-audio gate is armed (system-audio.ts). Electron 45 reports getDisplayMedia as
 * 'display-capture' to this handler before the display-media handler runs, and on macOS's
 * system picker this is the only gate there is. Camera, screen capture for its own sake,
 * geolocation, USB, clipboard-read and the rest are refused, and only our own app:// page may
 * get any of them.
 */
export const ALLOWED_PERMISSIONS: ReadonlySet<string> = new Set(['notifications', 'media', 'display-capture']);

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

export interface PermissionOptions {
  /** True while Record has armed the capture of this computer's sound; absent: never. */
  systemAudioArmed?: () => boolean;
}

function displayCaptureWantsAudio(details: PermissionDetails): boolean {
  // A request lists what getDisplayMedia asked for. A check carries one mediaType at most (it may
  // name the video half of the same capture), so a check is decided by the arm and the origin;
  // the request that follows is still held to asking for audio.
  return details.mediaTypes ? details.mediaTypes.includes('audio') : true;
}

export function isPermissionAllowed(permission: string, origin: string | null | undefined, details: PermissionDetails = {}, opts: PermissionOptions = {}): boolean {
  if (!ALLOWED_PERMISSIONS.has(permission) || !isAppUrl(origin)) return false;
  if (permission === 'media') return mediaIsAudioOnly(details);
  if (permission === 'display-capture') return displayCaptureWantsAudio(details) && (opts.systemAudioArmed?.() ?? false);
  return true;
}

/** Where the handlers are installed: an Electron Session, structurally. */
export interface PermissionSession {
  setPermissionRequestHandler(handler: (wc: { getURL(): string }, permission: string, callback: (granted: boolean) => void, details: PermissionDetails) => void): void;
  setPermissionCheckHandler(handler: (wc: { getURL(): string } | null, permission: string, requestingOrigin: string, details: PermissionDetails) => boolean): void;
  setDevicePermissionHandler(handler: () => boolean): void;
}

export function installPermissionHandlers(session: PermissionSession, opts: PermissionOptions = {}): void {
  session.setPermissionRequestHandler((wc, permission, callback, details) => {
    callback(isPermissionAllowed(permission, details.requestingUrl ?? wc.getURL(), details, opts));
  });
  session.setPermissionCheckHandler((_wc, permission, requestingOrigin, details) =>
    isPermissionAllowed(permission, requestingOrigin, details, opts),
  );
  // HID, serial and USB devices: never.
  session.setDevicePermissionHandler(() => false);
}

import type { SystemAudioSupport } from '../../shared/api/contract.js';
import { isAppUrl } from './navigation.js';

/*
 * Recording the computer's sound (the other participants of a call) next to the microphone, on
 * the systems where Electron can capture it (docs/call-audio.md, "System audio in Electron"):
 *
 * - Windows: Chromium's audio loopback. getDisplayMedia reaches our display-media handler,
 *   which answers with a screen (Chromium cannot give loopback audio without a video source;
 *   the renderer stops the video track at once) and `audio: 'loopback'`.
 * - macOS 15+: the system picker (ScreenCaptureKit), which lets the person share a screen or
 *   window with its sound. Electron then never calls our handler; the 'display-capture'
 *   permission (permissions.ts) is the gate.
 * - Linux and older macOS: Electron has no system-audio capture; we refuse and say so.
 *
 * Only while armed: the renderer arms the gate from the Record action, just before it calls
 * getDisplayMedia, and the first request (or ARM_WINDOW_MS) disarms it. Origin and "audio was
 * asked for" alone would let any getDisplayMedia call on our page (a later feature, a bug, an
 * injected script that got past the CSP) start capturing everything the computer plays without
 * anyone pressing Record; the arm ties each capture to that press.
 */

/** Darwin 24 is macOS 15 (Sequoia), the first with the system picker Electron can use. */
const FIRST_DARWIN_WITH_PICKER = 24;
/** Long enough for one IPC round trip and the microphone request, short enough to not linger. */
export const ARM_WINDOW_MS = 10_000;

export type SystemAudioMode = 'loopback' | 'system-picker';

export interface SystemAudioDecision extends SystemAudioSupport {
  mode: SystemAudioMode | null;
}

/** Whether this computer's sound can be recorded here, from the platform and the kernel release. */
export function systemAudioSupport(platform: NodeJS.Platform, release: string): SystemAudioDecision {
  if (platform === 'win32') {
    return { available: true, mode: 'loopback', reason: 'Windows records what this computer plays together with the microphone.' };
  }
  if (platform === 'darwin') {
    const darwin = Number.parseInt(release.split('.')[0] ?? '', 10);
    if (Number.isFinite(darwin) && darwin >= FIRST_DARWIN_WITH_PICKER) {
      return { available: true, mode: 'system-picker', reason: "macOS asks which screen or window to share: share one with its sound to record this computer's sound." };
    }
    return { available: false, mode: null, reason: "The computer's sound can be recorded on macOS 15 or later; this Mac runs an older macOS, so only the microphone is recorded." };
  }
  if (platform === 'linux') {
    return { available: false, mode: null, reason: "Electron cannot record the computer's sound on Linux, so only the microphone is recorded." };
  }
  return { available: false, mode: null, reason: `The computer's sound cannot be recorded on ${platform}, so only the microphone is recorded.` };
}

/** The one-shot permission the Record action gives for a single getDisplayMedia. */
export interface SystemAudioGate {
  /** Arms for one request; false (and nothing armed) where the computer's sound cannot be recorded. */
  arm(): boolean;
  /** Armed and not expired; does not disarm (the permission check comes before the request). */
  isArmed(): boolean;
  /** Armed and not expired; disarms. */
  take(): boolean;
}

export function createSystemAudioGate(support: SystemAudioDecision, now: () => number = Date.now): SystemAudioGate {
  let armedUntil = 0;
  const isArmed = () => now() < armedUntil;
  return {
    arm() {
      if (!support.available) return false;
      armedUntil = now() + ARM_WINDOW_MS;
      return true;
    },
    isArmed,
    take() {
      const was = isArmed();
      armedUntil = 0;
      return was;
    },
  };
}

/** What Electron's display-media handler is told, structurally (DisplayMediaRequestHandlerHandlerRequest). */
export interface DisplayMediaRequest {
  frame: { url: string; parent: unknown } | null;
  securityOrigin: string;
  videoRequested: boolean;
  audioRequested: boolean;
}

/**
 * Grant only our own top-level app:// page, only a request that asks for audio, only while
 * armed, only where loopback exists. Takes the arm in every case, so a refused request does not
 * leave it armed for the next one.
 */
export function mayCaptureSystemAudio(request: DisplayMediaRequest, support: SystemAudioDecision, gate: SystemAudioGate): boolean {
  const armed = gate.take();
  const ours = isAppUrl(request.securityOrigin) && request.frame !== null && request.frame.parent === null && isAppUrl(request.frame.url);
  return armed && ours && request.audioRequested && support.mode === 'loopback';
}

/** A screen source from desktopCapturer: loopback audio comes with a video source in Chromium. */
export interface ScreenSource {
  id: string;
  name: string;
}

export interface DisplayMediaSession {
  setDisplayMediaRequestHandler(
    handler: (request: DisplayMediaRequest, callback: (streams: { video?: ScreenSource; audio?: 'loopback' } | null) => void) => void,
    opts?: { useSystemPicker: boolean },
  ): void;
}

export interface SystemAudioDeps {
  support: SystemAudioDecision;
  gate: SystemAudioGate;
  /** desktopCapturer.getSources({ types: ['screen'] }) in the app. */
  screens(): Promise<ScreenSource[]>;
  warn?(line: string): void;
}

/**
 * Installs the display-media handler. Everything it does not grant is refused with null, which
 * Chromium reports to the page as NotAllowedError; the recording then goes on with the microphone.
 */
export function installSystemAudioHandler(session: DisplayMediaSession, deps: SystemAudioDeps): void {
  session.setDisplayMediaRequestHandler(
    (request, callback) => {
      if (!mayCaptureSystemAudio(request, deps.support, deps.gate)) return callback(null);
      deps.screens().then(
        (sources) => {
          const screen = sources[0];
          callback(screen ? { video: screen, audio: 'loopback' } : null);
        },
        (err: unknown) => {
          deps.warn?.(`conn: no screen to record the computer's sound with: ${err instanceof Error ? err.message : String(err)}`);
          callback(null);
        },
      );
    },
    // Only asked for on macOS 15+, where the OS picker replaces the handler (and can share sound).
    { useSystemPicker: deps.support.mode === 'system-picker' },
  );
}

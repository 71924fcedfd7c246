import { SYSTEM_AUDIO_BROWSER_REASON, type SystemAudioSupport } from '../../shared/api/contract.js';
import { rpc } from '../api/client.js';

/*
 * This computer's sound (what the other participants say, through the speakers or a headset)
 * recorded with the microphone. The desktop shell says whether this system can (Windows
 * loopback, macOS 15+'s picker; main/shell/system-audio.ts) and arms one getDisplayMedia per
 * Record. The browser build has no shell: `conn web` answers shell.* with not-found.
 */

const PREFERENCE_KEY = 'conn.recordSystemAudio';

export async function loadSystemAudioSupport(): Promise<SystemAudioSupport> {
  try {
    return await rpc().callShell('shell.systemAudio', {});
  } catch (err) {
    if (!window.connBridge) return { available: false, reason: SYSTEM_AUDIO_BROWSER_REASON };
    return { available: false, reason: `The desktop app did not say whether it can record this computer's sound (${err instanceof Error ? err.message : String(err)}).` };
  }
}

/** The person's choice, kept on this device only (it is about this computer). */
export function recallSystemAudioChoice(): boolean {
  try {
    return window.localStorage.getItem(PREFERENCE_KEY) === 'on';
  } catch {
    return false; // storage refused (a locked-down profile): the option starts off
  }
}

export function rememberSystemAudioChoice(on: boolean): void {
  try {
    window.localStorage.setItem(PREFERENCE_KEY, on ? 'on' : 'off');
  } catch {
    // Not remembered; the choice still holds until the window closes.
  }
}

export type SystemAudioCapture = { stream: MediaStream } | { why: string };

function describe(err: unknown): string {
  if (err instanceof DOMException && err.name === 'NotAllowedError') return 'it was not allowed';
  if (err instanceof DOMException && err.name === 'NotFoundError') return 'there was no screen to take it from';
  return err instanceof Error ? err.message : String(err);
}

/**
 * Asks for this computer's sound: arms the shell, then getDisplayMedia. Chromium gives the
 * sound only together with a screen, so video is asked for and its tracks stopped at once: no
 * picture is ever taken. Never throws: a refusal is a sentence, and the recording goes on with
 * the microphone.
 */
export async function captureSystemAudio(): Promise<SystemAudioCapture> {
  try {
    const { armed } = await rpc().callShell('shell.armSystemAudio', {});
    if (!armed) return { why: 'the desktop app cannot record it on this computer' };
  } catch (err) {
    return { why: describe(err) };
  }
  let stream: MediaStream;
  try {
    stream = await navigator.mediaDevices.getDisplayMedia({ audio: true, video: true });
  } catch (err) {
    return { why: describe(err) };
  }
  for (const t of stream.getVideoTracks()) {
    t.stop();
    stream.removeTrack(t);
  }
  if (stream.getAudioTracks().length === 0) return { why: 'what was shared came without its sound' };
  return { stream };
}

import { execFileSync } from 'node:child_process';

/**
 * Launch options for Chromium with a fake microphone that plays `wav` (looped) and grants it
 * without asking. A spec's launchOptions replace the config's whole object, so this names the
 * same Chromium (CONN_CHROMIUM or the one on PATH) and --no-sandbox again.
 */
export function fakeMicrophoneLaunch(wav: string) {
  return {
    executablePath: process.env['CONN_CHROMIUM'] ?? execFileSync('which', ['chromium'], { encoding: 'utf8' }).trim(),
    args: ['--no-sandbox', '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-audio-capture=${wav}`, '--autoplay-policy=no-user-gesture-required'],
  };
}

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { SYSTEM_AUDIO_BROWSER_REASON } from '../../shared/api/contract.js';
import { AUDIO_FORMAT } from '../../shared/domain/recording.js';
import { WAV_HEADER_BYTES, wavHeader } from '../../main/core/store/wav.js';
import { RECORDINGS_DIR } from '../../main/core/store/recordings.js';
import { declareIncident } from './cockpit-actions.js';
import { conn, removeDir, startCockpit, type Cockpit } from './conn-processes.js';
import { fakeMicrophoneLaunch } from './fake-microphone.js';

/*
 * Recording this computer's sound with the microphone (docs/call-audio.md, "System audio in
 * Electron"). Electron cannot run here and Linux has no loopback, so the part the desktop shell
 * and the OS play is faked, and only that part: an init script answers the two shell methods
 * (shell.systemAudio: available; shell.armSystemAudio: armed) where the desktop app's preload
 * would, and getDisplayMedia returns what Windows' loopback would, a stream of sound (a 1 kHz
 * tone from an OscillatorNode) with a video track. Everything after it is the app's own: the
 * option, the arm, stopping the video, mixing with the microphone (Chromium's fake device
 * playing a 300 Hz tone from a WAV), the chunks, the WAV on disk. The file must hold both tones.
 */

const SYSTEM_HZ = 1000;
const MIC_HZ = 300;
/** Neither tone nor a harmonic of one: the floor the two are measured against. */
const QUIET_HZ = 2300;

const micDir = mkdtempSync(path.join(tmpdir(), 'conn-e2e-mic-'));
const micWav = path.join(micDir, 'mic-300hz.wav');
{
  const rate = AUDIO_FORMAT.sampleRate;
  const pcm = Buffer.alloc(rate * 2 * 2); // two seconds; the fake device loops it
  for (let i = 0; i < rate * 2; i++) pcm.writeInt16LE(Math.round(0.3 * 0x7fff * Math.sin((2 * Math.PI * MIC_HZ * i) / rate)), i * 2);
  writeFileSync(micWav, Buffer.concat([wavHeader(pcm.length), pcm]));
}

test.use({ launchOptions: fakeMicrophoneLaunch(micWav) });

let cockpit: Cockpit;
test.beforeEach(async () => {
  cockpit = await startCockpit('Alice');
});
test.afterEach(async () => {
  await cockpit.stop();
  removeDir(cockpit.dataDir);
});
test.afterAll(() => rmSync(micDir, { recursive: true, force: true }));

interface FakeShell {
  arms: number;
  asked: unknown;
  video: MediaStreamTrack | null;
}

/** Stands in for the desktop shell and the OS's loopback; `allow: false` refuses like a denied getDisplayMedia. */
async function fakeDesktopSound(page: Page, allow: boolean): Promise<void> {
  await page.addInitScript(
    ({ allow, hz }) => {
      const fake: FakeShell = { arms: 0, asked: null, video: null };
      (window as unknown as { fakeShell: FakeShell }).fakeShell = fake;
      const answers: Record<string, unknown> = {
        'shell.systemAudio': { available: true, reason: 'Windows records what this computer plays together with the microphone.' },
        'shell.armSystemAudio': { armed: true },
      };
      // The preload would route shell.* to the main process; here they would reach `conn web`.
      const Native = window.WebSocket;
      class WithShell extends Native {
        override send(data: string | ArrayBufferLike | Blob | ArrayBufferView): void {
          if (typeof data === 'string') {
            const r = JSON.parse(data) as { id: number; method: string };
            if (r.method in answers) {
              if (r.method === 'shell.armSystemAudio') fake.arms++;
              setTimeout(() => this.dispatchEvent(new MessageEvent('message', { data: JSON.stringify({ id: r.id, result: answers[r.method] }) })), 0);
              return;
            }
          }
          super.send(data);
        }
      }
      window.WebSocket = WithShell;
      navigator.mediaDevices.getDisplayMedia = async (constraints?: DisplayMediaStreamOptions) => {
        fake.asked = constraints ?? null;
        if (!allow) throw new DOMException('Permission denied', 'NotAllowedError');
        const ctx = new AudioContext();
        const tone = ctx.createOscillator();
        tone.frequency.value = hz;
        const level = ctx.createGain();
        level.gain.value = 0.3;
        const out = ctx.createMediaStreamDestination();
        tone.connect(level).connect(out);
        tone.start();
        const canvas = document.createElement('canvas');
        canvas.width = canvas.height = 16;
        canvas.getContext('2d')!.fillRect(0, 0, 16, 16);
        fake.video = canvas.captureStream(1).getVideoTracks()[0]!;
        return new MediaStream([...out.stream.getAudioTracks(), fake.video]);
      };
    },
    { allow, hz: SYSTEM_HZ },
  );
}

async function startCall(page: Page): Promise<void> {
  await page.goto(cockpit.url);
  await declareIncident(page, 'Checkout returns 502');
  const bar = page.getByRole('region', { name: 'Call' });
  await bar.getByRole('button', { name: 'Start call' }).click();
  await page.getByLabel('What it is for (optional)').fill('Checkout bridge');
  await page.getByLabel('What it is for (optional)').press('Enter');
  await expect(page.getByText('Checkout bridge running')).toBeVisible();
}

/** The power of one frequency in 16 kHz samples (Goertzel), per sample. */
function powerAt(samples: Int16Array, hz: number): number {
  const k = 2 * Math.cos((2 * Math.PI * hz) / AUDIO_FORMAT.sampleRate);
  let s1 = 0;
  let s2 = 0;
  for (const x of samples) {
    const s0 = x / 0x8000 + k * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  return (s1 * s1 + s2 * s2 - k * s1 * s2) / samples.length;
}

function recordedSamples(): { durationMs: number; samples: Int16Array } {
  const listed = JSON.parse(conn(cockpit.dataDir, '--json', 'recording', 'list')) as { recordings: Array<{ id: string; durationMs: number }> };
  expect(listed.recordings).toHaveLength(1);
  const rec = listed.recordings[0]!;
  const file = readFileSync(path.join(cockpit.dataDir, RECORDINGS_DIR, `${rec.id}.wav`));
  const data = file.subarray(WAV_HEADER_BYTES);
  return { durationMs: rec.durationMs, samples: new Int16Array(data.buffer, data.byteOffset, data.length >> 1) };
}

const OPTION = "Also record this computer's sound";

test("records this computer's sound mixed with the microphone, and remembers the choice", async ({ page }) => {
  await fakeDesktopSound(page, true);
  await startCall(page);
  const bar = page.getByRole('region', { name: 'Call' });
  const option = bar.getByRole('checkbox', { name: OPTION });
  await expect(option).toBeEnabled();
  await expect(option).not.toBeChecked();
  await option.check();

  // Remembered on this device: still on after a reload.
  await page.reload();
  await expect(page.getByText('Checkout bridge running')).toBeVisible();
  await expect(bar.getByRole('checkbox', { name: OPTION })).toBeChecked();

  await bar.getByRole('button', { name: 'Record' }).click();
  await expect(bar.locator('[data-recording-sources]')).toHaveText("Recording · microphone and this computer's sound");
  await expect(bar.locator('[data-call-recording]')).toHaveText('● Recorded by Alice');
  // Armed once, asked for sound (and the video Chromium needs with it), the video stopped at once.
  const fake = await page.evaluate(() => {
    const f = (window as unknown as { fakeShell: FakeShell }).fakeShell;
    return { arms: f.arms, asked: f.asked, video: f.video?.readyState };
  });
  expect(fake).toEqual({ arms: 1, asked: { audio: true, video: true }, video: 'ended' });
  await page.waitForTimeout(4000);
  await bar.getByRole('button', { name: 'Stop recording' }).click();
  await expect(bar.locator('[data-recording-sources]')).toHaveCount(0);

  const { durationMs, samples } = recordedSamples();
  expect(durationMs).toBeGreaterThan(3000);
  // Skip the first half second (the sources starting), measure the rest.
  const steady = samples.subarray(AUDIO_FORMAT.sampleRate / 2);
  const quiet = powerAt(steady, QUIET_HZ);
  const system = powerAt(steady, SYSTEM_HZ);
  const mic = powerAt(steady, MIC_HZ);
  console.log(`tone power per sample: system ${SYSTEM_HZ} Hz ${system.toExponential(2)}, microphone ${MIC_HZ} Hz ${mic.toExponential(2)}, floor ${QUIET_HZ} Hz ${quiet.toExponential(2)}`);
  expect(system).toBeGreaterThan(100 * quiet);
  expect(mic).toBeGreaterThan(100 * quiet);
});

test('goes on with the microphone alone when the computer\'s sound is refused, and says so', async ({ page }) => {
  await fakeDesktopSound(page, false);
  await startCall(page);
  const bar = page.getByRole('region', { name: 'Call' });
  await bar.getByRole('checkbox', { name: OPTION }).check();
  await bar.getByRole('button', { name: 'Record' }).click();
  await expect(bar.locator('[data-recording-sources]')).toHaveText('Recording · microphone');
  await expect(bar.locator('[data-recording-notice]')).toHaveText("This computer's sound is not recorded: it was not allowed. The microphone is.");
  await page.waitForTimeout(2500);
  await bar.getByRole('button', { name: 'Stop recording' }).click();
  await expect(bar.locator('[data-recording-sources]')).toHaveCount(0);
  const { samples } = recordedSamples();
  const steady = samples.subarray(AUDIO_FORMAT.sampleRate / 2);
  expect(powerAt(steady, MIC_HZ)).toBeGreaterThan(100 * powerAt(steady, QUIET_HZ));
  expect(powerAt(steady, SYSTEM_HZ)).toBeLessThan(powerAt(steady, MIC_HZ) / 100);
});

test("in a plain browser there is no option: \"Microphone only\", with the reason on hover and for screen readers", async ({ page }) => {
  await startCall(page);
  const bar = page.getByRole('region', { name: 'Call' });
  // No option to tick: "Microphone only", the reason on hover and for screen readers.
  await expect(bar.getByRole('checkbox', { name: OPTION })).toHaveCount(0);
  const note = bar.locator('[data-system-audio-reason]');
  await expect(note).toHaveText(`Microphone only: ${SYSTEM_AUDIO_BROWSER_REASON}`);
  await expect(note).toHaveAttribute('title', SYSTEM_AUDIO_BROWSER_REASON);
  await expect(note).toBeVisible();
  // Record still records the microphone.
  await bar.getByRole('button', { name: 'Record' }).click();
  await expect(bar.locator('[data-recording-sources]')).toHaveText('Recording · microphone');
  await bar.getByRole('button', { name: 'Stop recording' }).click();
});

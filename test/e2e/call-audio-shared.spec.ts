import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { AUDIO_FORMAT } from '../../shared/domain/recording.js';
import { wavHeader } from '../../main/core/store/wav.js';
import { declareIncident, timelineOf, write } from './cockpit-actions.js';
import { removeDir, startCockpit, startHub, type Cockpit, type Hub } from './conn-processes.js';
import { fakeMicrophoneLaunch } from './fake-microphone.js';

/*
 * Issue 15's last step, as a teammate lives it: Alice records the call and logs a decision while
 * talking, then shares the recording; Bob, in another browser with his own cockpit on the same
 * hub, has never had the audio, and ▶ on the same decision fetches it from the hub and plays the
 * call from that moment. Real hub, two `conn web` cockpits, Chromium's fake microphone playing a
 * tone (the words are not under test here; call-audio.spec.ts has the transcript).
 */

const micDir = mkdtempSync(path.join(tmpdir(), 'conn-e2e-shared-mic-'));
const micWav = path.join(micDir, 'mic-440hz.wav');
{
  const rate = AUDIO_FORMAT.sampleRate;
  const pcm = Buffer.alloc(rate * 2 * 2); // two seconds; the fake device loops it
  for (let i = 0; i < rate * 2; i++) pcm.writeInt16LE(Math.round(0.3 * 0x7fff * Math.sin((2 * Math.PI * 440 * i) / rate)), i * 2);
  writeFileSync(micWav, Buffer.concat([wavHeader(pcm.length), pcm]));
}

test.use({ launchOptions: fakeMicrophoneLaunch(micWav) });

let hub: Hub;
let alice: Cockpit;
let bob: Cockpit;
test.beforeEach(async () => {
  hub = await startHub();
  alice = await startCockpit('Alice', { hub: { url: hub.url, token: hub.invite('Alice', 'admin') } });
  bob = await startCockpit('Bob', { hub: { url: hub.url, token: hub.invite('Bob') } });
});
test.afterEach(async () => {
  await Promise.all([alice.stop(), bob.stop(), hub.stop()]);
  for (const d of [alice.dataDir, bob.dataDir, hub.dataDir]) removeDir(d);
});
test.afterAll(() => rmSync(micDir, { recursive: true, force: true }));

async function online(browser: Browser, url: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(url);
  await expect(page.getByRole('status', { name: 'Sync status' })).toContainText('Online', { timeout: 45_000 });
  return page;
}

test('a teammate plays the shared recording from the same decision, fetched from the hub', async ({ browser }) => {
  test.setTimeout(180_000);
  const a = await online(browser, alice.url);
  await declareIncident(a, 'Checkout returns 502');
  const incidentId = new URL(a.url()).hash.replace('#/incident/', '');

  const bar = a.getByRole('region', { name: 'Call' });
  await bar.getByRole('button', { name: 'Start call' }).click();
  await a.getByLabel('What it is for (optional)').fill('Checkout bridge');
  await a.getByLabel('What it is for (optional)').press('Enter');
  await expect(a.getByText('Checkout bridge running')).toBeVisible();
  await bar.getByRole('button', { name: 'Record' }).click();
  await expect(bar.locator('[data-call-recording]')).toHaveText('● Recorded by Alice');
  await a.waitForTimeout(4000);
  await a.getByRole('textbox', { name: 'Add to timeline' }).focus();
  await a.keyboard.press('Alt+2');
  await write(a, 'Roll back the checkout deploy');
  await a.waitForTimeout(2500);
  await bar.getByRole('button', { name: 'Stop recording' }).click();
  await expect(timelineOf(a)).toContainText(/Recording stopped \(0:\d\d\)/);

  const aliceDecision = timelineOf(a).getByRole('listitem').filter({ hasText: 'Roll back the checkout deploy' });
  const offsetMs = Number(await aliceDecision.locator('.play-from').getAttribute('data-play-offset'));
  expect(offsetMs).toBeGreaterThan(3000);

  // Nothing is shared until someone chooses Share; then the timeline says so.
  const row = a.locator('[data-recording-id]');
  await row.getByRole('button', { name: 'Share' }).click();
  await expect(row.locator('.badge')).toHaveText('shared', { timeout: 60_000 });
  await expect(timelineOf(a)).toContainText(/Recording shared with the team \(0:\d\d\)/);

  // Bob, in another browser: the same decision, the same moment, and the audio comes from the hub.
  const b = await online(browser, `${bob.url}#/incident/${incidentId}`);
  const bobDecision = timelineOf(b).getByRole('listitem').filter({ hasText: 'Roll back the checkout deploy' });
  const bobPlay = bobDecision.locator('.play-from');
  await expect(bobPlay).toBeVisible({ timeout: 30_000 });
  await expect(bobPlay).toHaveAttribute('data-play-offset', String(offsetMs));
  await expect(bobPlay).toHaveAttribute('title', /fetched from the hub/);
  await expect(b.locator('[data-recording-id]')).toHaveCount(0);
  await bobPlay.click();
  const player = b.locator('audio[data-call-player]');
  await expect.poll(async () => player.evaluate((el: HTMLAudioElement) => el.readyState), { timeout: 30_000 }).toBeGreaterThan(0);
  const at = await player.evaluate((el: HTMLAudioElement) => el.currentTime);
  expect(at).toBeGreaterThanOrEqual(offsetMs / 1000 - 0.05);
  expect(at).toBeLessThan(offsetMs / 1000 + 2);
  // The recording is now on Bob's device too, listed with its size.
  await expect(b.locator('[data-recording-id] [data-recording-size]')).toHaveText(/\d+ KB/);
});

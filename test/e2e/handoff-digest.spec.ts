import { expect, test, type Browser, type Page } from '@playwright/test';
import { WebSocket } from 'ws';
import { formatInZone, localClock } from '../../shared/time/zone.js';
import { declareIncident } from './cockpit-actions.js';
import { conn, removeDir, startCockpit, startHub, tempDir, type Cockpit, type Hub } from './conn-processes.js';

/*
 * The team's memory across time zones, end to end: Alice in Los Angeles runs a call with two
 * attendees, publishes its minutes and offers Bob the commander role in the app; Bob in Kolkata
 * opens his app later, is shown "While you were away" in his own time, and accepts; Alice's
 * cockpit then shows Bob as commander. Two `conn web` cockpits, one real hub, Chromium with each
 * browser in its person's zone. The call bar is another change's: the call is run through the
 * same API the app uses (events.append, calls.end, minutes.publish), over the page's own socket.
 */

let hub: Hub;
let alice: Cockpit;
let bob: Cockpit;
/** Bob's working hours, chosen so that now is well outside them: three to five hours from now in Kolkata. */
let bobHours: string;

function hoursFromNowIn(zone: string, fromH: number, toH: number): string {
  const hour = Number(localClock(new Date(), zone).slice(0, 2));
  const hh = (h: number) => `${String((hour + h) % 24).padStart(2, '0')}:00`;
  return `${hh(fromH)}-${hh(toH)}`;
}

test.beforeEach(async () => {
  hub = await startHub();
  const aliceDir = tempDir('alice');
  const bobDir = tempDir('bob');
  bobHours = hoursFromNowIn('Asia/Kolkata', 3, 5);
  conn(aliceDir, 'profile', '--name', 'Alice', '--tz', 'America/Los_Angeles', '--hours', '00:00-23:59');
  conn(bobDir, 'profile', '--name', 'Bob', '--tz', 'Asia/Kolkata', '--hours', bobHours);
  alice = await startCockpit('Alice', { dataDir: aliceDir, hub: { url: hub.url, token: hub.invite('Alice') } });
  bob = await startCockpit('Bob', { dataDir: bobDir, hub: { url: hub.url, token: hub.invite('Bob') } });
});

test.afterEach(async () => {
  await Promise.all([alice.stop(), bob.stop(), hub.stop()]);
  for (const d of [alice.dataDir, bob.dataDir, hub.dataDir]) removeDir(d);
});

async function openIn(browser: Browser, url: string, timezoneId: string): Promise<Page> {
  const page = await (await browser.newContext({ timezoneId, viewport: { width: 1360, height: 900 } })).newPage();
  await page.goto(url);
  await expect(page.getByRole('status', { name: 'Sync status' })).toContainText('Online', { timeout: 15_000 });
  return page;
}

/**
 * One call of the core's API, over the WebSocket `conn web` serves the app on (with the token and
 * the Origin a page of that host sends): the same handlers the app's own client reaches.
 */
async function api<T>(cockpit: Cockpit, method: string, params: unknown): Promise<T> {
  const url = new URL(cockpit.url);
  const ws = new WebSocket(`ws://${url.host}/rpc?token=${url.searchParams.get('token') ?? ''}`, { origin: url.origin });
  try {
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    ws.send(JSON.stringify({ id: 1, method, params }));
    const reply = await new Promise<{ result?: unknown; error?: { message: string } }>((resolve) => {
      ws.on('message', (data: Buffer) => {
        const msg = JSON.parse(data.toString('utf8')) as { id?: number; result?: unknown; error?: { message: string } };
        if (msg.id === 1) resolve(msg);
      });
    });
    if (reply.error) throw new Error(reply.error.message);
    return reply.result as T;
  } finally {
    ws.close();
  }
}

function commanderRow(page: Page) {
  return page.getByRole('region', { name: 'Roles' }).getByRole('listitem').filter({ has: page.getByText('commander', { exact: true }) });
}

test('Alice hands command to Bob across zones: minutes, a brief, his digest in Kolkata time, and his accept', async ({ browser }) => {
  // The whole story, two cockpits and a hub: longer than one step's budget on a shared machine.
  test.setTimeout(240_000);
  const a = await openIn(browser, alice.url, 'America/Los_Angeles');
  await declareIncident(a, 'Payments queue backs up');
  const incidentId = /#\/incident\/([0-9a-f-]{36})/.exec(a.url())![1]!;

  // The call: Alice and Chen (on the phone) attend, a decision and an action for Bob, then it ends.
  type Saved = { id: string };
  const call = await api<Saved>(alice, 'events.append', { incidentId, kind: 'call.started', payload: { title: 'Payments bridge' } });
  for (const person of ['Alice', 'Chen']) await api(alice, 'events.append', { incidentId, kind: 'attendee.joined', payload: { target: call.id, person } });
  await api(alice, 'events.append', { incidentId, kind: 'decision', payload: { text: 'Pause the nightly settlement batch' } });
  await api(alice, 'events.append', { incidentId, kind: 'action.added', payload: { text: 'Drain the dead-letter queue', owner: 'Bob' } });
  await api(alice, 'calls.end', { incidentId, callId: call.id });
  await api(alice, 'minutes.publish', { incidentId, callId: call.id });
  await expect(a.getByRole('list', { name: 'Timeline' })).toContainText('Minutes: Payments bridge');

  // Bob's profile reached Alice through the hub: his clock, outside his hours, beside his action.
  const actions = a.getByRole('region', { name: /Actions/ });
  await expect(actions).toContainText(/Bob.*outside hours, \d\d:\d\d their time/, { timeout: 15_000 });

  // The hand-off, from the palette: commander by default, to Bob, the drafted brief in his zone.
  await a.keyboard.press('Control+k');
  await a.getByRole('combobox').fill('Hand off');
  await a.keyboard.press('Enter');
  const dialog = a.getByRole('dialog', { name: /Hand off a role/ });
  await expect(dialog.getByRole('combobox', { name: /^Role/ })).toHaveValue('commander');
  await dialog.getByRole('combobox', { name: 'To' }).fill('Bob');
  const brief = dialog.getByRole('textbox', { name: /^Brief/ });
  await expect(brief).toHaveValue(/Times in Asia\/Kolkata\./, { timeout: 15_000 });
  await expect(brief).toHaveValue(/# Hand-off: commander for INC-/);
  await expect(brief).toHaveValue(/- \[ \] Drain the dead-letter queue — Bob/);
  await expect(dialog).toContainText(/Bob is outside hours, \d\d:\d\d their time: the offer waits in their digest/);
  await brief.fill(`${await brief.inputValue()}\nWatch the settlement lag when the batch resumes.`);
  await dialog.getByRole('button', { name: 'Offer commander' }).click();
  await expect(dialog).toBeHidden();

  const waiting = a.getByRole('region', { name: 'Hand-offs waiting' });
  await expect(waiting).toContainText('commander offered by you to Bob');
  // Only Bob may take it: Alice has no Accept.
  await expect(waiting.getByRole('button', { name: /Accept/ })).toHaveCount(0);
  await expect(commanderRow(a)).toContainText('Alice');

  const offer = (await api<{ handoffs: Array<{ at: string; brief: string }> }>(alice, 'incidents.get', { ref: incidentId })).handoffs[0]!;
  expect(offer.brief).toContain('Watch the settlement lag');

  // Bob's cockpit has everything from the hub before he looks.
  await expect.poll(() => conn(bob.dataDir, 'brief'), { timeout: 20_000 }).toContain('Waiting for you to take over');

  const b = await openIn(browser, bob.url, 'Asia/Kolkata');
  const digest = b.getByRole('region', { name: 'While you were away' });
  await expect(digest).toBeVisible();
  await expect(digest).toContainText('Times in Asia/Kolkata.');
  const incident = digest.getByRole('article', { name: /Payments queue backs up/ });
  // The offer's time on Bob's clock, as Kolkata reads it.
  const kolkataAt = formatInZone(offer.at, 'Asia/Kolkata', { seconds: false });
  expect(kolkataAt).toMatch(/GMT\+5:30$/);
  const handoffs = incident.getByRole('region', { name: 'Waiting for you to take over' });
  await expect(handoffs).toContainText(`commander from Alice (offered to you, ${kolkataAt}`);
  await expect(handoffs).toContainText(/outside your hours, \d\d:\d\d your time/);
  await expect(incident.getByRole('region', { name: 'Minutes published' })).toContainText('minutes of Payments bridge');
  await expect(incident.getByRole('region', { name: 'Decisions' })).toContainText('Pause the nightly settlement batch');
  await expect(incident.getByRole('region', { name: 'Assigned to you' })).toContainText('Drain the dead-letter queue');
  await expect(incident).toContainText(/next update due|update overdue/);

  // Read: the next digest starts now (only the offer still waits for him), and the app is back on the list.
  await digest.getByRole('button', { name: 'Mark as read' }).click();
  await expect(digest).toBeHidden();
  const after = conn(bob.dataDir, 'brief');
  expect(after).toContain('### Waiting for you to take over');
  expect(after).not.toContain('Minutes published');
  expect(after).not.toContain('Pause the nightly settlement batch');

  await b.getByRole('button', { name: /Payments queue backs up/ }).click();
  const bWaiting = b.getByRole('region', { name: 'Hand-offs waiting' });
  await bWaiting.getByRole('button', { name: 'Accept the commander role from Alice' }).click();
  await expect(bWaiting).toBeHidden();
  await expect(commanderRow(b)).toContainText('Bob');

  // Through the hub: Alice's cockpit now shows Bob in command, and her offer taken.
  await expect(commanderRow(a)).toContainText('Bob', { timeout: 15_000 });
  await expect(waiting).toBeHidden();
});

test('an accept the authority rule refuses is shown where it was made, and changes nothing', async ({ browser }) => {
  test.setTimeout(120_000);
  const a = await openIn(browser, alice.url, 'America/Los_Angeles');
  await declareIncident(a, 'Ledger replica lag');
  const incidentId = /#\/incident\/([0-9a-f-]{36})/.exec(a.url())![1]!;
  const offer = await api<{ id: string }>(alice, 'events.append', { incidentId, kind: 'handoff.offered', payload: { role: 'commander', to: 'Chen', brief: 'For Chen' } });
  // Alice's own cockpit refuses her taking an offer made to Chen, before anything is saved.
  await expect(api(alice, 'events.append', { incidentId, kind: 'handoff.accepted', payload: { target: offer.id } })).rejects.toThrow(/offered to Chen; only they can accept it/);
  const state = await api<{ handoffs: Array<{ acceptedBy: string | null }> }>(alice, 'incidents.get', { ref: incidentId });
  expect(state.handoffs[0]!.acceptedBy).toBeNull();
  await expect(a.getByRole('region', { name: 'Hand-offs waiting' })).toContainText('commander offered by you to Chen');
  await expect(commanderRow(a)).toContainText('Alice');
});

import { AxeBuilder } from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { declareIncident } from './cockpit-actions.js';
import { openOnline, teamOfTwo } from './team-of-two.js';

/*
 * Presence: two people, two `conn web` cockpits, one real team.hub. Alice sees who else is looking
 * at the incident she is on, as they come and go.
 */

const team = teamOfTwo();

test('shows who else is looking at the incident, and stops when they leave', async ({ browser }) => {
  const a = await openOnline(browser, team.alice.url);
  const b = await openOnline(browser, team.bob.url);
  await declareIncident(a, 'Checkout returns 502');
  const looking = a.getByRole('status', { name: 'Looking at this incident now' });
  // Alone on it: Alice is not told she is looking.
  await expect(looking).toHaveText('');

  // Bob opens the incident Alice is on.
  await b.getByRole('button', { name: /Checkout returns 502/ }).click();
  await expect(b.getByRole('heading', { level: 1 })).toContainText('Checkout returns 502');
  await expect(looking).toHaveText('Looking now: Bob');
  // And Bob's cockpit shows Alice.
  await expect(b.getByRole('status', { name: 'Looking at this incident now' })).toHaveText('Looking now: Alice');
  // The line is readable and named (axe: contrast, names), like the rest of the cockpit.
  const axe = await new AxeBuilder({ page: a }).include('.presence').analyze();
  expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);

  // Bob goes back to the incident list: he is no longer looking.
  await b.getByRole('button', { name: 'Incidents' }).click();
  await expect(looking).toHaveText('');

  // He comes back, then closes his window.
  await b.getByRole('button', { name: /Checkout returns 502/ }).click();
  await expect(looking).toHaveText('Looking now: Bob');
  await b.close();
  await expect(looking).toHaveText('');
});

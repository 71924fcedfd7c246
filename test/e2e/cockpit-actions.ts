import { expect, type Locator, type Page } from '@playwright/test';

/** The steps most specs share, by the accessible names the issue fixes. */

export async function declareIncident(page: Page, title: string): Promise<void> {
  await page.getByRole('button', { name: 'Declare incident' }).click();
  await page.getByLabel('Title').fill(title);
  await page.getByRole('button', { name: 'Declare', exact: true }).click();
  await expect(page.getByRole('textbox', { name: 'Add to timeline' })).toBeFocused();
}

/** Adds an entry through the composer and waits until the composer has taken it. */
export async function write(page: Page, text: string): Promise<void> {
  const box = page.getByRole('textbox', { name: 'Add to timeline' });
  await box.fill(text);
  await box.press('Enter');
  await expect(box).toHaveValue('');
}

export function timelineOf(page: Page): Locator {
  return page.getByRole('list', { name: 'Timeline' });
}

import { expect, type Page } from '@playwright/test';

/** Presses Tab (or Shift+Tab) until the focused element has this accessible text; fails after `max` presses. */
export async function tabTo(page: Page, text: string, opts: { backwards?: boolean; max?: number } = {}): Promise<void> {
  const key = opts.backwards ? 'Shift+Tab' : 'Tab';
  for (let i = 0; i < (opts.max ?? 30); i++) {
    await page.keyboard.press(key);
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      return el ? (el.getAttribute('aria-label') ?? el.innerText ?? '').trim() : '';
    });
    if (focused === text) return;
  }
  throw new Error(`${key} never reached "${text}"`);
}

/** Runs a palette command from the keyboard: Ctrl+K, type, Enter. */
export async function paletteRun(page: Page, command: string): Promise<void> {
  await page.keyboard.press('Control+k');
  const input = page.getByRole('combobox', { name: 'Command' });
  await expect(input).toBeFocused();
  await input.fill('');
  await page.keyboard.type(command);
  await expect(page.getByRole('option', { name: command }).first()).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(input).toBeHidden();
}

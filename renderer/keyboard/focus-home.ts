/**
 * Where focus goes when the element that had it is gone or was left with Escape: the
 * timeline's active row in a cockpit, else the first row of the list on screen, else the main
 * area. Never the page body, where a keyboard user would have to start over with Tab.
 */
export function focusHome(): void {
  const candidates = [
    '.timeline-scroll [data-entry-id][tabindex="0"]',
    '.timeline-scroll',
    'main .incident-open',
    'main .wall-card button',
    'main input, main button',
  ];
  for (const selector of candidates) {
    const el = document.querySelector<HTMLElement>(selector);
    if (el && el.offsetParent !== null) {
      el.focus();
      return;
    }
  }
  const main = document.querySelector<HTMLElement>('main');
  if (main) {
    main.tabIndex = -1;
    main.focus();
  }
}

/** Focus returns to `back` if it is still on the page, and home otherwise. */
export function focusBackOrHome(back: Element | null): void {
  if (back instanceof HTMLElement && back.isConnected && back !== document.body) back.focus();
  else focusHome();
}

import { APP_HOST, APP_SCHEME } from './app-protocol.js';

/*
 * The window never navigates and never opens windows. Links to the outside world (a status
 * page, a runbook's wiki) open in the person's browser, and only if they are plain https.
 */

/** True only for our own origin: app://conn. */
export function isAppUrl(raw: string | null | undefined): boolean {
  if (!raw) return false;
  try {
    const u = new URL(raw);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST;
  } catch {
    return false;
  }
}

const MAX_EXTERNAL_URL_CHARS = 2048;

/** The URL parser would strip or encode these; a link carrying them was not typed by a person. */
function hasSpaceOrControl(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c <= 0x20 || c === 0x7f) return true;
  }
  return false;
}

/** https with a host, no credentials, no control characters: the only links we hand to the OS. */
export function isSafeExternalUrl(raw: unknown): raw is string {
  if (typeof raw !== 'string' || raw.length > MAX_EXTERNAL_URL_CHARS || hasSpaceOrControl(raw)) return false;
  try {
    const u = new URL(raw);
    return u.protocol === 'https:' && u.hostname.length > 0 && !u.username && !u.password;
  } catch {
    return false;
  }
}

export type OpenExternal = (url: string) => unknown;

/** What the window-open handler answers: always deny, maybe after handing the link to the OS. */
export function handleWindowOpen(url: string, openExternal: OpenExternal): { action: 'deny' } {
  if (isSafeExternalUrl(url)) void openExternal(url);
  return { action: 'deny' };
}

interface PreventableEvent {
  preventDefault(): void;
}

/** will-navigate / will-redirect / will-frame-navigate: nothing leaves the loaded page. */
export function handleWillNavigate(event: PreventableEvent, url: string, openExternal: OpenExternal): void {
  event.preventDefault();
  if (isSafeExternalUrl(url)) void openExternal(url);
}

/** The subset of webContents the guards touch; the real WebContents satisfies it. */
export interface GuardedContents {
  on(event: 'will-navigate' | 'will-redirect', listener: (event: PreventableEvent, url: string) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: PreventableEvent) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
}

/** Installs every navigation guard on one webContents (main.ts does it for all of them). */
export function guardNavigation(contents: GuardedContents, openExternal: OpenExternal): void {
  contents.on('will-navigate', (event, url) => handleWillNavigate(event, url, openExternal));
  // A redirect is a navigation the page did not ask for; it must not leave the app either.
  contents.on('will-redirect', (event, url) => handleWillNavigate(event, url, () => undefined));
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => handleWindowOpen(url, openExternal));
}

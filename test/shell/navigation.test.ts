import { beforeEach, describe, expect, it } from 'vitest';
import { guardNavigation, handleWindowOpen, isAppUrl, isSafeExternalUrl } from '../../main/shell/navigation.js';
import { FakeWebContents, mock, resetElectronMock, shell } from '../mocks/electron.js';

function guarded(): FakeWebContents {
  const wc = new FakeWebContents();
  guardNavigation(wc as never, (url) => shell.openExternal(url));
  return wc;
}

function fire(wc: FakeWebContents, event: string, url?: string): boolean {
  let prevented = false;
  wc.emit(event, { preventDefault: () => (prevented = true) }, url);
  return prevented;
}

beforeEach(() => resetElectronMock());

describe('navigation and window-open handlers', () => {
  it('blocks every navigation, our own origin included', () => {
    const wc = guarded();
    expect(fire(wc, 'will-navigate', 'app://conn/other.html')).toBe(true);
    expect(fire(wc, 'will-navigate', 'https://evil.example/phish')).toBe(true);
    expect(fire(wc, 'will-navigate', 'file:///etc/passwd')).toBe(true);
  });

  it('opens an https link the page tried to navigate to in the browser, and nothing else', () => {
    const wc = guarded();
    fire(wc, 'will-navigate', 'https://status.example.com/');
    fire(wc, 'will-navigate', 'file:///etc/passwd');
    fire(wc, 'will-navigate', 'javascript:alert(1)');
    expect(mock.openedExternal).toEqual(['https://status.example.com/']);
  });

  it('blocks redirects without opening anything', () => {
    const wc = guarded();
    expect(fire(wc, 'will-redirect', 'https://elsewhere.example/')).toBe(true);
    expect(mock.openedExternal).toEqual([]);
  });

  it('blocks attaching a webview', () => {
    expect(fire(guarded(), 'will-attach-webview')).toBe(true);
  });

  it('denies window.open always and hands only safe https links to the OS', () => {
    const wc = guarded();
    const open = (url: string) => wc.windowOpenHandler!({ url });
    expect(open('https://runbooks.example.com/db')).toEqual({ action: 'deny' });
    expect(open('http://insecure.example.com/')).toEqual({ action: 'deny' });
    expect(open('app://conn/index.html')).toEqual({ action: 'deny' });
    expect(open('smb://share/x')).toEqual({ action: 'deny' });
    expect(mock.openedExternal).toEqual(['https://runbooks.example.com/db']);
  });

  it.each([
    ['https://example.com/a?b=c', true],
    ['http://example.com/', false],
    ['file:///etc/passwd', false],
    ['javascript:alert(1)', false],
    ['ms-settings:', false],
    ['https://user:pass@example.com/', false],
    ['https://exa mple.com/', false],
    ['https://example.com/\nrm -rf', false],
    [`https://example.com/${'a'.repeat(3000)}`, false],
  ])('judges %s external-safe: %s', (url, safe) => {
    expect(isSafeExternalUrl(url)).toBe(safe);
    expect(handleWindowOpen(url, () => undefined)).toEqual({ action: 'deny' });
  });

  it('recognises only app://conn as our origin', () => {
    expect(isAppUrl('app://conn/index.html')).toBe(true);
    expect(isAppUrl('app://conn')).toBe(true);
    expect(isAppUrl('app://evil/index.html')).toBe(false);
    expect(isAppUrl('https://conn/')).toBe(false);
    expect(isAppUrl('')).toBe(false);
    expect(isAppUrl(null)).toBe(false);
  });
});

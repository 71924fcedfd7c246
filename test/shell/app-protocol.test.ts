import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, createAppProtocolHandler, resolveAppPath } from '../../main/shell/app-protocol.js';

let root: string;
let outside: string;

beforeAll(() => {
  const base = mkdtempSync(path.join(tmpdir(), 'conn-app-protocol-'));
  root = path.join(base, 'renderer');
  mkdirSync(path.join(root, 'assets'), { recursive: true });
  writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>Conn</title>');
  writeFileSync(path.join(root, 'assets', 'app.js'), 'console.log(1)');
  outside = path.join(base, 'secret.txt');
  writeFileSync(outside, 'hub token');
  // A sibling whose name starts with the root's: a naive startsWith(root) check would let it through.
  mkdirSync(`${root}-evil`);
  writeFileSync(path.join(`${root}-evil`, 'x.js'), 'evil');
});

describe('app:// protocol', () => {
  it('serves index.html for the root and for client-side routes', () => {
    expect(resolveAppPath(root, 'app://conn/')).toEqual({ ok: true, file: path.join(root, 'index.html') });
    expect(resolveAppPath(root, 'app://conn/incidents/INC-7KQ2XM')).toEqual({ ok: true, file: path.join(root, 'index.html') });
  });

  it('serves an asset under the renderer folder', () => {
    expect(resolveAppPath(root, 'app://conn/assets/app.js')).toEqual({ ok: true, file: path.join(root, 'assets', 'app.js') });
  });

  it.each([
    ['encoded dot-dot slashes', 'app://conn/..%2f..%2fsecret.txt'],
    ['encoded backslashes', 'app://conn/..%5c..%5csecret.txt'],
    ['a raw backslash', 'app://conn/assets\\..\\..\\secret.txt'],
    ['an encoded NUL', 'app://conn/index.html%00.js'],
    ['a double-encoded dot-dot', 'app://conn/%252e%252e/secret.txt'],
    ['a sibling folder with the same prefix', 'app://conn/..%2frenderer-evil%2fx.js'],
    ['another host', 'app://evil/index.html'],
    ['another scheme', 'file:///etc/passwd'],
    ['credentials', 'app://user:pw@conn/index.html'],
  ])('refuses path traversal and foreign URLs: %s', (_why, url) => {
    expect(resolveAppPath(root, url)).toMatchObject({ ok: false, status: 403 });
  });

  it('normalises plain dot-dot segments so they cannot climb above the root', () => {
    const r = resolveAppPath(root, 'app://conn/../../secret.txt');
    expect(r.ok && r.file === path.join(root, 'secret.txt')).toBe(true);
  });

  it('answers a file with its type, the CSP and nosniff', async () => {
    const handle = createAppProtocolHandler(root);
    const res = await handle(new Request('app://conn/assets/app.js'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await res.text()).toBe('console.log(1)');
  });

  it('answers a traversal with 403 and never the file outside', async () => {
    const handle = createAppProtocolHandler(root);
    const res = await handle(new Request('app://conn/..%2fsecret.txt'));
    expect(res.status).toBe(403);
    expect(await res.text()).not.toContain('hub token');
    expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
  });

  it('answers a missing file with 404 and a write with 405', async () => {
    const handle = createAppProtocolHandler(root);
    expect((await handle(new Request('app://conn/missing.js'))).status).toBe(404);
    expect((await handle(new Request('app://conn/index.html', { method: 'POST', body: 'x' }))).status).toBe(405);
  });

  it('has a CSP without inline script, eval or remote origins', () => {
    expect(CONTENT_SECURITY_POLICY).toContain("default-src 'none'");
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-inline|unsafe-eval|https?:|\*/);
    expect(CONTENT_SECURITY_POLICY).toContain("object-src 'none'");
    expect(CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
  });
});

import { beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { SHELL_METHOD_NAMES } from '../../shared/api/contract.js';
import { ConnError } from '../../shared/domain/errors.js';
import { shellChannels, type ShellChannelDeps } from '../../main/shell/ipc-channels.js';
import { createIpcRegistry, defineChannel } from '../../main/shell/ipc-registry.js';
import { ipcMain, resetElectronMock } from '../mocks/electron.js';

const APP_FRAME = { url: 'app://conn/index.html' };
let calls: string[];

function deps(): ShellChannelDeps {
  return {
    appInfo: () => (calls.push('appInfo'), { version: '0.1.0', platform: 'linux', electron: '45.0.0' }),
    openExternal: (url) => void calls.push(`open ${url}`),
    setHubToken: (t) => void calls.push(`token ${t}`),
    clearHubToken: () => void calls.push('clear'),
    restartToUpdate: () => (calls.push('restart'), { restarting: false, reason: 'an incident is active' }),
    systemAudio: () => (calls.push('systemAudio'), { available: false, reason: 'Linux' }),
    armSystemAudio: () => (calls.push('arm'), false),
  };
}

/** A valid payload per channel, so each test changes one thing. */
const VALID: Record<string, unknown> = {
  'shell.appInfo': {},
  'shell.openExternal': { url: 'https://status.example.com/' },
  'shell.setHubToken': { token: 'conn_abc_def' },
  'shell.clearHubToken': {},
  'shell.restartToUpdate': {},
  'shell.systemAudio': {},
  'shell.armSystemAudio': {},
};

beforeEach(() => {
  resetElectronMock();
  calls = [];
  const registry = createIpcRegistry(ipcMain);
  for (const [name, spec] of Object.entries(shellChannels(deps()))) registry.register(name, spec);
});

describe('IPC registry', () => {
  it('registers exactly the shell methods of the contract', () => {
    expect([...ipcMain.handlers.keys()].sort()).toEqual([...SHELL_METHOD_NAMES].sort());
  });

  it.each(SHELL_METHOD_NAMES)('%s answers our app:// window', async (name) => {
    const r = (await ipcMain._invoke(name, APP_FRAME, VALID[name])) as { ok: boolean };
    expect(r.ok).toBe(true);
    expect(calls).toHaveLength(1);
  });

  it.each(SHELL_METHOD_NAMES)('%s refuses a foreign sender without running', async (name) => {
    for (const frame of [{ url: 'https://evil.example/' }, { url: 'file:///tmp/x.html' }, { url: 'app://evil/index.html' }, { url: '' }, null]) {
      const r = await ipcMain._invoke(name, frame, VALID[name]);
      expect(r).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
    expect(calls).toEqual([]);
  });

  it.each(SHELL_METHOD_NAMES)('%s refuses a call from an iframe inside our window', async (name) => {
    const r = await ipcMain._invoke(name, { url: 'app://conn/index.html', parent: { url: 'app://conn/' } }, VALID[name]);
    expect(r).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(calls).toEqual([]);
  });

  it.each(SHELL_METHOD_NAMES)('%s refuses a bad payload without running', async (name) => {
    for (const bad of ['a string', 42, [], { unexpected: true }, { ...(VALID[name] as object), extra: 1 }]) {
      const r = await ipcMain._invoke(name, APP_FRAME, bad);
      expect(r).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    }
    expect(calls).toEqual([]);
  });

  it.each(SHELL_METHOD_NAMES)('%s refuses an oversized payload before parsing it', async (name) => {
    const r = await ipcMain._invoke(name, APP_FRAME, { junk: 'x'.repeat(100_000) });
    expect(r).toMatchObject({ ok: false, error: { code: 'too-large' } });
    expect(calls).toEqual([]);
  });

  it.each(SHELL_METHOD_NAMES)('%s refuses extra arguments', async (name) => {
    const r = await ipcMain._invoke(name, APP_FRAME, VALID[name], 'second');
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
  });

  it('refuses to open anything but https outside Conn', async () => {
    for (const url of ['file:///etc/passwd', 'javascript:alert(1)', 'http://plain.example/', 'smb://host/share']) {
      expect(await ipcMain._invoke('shell.openExternal', APP_FRAME, { url })).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    }
    expect(calls).toEqual([]);
  });

  it('returns a handler\'s ConnError as a value with its code and sentence', async () => {
    const registry = createIpcRegistry(ipcMain);
    registry.register('test.fails', defineChannel({ schema: z.object({}), maxBytes: 10, handler: () => { throw new ConnError('unavailable', 'No keychain: unlock it.'); } }));
    expect(await ipcMain._invoke('test.fails', APP_FRAME, {})).toEqual({ ok: false, error: { code: 'unavailable', message: 'No keychain: unlock it.' } });
  });

  it('refuses to register a channel twice', () => {
    const registry = createIpcRegistry(ipcMain);
    const spec = defineChannel({ schema: z.object({}), maxBytes: 10, handler: () => null });
    registry.register('test.once', spec);
    expect(() => registry.register('test.once', spec)).toThrow(/twice/);
  });

  it('removes its handlers on dispose', () => {
    const registry = createIpcRegistry(ipcMain);
    registry.register('test.gone', defineChannel({ schema: z.object({}), maxBytes: 10, handler: () => null }));
    registry.dispose();
    expect(ipcMain.handlers.has('test.gone')).toBe(false);
  });
});

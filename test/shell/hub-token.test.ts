import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { createHubTokenStore, HUB_TOKEN_FILE } from '../../main/shell/hub-token.js';
import { mock, resetElectronMock, safeStorage } from '../mocks/electron.js';

let dir: string;
beforeEach(() => {
  resetElectronMock();
  dir = mkdtempSync(path.join(tmpdir(), 'conn-hub-token-'));
});

describe('hub token kept with safeStorage', () => {
  it('stores the token encrypted and reads it back', () => {
    const store = createHubTokenStore(dir, safeStorage, 'linux');
    store.save('conn_member1_s3cret');
    const onDisk = readFileSync(path.join(dir, HUB_TOKEN_FILE));
    expect(onDisk.toString('latin1')).not.toContain('s3cret');
    expect(store.load()).toBe('conn_member1_s3cret');
    expect(statSync(path.join(dir, HUB_TOKEN_FILE)).mode & 0o077).toBe(0);
  });

  it('has no token until one is saved, and none after clearing', () => {
    const store = createHubTokenStore(dir, safeStorage, 'linux');
    expect(store.load()).toBeNull();
    store.save('t');
    store.clear();
    expect(store.load()).toBeNull();
    expect(existsSync(path.join(dir, HUB_TOKEN_FILE))).toBe(false);
  });

  it('refuses to store the token in plain text when no keychain is available', () => {
    mock.encryptionAvailable = false;
    const store = createHubTokenStore(dir, safeStorage, 'linux');
    expect(() => store.save('conn_x_y')).toThrow(/keychain/);
    expect(existsSync(path.join(dir, HUB_TOKEN_FILE))).toBe(false);
  });

  it("refuses Linux's hard-coded-key fallback, which is not encryption", () => {
    mock.storageBackend = 'basic_text';
    expect(() => createHubTokenStore(dir, safeStorage, 'linux').save('conn_x_y')).toThrow(/secret service/);
  });

  it('treats a file it cannot decrypt as no token', () => {
    const store = createHubTokenStore(dir, safeStorage, 'linux');
    store.save('t');
    const other = createHubTokenStore(dir, { ...safeStorage, decryptString: () => { throw new Error('wrong key'); } }, 'linux');
    expect(other.load()).toBeNull();
  });

  it('refuses an empty or oversized token', () => {
    const store = createHubTokenStore(dir, safeStorage, 'linux');
    expect(() => store.save('')).toThrow(/1 to/);
    expect(() => store.save('x'.repeat(5000))).toThrow(/1 to/);
  });
});

import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConnError } from '../../shared/domain/errors.js';

/*
 * The hub token is a team credential. On the desktop it is kept encrypted with the OS keychain
 * through safeStorage (Keychain, DPAPI, libsecret/kwallet) in userData/hub-token.bin, never in
 * plain text. The core runs in a utilityProcess, which has no safeStorage, so main decrypts it
 * and hands it over the parent port (see core-host.ts): the "seam" the core reads it through.
 */
export const HUB_TOKEN_FILE = 'hub-token.bin';
export const MAX_HUB_TOKEN_CHARS = 4096;

export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(encrypted: Buffer): string;
  getSelectedStorageBackend?(): string;
}

export interface HubTokenStore {
  save(token: string): void;
  load(): string | null;
  clear(): void;
}

export function createHubTokenStore(userData: string, safeStorage: SafeStorageLike, platform: NodeJS.Platform = process.platform): HubTokenStore {
  const file = path.join(userData, HUB_TOKEN_FILE);
  function requireEncryption(): void {
    if (!safeStorage.isEncryptionAvailable()) {
      throw new ConnError('unavailable', 'This system offers no keychain to encrypt the hub token: unlock or install one (e.g. GNOME Keyring), or use the `conn` CLI with CONN_HUB_TOKEN.');
    }
    // On Linux without a secret service Electron falls back to a hard-coded key: that is
    // obfuscation, not encryption, so we refuse it rather than pretend.
    if (platform === 'linux' && safeStorage.getSelectedStorageBackend?.() === 'basic_text') {
      throw new ConnError('unavailable', 'No secret service (GNOME Keyring or KWallet) is running, so the hub token cannot be stored safely: start one and try again.');
    }
  }
  return {
    save(token) {
      if (typeof token !== 'string' || token.length === 0 || token.length > MAX_HUB_TOKEN_CHARS) {
        throw new ConnError('invalid-input', `A hub token is 1 to ${MAX_HUB_TOKEN_CHARS} characters: paste it again from the invite.`);
      }
      requireEncryption();
      mkdirSync(userData, { recursive: true });
      writeFileSync(`${file}.tmp`, safeStorage.encryptString(token), { mode: 0o600 });
      renameSync(`${file}.tmp`, file);
    },
    load() {
      let data: Buffer;
      try {
        data = readFileSync(file);
      } catch {
        return null;
      }
      if (!safeStorage.isEncryptionAvailable()) return null;
      try {
        return safeStorage.decryptString(data);
      } catch {
        return null; // encrypted under another OS account or keychain: as good as absent
      }
    },
    clear() {
      rmSync(file, { force: true });
    },
  };
}

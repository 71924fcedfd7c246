import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = path.resolve(import.meta.dirname, '..', '..');
const config = parse(readFileSync(path.join(root, 'electron-builder.yml'), 'utf8'));

describe('electron-builder.yml', () => {
  it('names the app and ships the built bundles, not sources or source maps', () => {
    expect(config.appId).toMatch(/^[a-z]+(\.[a-z]+)+$/);
    expect(config.productName).toBe('Conn');
    expect(config.files).toEqual(expect.arrayContaining(['dist/**', 'package.json', '!dist/**/*.map']));
    expect(config.files.some((f: string) => /(^|\/)(main|shared|renderer|test)\//.test(f) && !f.startsWith('!'))).toBe(false);
  });

  it('builds AppImage and deb, dmg and zip, and NSIS', () => {
    expect(config.linux.target).toEqual(expect.arrayContaining(['AppImage', 'deb']));
    expect(config.mac.target).toEqual(expect.arrayContaining(['dmg', 'zip']));
    expect(config.win.target).toEqual(expect.arrayContaining(['nsis']));
  });

  it('unpacks native modules from the asar', () => {
    expect(config.asar).toBe(true);
    expect(config.asarUnpack).toContain('**/node_modules/better-sqlite3/**/*.node');
  });

  it('registers the conn:// protocol', () => {
    expect(config.protocols.flatMap((p: { schemes: string[] }) => p.schemes)).toEqual(['conn']);
  });

  it('has a publish target for electron-updater', () => {
    const providers = config.publish.map((p: { provider: string }) => p.provider);
    expect(providers.some((p: string) => p === 'github' || p === 'generic')).toBe(true);
  });

  it('sets the security fuses', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('points at icons that exist', () => {
    for (const p of [config.linux.icon, config.mac.icon, config.win.icon]) expect(existsSync(path.join(root, p))).toBe(true);
    expect(existsSync(path.join(root, 'resources/icons/tray.png'))).toBe(true);
    expect(existsSync(path.join(root, 'resources/icons/trayTemplate.png'))).toBe(true);
  });

  it('asks for the microphone on macOS with a reason, for call recording', () => {
    expect(config.mac.extendInfo.NSMicrophoneUsageDescription).toMatch(/record/i);
  });
});

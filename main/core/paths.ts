import os from 'node:os';
import path from 'node:path';

export const APP_NAME = 'Conn';

/**
 * The per-user application-data folder, the same one Electron's app.getPath('userData') gives
 * for an app named "Conn", so the CLI, `conn web` and the desktop app share one database.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env['CONN_DATA_DIR']) return path.resolve(env['CONN_DATA_DIR']);
  const home = os.homedir();
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', APP_NAME);
  if (platform === 'win32') return path.join(env['APPDATA'] ?? path.join(home, 'AppData', 'Roaming'), APP_NAME);
  return path.join(env['XDG_CONFIG_HOME'] ?? path.join(home, '.config'), APP_NAME);
}

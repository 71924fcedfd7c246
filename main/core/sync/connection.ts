import { chmodSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConnError } from '../../../shared/domain/errors.js';
import { HUB_LIMITS } from '../../../shared/sync/protocol.js';
import type { Core } from '../open.js';
import { resetCursor } from './cursor.js';

/*
 * Which hub this cockpit syncs with. The URL lives in sync_state; the token lives in its own
 * file beside the database with 0600 permissions, so it never travels inside a database copy or
 * an export. (The Electron shell will keep it with safeStorage instead.)
 */

export const TOKEN_FILE = 'hub-token';

export interface HubConnection {
  url: string;
  token: string;
}

export function tokenFile(dataDir: string): string {
  return path.join(dataDir, TOKEN_FILE);
}

/** A hub URL people can type: http(s)://host[:port], with any trailing slash removed. */
export function normaliseHubUrl(input: string): string {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    throw new ConnError('invalid-input', `"${input}" is not a URL; give the hub's address, e.g. http://hub.example.com:7340`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConnError('invalid-input', `a hub URL starts with http:// or https://, not ${url.protocol}//`);
  }
  return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
}

/** The most hub nodes one cockpit is given: enough for any real deployment, few enough to try in turn. */
export const MAX_HUB_NODES = 8;

/**
 * One hub address, or the addresses of several nodes of one hub separated by commas, in the
 * order to try them: "http://hub-a:7340,http://hub-b:7340". Each is normalised; repeats go.
 */
export function normaliseHubUrls(input: string): string {
  const parts = input
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
  if (parts.length === 0) throw new ConnError('invalid-input', "no hub address: give the hub's address, e.g. http://hub.example.com:7340");
  if (parts.length > MAX_HUB_NODES) throw new ConnError('invalid-input', `${parts.length} hub addresses is more than ${MAX_HUB_NODES}: give the nodes a cockpit should fail over between`);
  return [...new Set(parts.map(normaliseHubUrl))].join(',');
}

/** The nodes of a saved (normalised) hub address, in the order to try them. */
export function hubNodes(url: string): string[] {
  return url.split(',').filter((u) => u.length > 0);
}

export function checkToken(token: string): string {
  const t = token.trim();
  if (t.length === 0 || t.length > HUB_LIMITS.tokenChars || /\s/.test(t)) {
    throw new ConnError('invalid-input', 'that token does not look right: paste the whole token `conn hub invite` printed, on one line');
  }
  return t;
}

/** Stores the connection. A different hub starts from cursor 0: its sequence is not ours. */
export function saveConnection(core: Core, input: HubConnection, opts: { tokenFile?: boolean } = {}): HubConnection {
  const conn = { url: normaliseHubUrls(input.url), token: checkToken(input.token) };
  const previousUrl = loadHubUrl(core);
  const file = tokenFile(core.dataDir);
  if (opts.tokenFile === false) {
    // The desktop app keeps the token with safeStorage: no plain copy beside the database.
    rmSync(file, { force: true });
  } else {
    writeFileSync(file, `${conn.token}\n`, { mode: 0o600 });
    chmodSync(file, 0o600); // writeFileSync keeps the mode of an existing file
  }
  core.db
    .prepare("INSERT INTO sync_state (key, value) VALUES ('hub.url', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
    .run(conn.url);
  if (previousUrl !== conn.url) resetCursor(core.db);
  return conn;
}

/** The saved hub URL, with or without a token file (the desktop app keeps its token elsewhere). */
export function loadHubUrl(core: Core): string | null {
  return core.db.prepare<[], { value: string }>("SELECT value FROM sync_state WHERE key = 'hub.url'").get()?.value ?? null;
}

export function loadConnection(core: Core): HubConnection | null {
  const url = core.db.prepare<[], { value: string }>("SELECT value FROM sync_state WHERE key = 'hub.url'").get()?.value;
  const file = tokenFile(core.dataDir);
  if (!url || !existsSync(file)) return null;
  return { url, token: readFileSync(file, 'utf8').trim() };
}

export function forgetConnection(core: Core): void {
  core.db.prepare("DELETE FROM sync_state WHERE key IN ('hub.url', 'hub.member')").run();
  rmSync(tokenFile(core.dataDir), { force: true });
}

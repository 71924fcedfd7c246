import { ConnError } from '../shared/domain/errors.js';
import { checkToken, normaliseHubUrls, saveConnection } from '../main/core/sync/connection.js';
import { output, type GlobalOptions } from './context.js';
import { withCore } from './open-core.js';
import { terminalSafe } from './terminal-safe.js';

/** How long `conn connect` waits for the hub to answer before it says it cannot reach it. */
const CHECK_TIMEOUT_MS = 10_000;

/**
 * `conn connect URL --token T`: asks the hub who the token belongs to before saving anything, so
 * a typo in the address or a revoked token is found now, not at the next `conn sync` in the
 * middle of an incident. `--offline` saves without asking (the hub is down, or this laptop is
 * on a plane) and says so. Refusals are the engine's (sync/hub-link.ts): 4 when no hub answered,
 * 5 with the hub's sentence when it refused the token.
 */
export async function connectToHub(g: GlobalOptions, input: { url: string; token: string; offline?: boolean | undefined }): Promise<void> {
  const conn = { url: normaliseHubUrls(input.url), token: checkToken(input.token) };
  if (input.offline) {
    await withCore(g, (core) => saveConnection(core, conn));
    output(g, { hub: conn.url, checked: false }, () => `Saved ${conn.url} without checking it (--offline). \`conn sync\` will check the hub and the token.`);
    return;
  }
  // Lazy: the hub link brings socket.io-client, which only talking to a hub needs.
  const { probeHub } = await import('../main/core/sync/hub-link.js');
  let who;
  try {
    who = await probeHub(conn, CHECK_TIMEOUT_MS);
  } catch (err) {
    if (!(err instanceof ConnError)) throw err;
    const hint = err.code === 'unavailable' ? ': check the address, or save it anyway with --offline' : '';
    throw new ConnError(err.code, `${err.message}. Nothing was saved${hint}`);
  }
  await withCore(g, (core) => saveConnection(core, conn));
  output(g, { hub: conn.url, checked: true, team: who.team, member: { name: who.member.name, role: who.member.role } }, () =>
    // The names were typed by the hub's admin: no control characters reach the terminal.
    terminalSafe(`Connected to ${conn.url} as ${who.member.name} (${who.member.role}) in team "${who.team}". Run \`conn sync\` to push and pull.`),
  );
}

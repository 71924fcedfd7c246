import { ConnError } from '../../../shared/domain/errors.js';
import { CADENCE_HUB_EVENTS, TeamCadenceSchema } from '../../../shared/updates/cadence-protocol.js';
import type { Core } from '../open.js';
import type { HubConnection } from './connection.js';
import type { HubChannel } from './engine.js';
import { withHub } from './hub-link.js';

/*
 * The team's update cadence on the cockpit's side: pulled after every subscribe, on the hub's
 * 'cadence' notice, and every few minutes while connected (a change written on the hub's own
 * machine with `conn hub cadence` reaches no open socket), and kept in team_settings so it holds
 * offline. Over the engine's socket, like teammates' profiles.
 */

/** How often an open cockpit asks again: a hub-side change reaches it within this. */
export const CADENCE_REPULL_MS = 5 * 60_000;

type Request = (name: string, payload: unknown) => Promise<unknown>;

/** Asks the hub and keeps its answer; true (and the bus told) when the team's cadence changed. */
export async function pullCadence(core: Core, request: Request): Promise<boolean> {
  const answer = TeamCadenceSchema.parse(await request(CADENCE_HUB_EVENTS.get, {}));
  const changed = core.cadence.remember(answer);
  if (changed) announceCadence(core);
  return changed;
}

/** Every countdown moves with the cadence: the open incident and the lists are re-read. */
export function announceCadence(core: Core): void {
  core.bus.emit({ type: 'cadence-changed' });
  core.bus.emit({ type: 'incidents-changed' });
}

/** `conn sync`: the same pull over a socket of its own. */
export function pullCadenceOnce(core: Core, conn: HubConnection, timeoutMs: number): Promise<boolean> {
  return withHub(conn, timeoutMs, (request) => pullCadence(core, request));
}

export function startCadenceSync(core: Core, channel: HubChannel, log: (err: unknown) => void = () => undefined, repullMs = CADENCE_REPULL_MS): { stop(): void } {
  let stopped = false;
  let chain: Promise<void> = Promise.resolve();
  const pull = (): void => {
    chain = chain
      .then(async () => {
        if (stopped || !channel.ready) return;
        await pullCadence(core, (name, payload) => channel.request(name, payload));
      })
      // Offline is no failure: the copy we have stands, and the next 'ready' asks again. A hub
      // from before team cadences does not answer at all; that times out and is logged once per
      // connection, and the defaults (or the last copy) stand.
      .catch((err: unknown) => {
        if (!(err instanceof ConnError && err.code === 'unavailable' && !channel.ready)) log(err);
      });
  };
  const offReady = channel.on('ready', pull);
  const offNotice = channel.onHub(CADENCE_HUB_EVENTS.changed, pull);
  const timer = setInterval(pull, repullMs);
  timer.unref?.();
  if (channel.ready) pull();
  const stop = (): void => {
    stopped = true;
    clearInterval(timer);
    offReady();
    offNotice();
  };
  core.onClose(async () => {
    stop();
    await chain;
  });
  return { stop };
}

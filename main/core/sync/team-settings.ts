import type { CoreNotification } from '../../../shared/api/contract.js';
import { ConnError } from '../../../shared/domain/errors.js';
import { SLO_SETTING } from '../../../shared/reports/slo-protocol.js';
import { TEAM_SETTINGS } from '../../../shared/sync/team-setting-defs.js';
import { teamSettingAnswerSchema, type AnyTeamSettingDef } from '../../../shared/sync/team-settings.js';
import { CADENCE_SETTING } from '../../../shared/updates/cadence-protocol.js';
import type { Core } from '../open.js';
import type { HubConnection } from './connection.js';
import type { HubChannel } from './engine.js';
import { withHub } from './hub-link.js';

/*
 * The team's settings on the cockpit's side (shared/sync/team-settings.ts): each pulled after
 * every subscribe, on the hub's notice for it, and every few minutes while connected (a change
 * written on the hub's own machine with `conn hub cadence` reaches no open socket), and kept in
 * team_settings so it holds offline. Over the engine's socket, like teammates' profiles.
 */

/** How often an open cockpit asks again: a hub-side change reaches it within this. */
export const CADENCE_REPULL_MS = 5 * 60_000;

type Request = (name: string, payload: unknown) => Promise<unknown>;

/** What the app is told when a setting changes: every countdown moves with the cadence; reports with the SLO. */
const ANNOUNCE: Record<string, CoreNotification[]> = {
  [CADENCE_SETTING.key]: [{ type: 'cadence-changed' }, { type: 'incidents-changed' }],
  [SLO_SETTING.key]: [{ type: 'slo-changed' }],
};

export function announceTeamSetting(core: Core, def: AnyTeamSettingDef): void {
  for (const n of ANNOUNCE[def.key] ?? []) core.bus.emit(n);
}

/** Asks the hub for one setting and keeps its answer; true (and the bus told) when it changed. */
export async function pullTeamSetting(core: Core, def: AnyTeamSettingDef, request: Request): Promise<boolean> {
  const answer = teamSettingAnswerSchema(def).parse(await request(def.events.get, {}));
  const changed = core.teamSettings.remember(def, answer);
  if (changed) announceTeamSetting(core, def);
  return changed;
}

/**
 * `conn sync`: every setting over a socket of its own. Each is asked on its own, so a hub that
 * does not know one (an older release) still gives the others; the first failure is reported.
 */
export function pullTeamSettingsOnce(core: Core, conn: HubConnection, timeoutMs: number): Promise<void> {
  return withHub(conn, timeoutMs, async (request) => {
    const results = await Promise.allSettled(TEAM_SETTINGS.map((def) => pullTeamSetting(core, def, request)));
    const failed = results.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
  });
}

export function startTeamSettingsSync(core: Core, channel: HubChannel, log: (err: unknown) => void = () => undefined, repullMs = CADENCE_REPULL_MS): { stop(): void } {
  let stopped = false;
  let chain: Promise<void> = Promise.resolve();
  const pull = (defs: readonly AnyTeamSettingDef[]) => (): void => {
    chain = chain
      .then(async () => {
        if (stopped || !channel.ready) return;
        const results = await Promise.allSettled(defs.map((def) => pullTeamSetting(core, def, (name, payload) => channel.request(name, payload))));
        for (const r of results) if (r.status === 'rejected') throw r.reason;
      })
      // Offline is no failure: the copy we have stands, and the next 'ready' asks again. A hub
      // from before a setting does not answer it at all; that times out and is logged once per
      // connection, and the defaults (or the last copy) stand.
      .catch((err: unknown) => {
        if (!(err instanceof ConnError && err.code === 'unavailable' && !channel.ready)) log(err);
      });
  };
  const all = pull(TEAM_SETTINGS);
  const offReady = channel.on('ready', all);
  const offNotices = TEAM_SETTINGS.map((def) => channel.onHub(def.events.changed, pull([def])));
  const timer = setInterval(all, repullMs);
  timer.unref?.();
  if (channel.ready) all();
  const stop = (): void => {
    stopped = true;
    clearInterval(timer);
    offReady();
    for (const off of offNotices) off();
  };
  core.onClose(async () => {
    stop();
    await chain;
  });
  return { stop };
}

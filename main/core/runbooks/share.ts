import { ConnError } from '../../../shared/domain/errors.js';
import { BREAKGLASS_PACK_NAME, breakGlassToYaml, parseBreakGlass } from '../../../shared/runbooks/breakglass.js';
import {
  PublishRunbookAckSchema,
  RUNBOOK_HUB_EVENTS,
  RunbookPullResponseSchema,
  type PublishRunbookAck,
  type PublishedRunbook,
} from '../../../shared/runbooks/hub-protocol.js';
import type { Core } from '../open.js';
import { loadConnection, type HubConnection } from '../sync/connection.js';
import type { HubChannel } from '../sync/engine.js';
import { withHub as withOneHub } from '../sync/hub-link.js';
import { BreakGlassStore, type ReceiveOutcome } from './breakglass-store.js';
import type { RunbookLibrary } from '../store/runbook-library.js';
import { runbooksOf } from './service.js';

/*
 * The client side of runbook sharing. Publishing sends the local head to the hub, which makes it
 * the team's next version; pulling walks the hub's runbook sequence from a cursor kept in the
 * local database and stores each published version as a new local version (old ones stay
 * readable). Everything else (list, show, search, attach) reads the local library only, so it
 * all works with the hub down.
 *
 * The break-glass pack rides the same channel as the runbook BREAKGLASS_PACK_NAME (its YAML as
 * the text): a pulled pack goes to BreakGlassStore, never into the library or its search index.
 *
 * Which connection carries the requests: a long-running cockpit has one, the sync engine's, and
 * every request and broadcast goes over it (a HubChannel); a one-shot command (`conn runbook
 * publish`, `conn runbook pull`, `conn breakglass publish`) opens one for as long as it runs.
 */

const TIMEOUT_MS = 15_000;

function connectionOf(core: Core, conn?: HubConnection): HubConnection {
  const c = conn ?? loadConnection(core);
  if (!c) throw new ConnError('unavailable', 'this cockpit is not connected to a hub: run `conn connect HUB_URL --token TOKEN` first');
  return c;
}

type Request = (name: string, payload: unknown) => Promise<unknown>;

/** Where a publish or pull goes: a saved or given connection (one socket for this command), or a running engine's. */
export type HubRoute = HubConnection | HubChannel;

const OFFLINE_HINT = '; the local library still works, publish or pull when it is back';

function isChannel(route: HubRoute | undefined): route is HubChannel {
  return typeof route === 'object' && 'request' in route;
}

/** Runs `fn` with a request function over the route; refusals read as everywhere else (sync/hub-link.ts). */
async function withHub<T>(core: Core, route: HubRoute | undefined, fn: (request: Request, url: string) => Promise<T>): Promise<T> {
  if (isChannel(route)) {
    try {
      return await fn((name, payload) => route.request(name, payload), route.url);
    } catch (err) {
      // No connection (rather than a hub that answered 'unavailable'): say what still works, as a one-shot command does.
      if (err instanceof ConnError && err.code === 'unavailable' && !route.ready) throw new ConnError('unavailable', `${err.message}${OFFLINE_HINT}`);
      throw err;
    }
  }
  const c = connectionOf(core, route);
  return withOneHub(c, TIMEOUT_MS, (request) => fn(request, c.url), OFFLINE_HINT);
}

/** Publishes the local newest version of `name` as the team's next version. */
export async function publishRunbook(core: Core, name: string, via?: HubRoute): Promise<PublishRunbookAck & { name: string }> {
  const lib = runbooksOf(core);
  const rb = lib.get(name);
  const baseSeq = lib.hubSeqOf(rb.name);
  const ack = await withHub(core, via, async (request) =>
    PublishRunbookAckSchema.parse(await request(RUNBOOK_HUB_EVENTS.publish, { name: rb.name, content: rb.content, baseSeq })),
  );
  lib.setHubSeq(rb.name, ack.seq);
  return { ...ack, name: rb.name };
}

/**
 * Publishes the local break-glass pack as the team's next version, based on the version it was
 * last published as or pulled from: refused with 'conflict' if a teammate published since.
 */
export async function publishBreakGlass(core: Core, via?: HubRoute): Promise<PublishRunbookAck> {
  const store = new BreakGlassStore(core.db);
  const stored = store.get();
  if (!stored) throw new ConnError('not-found', 'no break-glass pack to publish yet: run `conn breakglass import FILE` first');
  const content = breakGlassToYaml(stored.pack);
  // What teammates will parse on pull: refuse here, with the reason, what they would skip.
  parseBreakGlass(content);
  const ack = await withHub(core, via, async (request) =>
    PublishRunbookAckSchema.parse(await request(RUNBOOK_HUB_EVENTS.publish, { name: BREAKGLASS_PACK_NAME, content, baseSeq: stored.hubSeq })),
  );
  store.published(ack.seq);
  return ack;
}

export interface RunbookPullReport {
  added: string[];
  updated: string[];
  unchanged: string[];
  skipped: Array<{ name: string; reason: string }>;
  /** The newest team break-glass pack this pull stored, if one was published since the cursor. */
  breakglass?: ReceiveOutcome & { version: number; author: string };
  cursor: number;
}

const CURSOR_KEY = 'hub.runbook-cursor';
const CURSOR_URL_KEY = 'hub.runbook-cursor-url';

/** The runbook cursor belongs to one hub: connecting to another starts from 0. */
function readCursor(lib: RunbookLibrary, url: string): number {
  if (lib.setting(CURSOR_URL_KEY) !== url) return 0;
  return Number(lib.setting(CURSOR_KEY) ?? 0) || 0;
}

/** Stores a pulled pack; several versions in one pull add up to one outcome (the last one wins the pack). */
function receivePack(packs: BreakGlassStore, r: PublishedRunbook, report: RunbookPullReport): void {
  const got = packs.receive(parseBreakGlass(r.content), r.author, r.seq, r.publishedAt);
  const before = report.breakglass;
  report.breakglass = {
    outcome: before?.outcome === 'updated' ? 'updated' : got.outcome,
    setAside: got.setAside || (before?.setAside ?? false),
    version: r.version,
    author: r.author,
  };
}

/** Pulls every runbook version published since the cursor, one transaction per page. */
export async function pullRunbooks(core: Core, via?: HubRoute): Promise<RunbookPullReport> {
  const lib = runbooksOf(core);
  const packs = new BreakGlassStore(core.db);
  const report: RunbookPullReport = { added: [], updated: [], unchanged: [], skipped: [], cursor: 0 };
  await withHub(core, via, async (request, url) => {
    report.cursor = readCursor(lib, url);
    for (;;) {
      const page = RunbookPullResponseSchema.parse(await request(RUNBOOK_HUB_EVENTS.pull, { after: report.cursor }));
      // Don't advance the cursor outside the transaction that stored the page.
      core.db.transaction(() => {
        for (const r of page.runbooks) {
          try {
            if (r.name === BREAKGLASS_PACK_NAME) receivePack(packs, r, report);
            else {
              const put = lib.put(r.name, r.content, r.author, { hubSeq: r.seq });
              if (put.outcome === 'unchanged') lib.setHubSeq(r.name, r.seq);
              report[put.outcome].push(r.name);
            }
          } catch (err) {
            // A version this cockpit cannot read (e.g. from a newer Conn) is skipped, not fatal.
            if (!(err instanceof ConnError)) throw err;
            report.skipped.push({ name: r.name, reason: err.message });
          }
          report.cursor = r.seq;
        }
        lib.setSetting(CURSOR_KEY, String(report.cursor));
        lib.setSetting(CURSOR_URL_KEY, url);
      })();
      if (!page.more || page.runbooks.length === 0) break;
    }
  });
  return report;
}

/**
 * Keeps this cockpit's runbook cache current while a long-lived host runs (`conn web`, the
 * desktop core process): pulls on every (re)connection of the sync engine and whenever the hub
 * announces a publish, over the engine's own socket (one connection per cockpit). The hub
 * serves one request per socket at a time, so a runbook page and an event push take turns;
 * the pull's pages are small next to a day of events, and the engine's pump is never blocked
 * on this side. Stops with the core, or with stop() when the engine is replaced.
 */
export function startRunbookSync(core: Core, channel: HubChannel, log: (err: unknown) => void = () => undefined): { stop(): void } {
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;
  const pull = (): void => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = pullRunbooks(core, channel)
      .then((r) => {
        // Nobody reads a background pull's report: a skipped version goes to the log instead.
        for (const x of r.skipped) log(new ConnError('invalid-input', `skipped the published "${x.name}": ${x.reason}`));
        if (r.added.length || r.updated.length || r.breakglass?.outcome === 'updated') core.bus.emit({ type: 'runbooks-changed' });
      })
      // Offline is no failure: the next 'ready' pulls again from the same cursor.
      .catch((err: unknown) => {
        if (!(err instanceof ConnError && err.code === 'unavailable' && !channel.ready)) log(err);
      })
      .finally(() => {
        running = null;
        if (again && channel.ready) {
          again = false;
          pull();
        }
      });
  };
  const offReady = channel.on('ready', pull);
  const offPublished = channel.onHub(RUNBOOK_HUB_EVENTS.published, pull);
  // Started after the engine's first subscribe: catch up now rather than at the next reconnect.
  if (channel.ready) pull();
  const stop = (): void => {
    stopped = true;
    offReady();
    offPublished();
  };
  core.onClose(async () => {
    stop();
    await running;
  });
  return { stop };
}

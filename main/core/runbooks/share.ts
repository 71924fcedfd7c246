import { io, type Socket } from 'socket.io-client';
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
import { withHub as withOneHub } from '../sync/hub-link.js';
import { BreakGlassStore, type ReceiveOutcome } from './breakglass-store.js';
import type { RunbookLibrary } from './library.js';
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
 */

const TIMEOUT_MS = 15_000;

function connectionOf(core: Core, conn?: HubConnection): HubConnection {
  const c = conn ?? loadConnection(core);
  if (!c) throw new ConnError('unavailable', 'this cockpit is not connected to a hub: run `conn connect HUB_URL --token TOKEN` first');
  return c;
}

/** One connection for one publish or pull; refusals read as everywhere else (sync/hub-link.ts). */
function withHub<T>(c: HubConnection, fn: (request: (name: string, payload: unknown) => Promise<unknown>) => Promise<T>): Promise<T> {
  return withOneHub(c, TIMEOUT_MS, fn, '; the local library still works, publish or pull when it is back');
}

/** Publishes the local newest version of `name` as the team's next version. */
export async function publishRunbook(core: Core, name: string, conn?: HubConnection): Promise<PublishRunbookAck & { name: string }> {
  const lib = runbooksOf(core);
  const rb = lib.get(name);
  const baseSeq = lib.hubSeqOf(rb.name);
  const ack = await withHub(connectionOf(core, conn), async (request) =>
    PublishRunbookAckSchema.parse(await request(RUNBOOK_HUB_EVENTS.publish, { name: rb.name, content: rb.content, baseSeq })),
  );
  lib.setHubSeq(rb.name, ack.seq);
  return { ...ack, name: rb.name };
}

/**
 * Publishes the local break-glass pack as the team's next version, based on the version it was
 * last published as or pulled from: refused with 'conflict' if a teammate published since.
 */
export async function publishBreakGlass(core: Core, conn?: HubConnection): Promise<PublishRunbookAck> {
  const store = new BreakGlassStore(core.db);
  const stored = store.get();
  if (!stored) throw new ConnError('not-found', 'no break-glass pack to publish yet: run `conn breakglass import FILE` first');
  const content = breakGlassToYaml(stored.pack);
  // What teammates will parse on pull: refuse here, with the reason, what they would skip.
  parseBreakGlass(content);
  const ack = await withHub(connectionOf(core, conn), async (request) =>
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
export async function pullRunbooks(core: Core, conn?: HubConnection): Promise<RunbookPullReport> {
  const lib = runbooksOf(core);
  const c = connectionOf(core, conn);
  const packs = new BreakGlassStore(core.db);
  const report: RunbookPullReport = { added: [], updated: [], unchanged: [], skipped: [], cursor: readCursor(lib, c.url) };
  await withHub(c, async (request) => {
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
        lib.setSetting(CURSOR_URL_KEY, c.url);
      })();
      if (!page.more || page.runbooks.length === 0) break;
    }
  });
  return report;
}

/**
 * Keeps this cockpit's runbook cache current while a long-lived host runs (`conn web`, the
 * desktop core process): pulls on every (re)connect and whenever the hub announces a publish.
 * It uses its own socket so the event sync engine's pump is never held up by a 1 MiB runbook.
 * Stops with the core.
 */
export function startRunbookSync(core: Core, conn: HubConnection, log: (err: unknown) => void = () => undefined): { stop(): void } {
  const socket: Socket = io(conn.url, { auth: { token: conn.token }, transports: ['websocket'], reconnection: true, reconnectionDelayMax: 30_000, randomizationFactor: 0.5 });
  let running: Promise<void> | null = null;
  let again = false;
  const pull = (): void => {
    if (running) {
      again = true;
      return;
    }
    running = pullRunbooks(core, conn)
      .then((r) => {
        // Nobody reads a background pull's report: a skipped version goes to the log instead.
        for (const x of r.skipped) log(new ConnError('invalid-input', `skipped the published "${x.name}": ${x.reason}`));
        if (r.added.length || r.updated.length || r.breakglass?.outcome === 'updated') core.events.notify({ type: 'runbooks-changed' });
      })
      .catch(log)
      .finally(() => {
        running = null;
        if (again && socket.connected) {
          again = false;
          pull();
        }
      });
  };
  socket.on('connect', pull);
  socket.on(RUNBOOK_HUB_EVENTS.published, pull);
  const stop = (): void => void socket.disconnect();
  core.onClose(async () => {
    stop();
    await running;
  });
  return { stop };
}

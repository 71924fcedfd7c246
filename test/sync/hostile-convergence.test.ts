import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { authorize, sameName, targetEntryOf } from '../../shared/domain/authority.js';
import { ConnError } from '../../shared/domain/errors.js';
import { parseEvent, targetOf, TEXT_KINDS, type ConnEvent, type EventKind } from '../../shared/domain/events.js';
import { foldIncident, foldTimeline, type IncidentState, type TimelineItem } from '../../shared/domain/fold.js';
import { newId } from '../../shared/domain/ids.js';
import { LIMITS, serialisedBytes } from '../../shared/domain/limits.js';
import { formatHlc } from '../../shared/sync/hlc.js';
import type { MemberRole, PushAck } from '../../shared/sync/protocol.js';
import type { Core } from '../../main/core/open.js';
import { eventFromRow, type EventRow } from '../../main/core/store/event-rows.js';
import { readCursor } from '../../main/core/sync/cursor.js';
import { pendingCount } from '../../main/core/sync/outbox.js';
import { client, makeEvent } from '../hub/hub-fixture.js';
import { fullTimeline, fuzzHub, fuzzSeeds, fuzzSteps, rng, settled, teammate, type FuzzHub, type Teammate } from './sync-fixture.js';

/*
 * The hostile convergence harness (docs/sync.md, "Tests"). Two teams on one real hub, members
 * of every role, each with a real cockpit over loopback socket.io, driven by a seeded schedule
 * of honest writes through the cockpit API (which may refuse them locally), hostile writes that
 * bypass the cockpit's own check, raw pushes from members without a cockpit, offline periods,
 * re-deliveries and hub restarts. After everyone syncs:
 *
 *  1. every cockpit of a team has, for every incident, the state and timeline the hub's stored
 *     accepted events fold to (its own refused rows aside), and stores every event the hub has
 *     byte for byte as the hub stores it (so a refused redaction's words are back);
 *  2. replaying each team's log in seq order, every accepted event is allowed by the authority
 *     rule against the fold of the events accepted before it;
 *  3. every event a cockpit wrote is either in the hub's log or marked refused there (and shown
 *     marked on its timeline), never both, and no other cockpit has it;
 *  4. nothing is pending anywhere.
 *
 * CI runs these fixed seeds; `npm run fuzz -- --seeds N` runs N more of this harness and of
 * convergence.test.ts.
 */

// A schedule is only partly fixed by its seed (sockets, reconnect jitter and the hub's timing vary
// run to run), so these were picked as the seeds of 1-40 that most often caught a cockpit which
// does not put back a refused redaction's words; 5 also often catches the rarer case of words
// that arrive while the redaction waits.
const SEEDS = fuzzSeeds([5, 14, 27, 31]);
const STEPS = fuzzSteps(90);

type TeamName = 'alpha' | 'bravo';
const TEAMS: readonly TeamName[] = ['alpha', 'bravo'];

/** Who has a cockpit, and how often they write past its check instead of through it. */
const CAST: ReadonlyArray<{ team: TeamName; name: string; role: MemberRole; hostility: number }> = [
  { team: 'alpha', name: 'Alice', role: 'admin', hostility: 0.05 },
  { team: 'alpha', name: 'Bob', role: 'member', hostility: 0.1 },
  { team: 'alpha', name: 'Vera', role: 'viewer', hostility: 0.3 },
  { team: 'alpha', name: 'Mal', role: 'member', hostility: 0.6 },
  // The same name in the other team: names, like ids, are a team's own.
  { team: 'bravo', name: 'Alice', role: 'admin', hostility: 0.1 },
  { team: 'bravo', name: 'Bert', role: 'member', hostility: 0.4 },
];
/** Members with no cockpit, who push raw events over their own socket. */
const RAW_CAST: ReadonlyArray<{ team: TeamName; name: string; role: MemberRole }> = [
  { team: 'alpha', name: 'Trudy', role: 'member' },
  { team: 'bravo', name: 'Mallory', role: 'member' },
];

const TEXT_KIND_LIST = `(${TEXT_KINDS.map((k) => `'${k}'`).join(', ')})`;
const STATUSES = ['investigating', 'identified', 'monitoring', 'resolved'];
const ROLES = ['commander', 'ops', 'comms'];
const dirs: string[] = [];

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

interface Player {
  label: string;
  team: TeamName;
  name: string;
  hostility: number;
  t: Teammate;
}

/** An event some writer made, so hostile writes can aim at real ids, in other incidents and teams. */
interface Known {
  team: TeamName;
  id: string;
  incidentId: string;
}

/**
 * A write by a cockpit whose own authority check is skipped (an old or tampered build): the
 * event goes through the real write path (clock, held words, outbox, projection) unchecked.
 */
function unchecked<T>(core: Core, write: () => T): T {
  const store = core.events as unknown as { checkLocalWrite?: () => void };
  store.checkLocalWrite = () => undefined;
  try {
    return write();
  } finally {
    delete store.checkLocalWrite; // the prototype's check again
  }
}

/**
 * An event a tampered cockpit made up whole (a clock stamp from 1970, a size no check let
 * through), saved as its own write: stored, projected and queued in one transaction.
 */
function saveAsLocal(core: Core, e: ConnEvent): void {
  core.db
    .transaction(() => {
      core.events.ingest([e]);
      core.db.prepare('UPDATE events SET local = 1 WHERE id = ?').run(e.id);
      core.db.prepare('INSERT INTO outbox (event_id) VALUES (?)').run(e.id);
    })
    .immediate();
  core.bus.emit({ type: 'sync-changed' }); // what a local write announces: the engine pushes
}

function savedCounts(core: Core): string {
  return JSON.stringify([core.db.prepare('SELECT count(*) AS n FROM events').get(), pendingCount(core.db)]);
}

function storedEvents(core: Core): ConnEvent[] {
  return core.db
    .prepare<[], EventRow>('SELECT id, incident_id, hlc, kind, author_id, author_name, payload, supersedes FROM events ORDER BY id')
    .all()
    .map(eventFromRow);
}

async function runSeed(seed: number): Promise<void> {
  const rand = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  /** Mostly one of the newest: people edit, redact and pin what they just read, so writes collide. */
  const recent = <T>(xs: readonly T[]): T => (rand() < 0.7 ? pick(xs.slice(-3)) : pick(xs));
  const h: FuzzHub = await fuzzHub();
  dirs.push(h.dir);

  const teamIds = {} as Record<TeamName, string>;
  const players: Player[] = [];
  for (const c of CAST) {
    const invite = await h.store.invite(c.team, c.name, c.role);
    teamIds[c.team] ??= (await h.store.authenticate(invite.token))!.teamId;
    const t = teammate(c.name, h.url, invite.token, { pageSize: 1 + Math.floor(rand() * 9) });
    dirs.push(t.core.dataDir);
    players.push({ label: `${c.name}@${c.team}`, team: c.team, name: c.name, hostility: c.hostility, t });
  }
  const raws = await Promise.all(RAW_CAST.map(async (r) => ({ ...r, token: (await h.store.invite(r.team, r.name, r.role)).token })));
  const roleOf = (team: TeamName, name: string): MemberRole | undefined =>
    [...CAST, ...RAW_CAST].find((m) => m.team === team && sameName(m.name, name))?.role;
  const namesOf = (team: TeamName) => [...CAST, ...RAW_CAST].filter((m) => m.team === team).map((m) => m.name);
  const other = (team: TeamName): TeamName => (team === 'alpha' ? 'bravo' : 'alpha');

  const incidents: Record<TeamName, string[]> = { alpha: [], bravo: [] };
  const known: Known[] = [];
  const happened = { saved: 0, honest: 0, hostile: 0, localRefusals: 0, rawPushes: 0, rawRejected: 0, partitions: 0, redeliveries: 0, restarts: 0 };

  /** A write through the cockpit: the local rule may refuse it, and then nothing is saved. */
  function attempt(p: Player, write: () => ConnEvent): ConnEvent | null {
    const before = savedCounts(p.t.core);
    try {
      const e = write();
      happened.saved += 1;
      known.push({ team: p.team, id: e.id, incidentId: e.incidentId });
      return e;
    } catch (err) {
      if (!(err instanceof ConnError)) throw err;
      happened.localRefusals += 1;
      expect(savedCounts(p.t.core), `${p.label}: a refused write saved something (seed ${seed})`).toBe(before);
      return null;
    }
  }

  /** Incidents declared as this cockpit folds them: where a member would be looking. */
  const declaredHere = (core: Core) => core.db.prepare<[], { id: string }>('SELECT id FROM incidents WHERE declared_at IS NOT NULL ORDER BY id').all().map((r) => r.id);

  const textEntries = (core: Core, incidentId: string) =>
    core.db
      .prepare<[string], { id: string; kind: EventKind; author: string }>(
        `SELECT event_id AS id, kind, author_name AS author FROM timeline_items WHERE incident_id = ? AND kind IN ${TEXT_KIND_LIST} AND redacted = 0 AND refused IS NULL ORDER BY hlc, event_id`,
      )
      .all(incidentId);

  /** What a member means to do, through the cockpit API. */
  function honest(p: Player): void {
    happened.honest += 1;
    const core = p.t.core;
    const names = namesOf(p.team);
    const here = declaredHere(core);
    // Nothing here yet (nothing synced, or only a declaration the hub refused): declare one.
    if (here.length === 0 || rand() < 0.08) {
      const e = attempt(p, () => core.incidents.declare({ title: `${p.label} incident ${incidents[p.team].length + 1}`, severity: 2 }).event);
      if (e) incidents[p.team].push(e.incidentId);
      return;
    }
    const inc = pick(here);
    const state = core.events.stateOf(inc)!;
    const entries = textEntries(core, inc);
    const words = () => `${p.name} ${Math.floor(rand() * 1e6)}`;
    const choices: Array<[EventKind, () => unknown]> = [
      ['note', () => ({ text: `${words()} says` })],
      ['status.changed', () => ({ status: pick(STATUSES) })],
      ['severity.changed', () => ({ severity: 1 + Math.floor(rand() * 4) })],
      ['role.assigned', () => ({ role: pick(ROLES), person: pick([...names, null]) })],
      ['action.added', () => ({ text: `fix ${words()}`, owner: pick(names) })],
      ['hypothesis', () => ({ text: `maybe ${words()}` })],
      ['handoff.offered', () => ({ role: pick(ROLES), to: pick([...names, null]), brief: `brief ${words()}` })],
    ];
    if (state.actions.length) choices.push(['action.updated', () => ({ target: pick(state.actions).id, ...(rand() < 0.5 ? { text: `reworded ${words()}` } : { state: 'done' }) })]);
    if (state.hypotheses.length) choices.push(['hypothesis.updated', () => ({ target: pick(state.hypotheses).id, state: pick(['ruled-out', 'confirmed']) })]);
    const open = state.handoffs.filter((o) => o.acceptedBy === null);
    if (open.length) choices.push(['handoff.accepted', () => ({ target: pick(open).id })]);
    if (entries.length) {
      const edit = () => ({ target: recent(entries).id, text: `edited ${words()}` });
      choices.push(['entry.edited', edit], ['entry.edited', edit]);
      choices.push(['entry.redacted', () => ({ target: recent(entries).id, reason: `secret ${Math.floor(rand() * 3)}` })]);
      choices.push(['entry.pinned', () => ({ target: recent(entries).id, pinned: rand() < 0.7 })]);
    }
    const [kind, payload] = pick(choices);
    attempt(p, () => core.events.appendLocal(inc, kind, payload()));
  }

  /** What a member should not be able to do; written past the cockpit's own check. */
  function hostile(p: Player): void {
    happened.hostile += 1;
    const core = p.t.core;
    const here = declaredHere(core);
    const inc = here.length && rand() < 0.8 ? pick(here) : incidents[p.team].length ? pick(incidents[p.team]) : newId();
    const me = core.profile.get();
    const aimAt = (target: Known, incidentId = inc) => {
      const kind = pick(['entry.redacted', 'entry.edited', 'hypothesis.updated'] as const);
      const payload =
        kind === 'entry.redacted' ? { target: target.id, reason: 'hostile' } : kind === 'entry.edited' ? { target: target.id, text: `${p.name} was here` } : { target: target.id, state: 'ruled-out' };
      attempt(p, () => unchecked(core, () => core.events.appendLocal(incidentId, kind, payload)));
    };
    const rewriteTheirs = () => {
      const theirs = textEntries(core, inc).filter((r) => !sameName(r.author, p.name));
      if (!theirs.length) return;
      const target = recent(theirs).id;
      const [kind, payload] = rand() < 0.5 ? (['entry.edited', { target, text: `${p.name} rewrote this` }] as const) : (['entry.redacted', { target, reason: 'mine' }] as const);
      attempt(p, () => unchecked(core, () => core.events.appendLocal(inc, kind, payload)));
    };
    const attacks: Array<() => void> = [
      // A target in another incident of the team, or in the other team (ids leak: links, screenshots).
      () => {
        const elsewhere = known.filter((k) => k.team === p.team && k.incidentId !== inc);
        if (elsewhere.length) aimAt(pick(elsewhere));
      },
      () => {
        const target = known.filter((k) => k.team === other(p.team));
        if (target.length) {
          const k = pick(target);
          aimAt(k, pick([inc, k.incidentId]));
        }
      },
      // A second declaration of an existing incident, stamped in 1970 so it would fold as the first.
      () => {
        const wall = Math.floor(rand() * 86_400_000);
        const e = parseEvent({
          id: newId(),
          incidentId: inc,
          hlc: formatHlc({ wall, counter: 0 }),
          author: me,
          kind: 'incident.declared',
          payload: { title: `${p.name} owns this now`, severity: 1 },
        });
        saveAsLocal(core, e);
        known.push({ team: p.team, id: e.id, incidentId: inc });
      },
      // Taking command without being given it.
      () => attempt(p, () => unchecked(core, () => core.events.appendLocal(inc, 'role.assigned', { role: 'commander', person: p.name }))),
      // Rewriting or wiping someone else's words (the commonest attempt, so weighted up).
      rewriteTheirs,
      rewriteTheirs,
      rewriteTheirs,
      // Over the byte limit once serialised (each control character is six bytes of JSON), under the character limit.
      () => {
        const text = `dump ${'\u0001'.repeat(45_000)}`;
        expect(text.length).toBeLessThan(LIMITS.textChars);
        expect(attempt(p, () => core.events.appendLocal(inc, 'note', { text })), 'the cockpit refuses it itself').toBeNull();
        const e = { ...makeEvent(inc, 'note', { text }, p.name), author: me };
        saveAsLocal(core, e);
        known.push({ team: p.team, id: e.id, incidentId: inc });
      },
      // Signed with a teammate's name.
      () => {
        const victim = pick(namesOf(p.team).filter((n) => !sameName(n, p.name)));
        core.profile.set({ name: victim });
        try {
          const [kind, payload] = rand() < 0.5 ? (['note', { text: `as ${victim}` }] as const) : (['status.changed', { status: pick(STATUSES) }] as const);
          attempt(p, () => unchecked(core, () => core.events.appendLocal(inc, kind, payload)));
        } finally {
          core.profile.set({ name: p.name });
        }
      },
      // An incident nobody declared.
      () => attempt(p, () => unchecked(core, () => core.events.appendLocal(newId(), 'status.changed', { status: 'resolved' }))),
      // An entry of the wrong kind, and a hand-off offered to someone else.
      () => {
        const entries = textEntries(core, inc).filter((r) => r.kind !== 'hypothesis');
        if (entries.length) attempt(p, () => unchecked(core, () => core.events.appendLocal(inc, 'hypothesis.updated', { target: pick(entries).id, state: 'confirmed' })));
        const offers = core.events.stateOf(inc)?.handoffs.filter((o) => o.to !== null && !sameName(o.to, p.name)) ?? [];
        if (offers.length) attempt(p, () => unchecked(core, () => core.events.appendLocal(inc, 'handoff.accepted', { target: pick(offers).id })));
      },
      // Any ordinary write: for a viewer, the whole of their hostility.
      () => unchecked(core, () => honest(p)),
    ];
    pick(attacks)();
  }

  /** A member with no cockpit pushes a batch of raw events: some fair, most not. */
  async function rawPush(): Promise<void> {
    happened.rawPushes += 1;
    const r = pick(raws);
    const own = incidents[r.team];
    const theirs = known.filter((k) => k.team === other(r.team));
    const batch: ConnEvent[] = [];
    const fresh = newId();
    const tryBatch: Array<() => void> = [
      () => {
        batch.push(makeEvent(fresh, 'incident.declared', { title: `${r.name}'s incident`, severity: 3, services: [] }, r.name));
        own.push(fresh);
      },
      // An incident id the other team uses: in this team it is a new incident of this team's own.
      () => {
        const k = theirs.length ? pick(theirs) : undefined;
        if (k && !own.includes(k.incidentId)) {
          batch.push(makeEvent(k.incidentId, 'incident.declared', { title: 'same id, other team', severity: 2, services: [] }, r.name));
          own.push(k.incidentId);
        }
      },
      () => {
        const k = theirs.length ? pick(theirs) : undefined;
        if (k && own.length) batch.push(makeEvent(pick(own), 'entry.redacted', { target: k.id, reason: 'across teams' }, r.name));
      },
      () => own.length && batch.push(makeEvent(pick(own), 'note', { text: `${r.name} notes ${Math.floor(rand() * 1e6)}` }, r.name)),
      () => own.length && batch.push(makeEvent(pick(own), 'note', { text: 'signed as someone else' }, pick(namesOf(r.team)))),
      () => own.length && batch.push(makeEvent(pick(own), 'incident.declared', { title: 'back-dated', severity: 1, services: [] }, r.name, 1000)),
      () => own.length && batch.push(makeEvent(pick(own), 'role.assigned', { role: 'commander', person: r.name }, r.name)),
      () => own.length && batch.push(makeEvent(pick(own), 'status.changed', { status: 'resolved' }, r.name, Date.now() + 3_600_000)),
    ];
    for (let i = 1 + Math.floor(rand() * 3); i > 0; i--) pick(tryBatch)();
    if (!batch.length) return;
    for (const e of batch) known.push({ team: r.team, id: e.id, incidentId: e.incidentId });
    const socket = await client(h.url(), r.token).catch(() => null); // the hub may be restarting
    if (!socket) return;
    try {
      const ack = (await socket.timeout(10_000).emitWithAck('push', { events: batch })) as PushAck;
      happened.rawRejected += ack.rejected?.length ?? 0;
    } catch {
      // a restart cut the push: whatever the hub committed is in its log, and that is what is checked
    } finally {
      socket.close();
    }
  }

  /**
   * Delivers a slice of the team's log to `p` again, shuffled: duplicates and reordering. Half
   * the time it is the newest events, as a pull that got one page in before the link dropped,
   * arriving at a cockpit whose own writes have not been answered yet.
   */
  async function redeliver(p: Player): Promise<void> {
    const head = await h.store.head(teamIds[p.team]);
    if (head === 0) return;
    const size = 1 + Math.floor(rand() * 15);
    const after = rand() < 0.5 ? Math.max(0, head - size) : Math.floor(rand() * head);
    const page = await h.store.pull(teamIds[p.team], after, size);
    const events = page.events.map((e) => parseEvent(e.event));
    for (let i = events.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [events[i], events[j]] = [events[j]!, events[i]!];
    }
    p.t.core.events.ingest(events);
  }

  const act = (p: Player) => (rand() < p.hostility ? hostile(p) : honest(p));

  // Some start offline: never synced, they do not know their role, so only the hub decides.
  for (const p of players) if (rand() < 0.7) p.t.online();
  for (let step = 0; step < STEPS; step++) {
    const r = rand();
    const p = pick(players);
    if (r < 0.6) {
      // Several members writing in the same tick: concurrent writes of the same fields.
      act(p);
      if (rand() < 0.5) act(pick(players));
    } else if (r < 0.7) {
      if (p.t.engine) await p.t.offline();
      else p.t.online();
      happened.partitions += 1;
    } else if (r < 0.8) {
      await redeliver(p);
      happened.redeliveries += 1;
    } else if (r < 0.87) {
      await rawPush();
    } else if (r < 0.9) {
      await h.restart();
      happened.restarts += 1;
    }
    await new Promise((res) => setTimeout(res, Math.floor(rand() * 15)));
  }

  // Heal: everyone online, one more honest write each, and wait until every outbox is drained.
  for (const p of players) {
    p.t.online();
    honest(p);
  }
  for (const team of TEAMS) {
    await settled(
      players.filter((p) => p.team === team).map((p) => p.t),
      () => h.store.head(teamIds[team]),
    );
  }

  let marked = 0;
  const refusedBy = new Map<string, string>();
  const codes: Record<string, number> = {};
  let wordsBack = 0;
  for (const team of TEAMS) {
    const teamId = teamIds[team];
    const log = await h.store.pull(teamId, 0, 1_000_000);
    // 4 (hub side): sequences are dense, so nothing accepted is missing from the log.
    expect(log.events.map((e) => e.seq)).toEqual(Array.from({ length: log.head }, (_, i) => i + 1));
    const accepted = log.events.map((e) => parseEvent(e.event));
    const byId = new Map(accepted.map((e) => [e.id, e]));
    const byIncident = new Map<string, ConnEvent[]>();
    for (const e of accepted) byIncident.set(e.incidentId, [...(byIncident.get(e.incidentId) ?? []), e]);

    // 2. Every accepted event is allowed by the rule against what was accepted before it.
    const before = new Map<string, ConnEvent>();
    const incidentSoFar = new Map<string, ConnEvent[]>();
    for (const e of accepted) {
      expect(serialisedBytes(e), `${e.id} over the byte limit (seed ${seed})`).toBeLessThanOrEqual(LIMITS.eventBytes);
      const role = roleOf(team, e.author.name);
      expect(role, `${team} accepted ${e.kind} ${e.id} signed by ${e.author.name}, who is not a member (seed ${seed})`).toBeDefined();
      const soFar = incidentSoFar.get(e.incidentId) ?? [];
      const targetId = targetOf(e);
      const target = targetId === undefined ? undefined : before.get(targetId);
      const verdict = authorize({
        state: soFar.length ? foldIncident(e.incidentId, soFar) : null,
        actor: { name: e.author.name, role: role! },
        event: e,
        target: target ? targetEntryOf(target) : null,
      });
      expect(verdict, `${team} accepted ${e.kind} ${e.id} by ${e.author.name} (seed ${seed})`).toEqual({ ok: true });
      before.set(e.id, e);
      incidentSoFar.set(e.incidentId, [...soFar, e]);
    }

    for (const p of players.filter((x) => x.team === team)) {
      const core = p.t.core;
      const where = `${p.label} (seed ${seed})`;
      // 4. Nothing pending, and caught up.
      expect(pendingCount(core.db), where).toBe(0);
      expect(readCursor(core.db), where).toBe(log.head);

      // 3. Each own write is in the hub's log or marked refused here, never both.
      const refused = new Map(core.events.refused().map((r) => [r.id, r]));
      const local = core.db.prepare<[], { id: string }>('SELECT id FROM events WHERE local = 1').all();
      for (const { id } of local) {
        expect(byId.has(id) !== refused.has(id), `${where}: own event ${id} accepted=${byId.has(id)} marked=${refused.has(id)}`).toBe(true);
      }
      for (const id of refused.keys()) {
        expect(local.some((l) => l.id === id), `${where}: ${id} marked refused but not written here`).toBe(true);
        refusedBy.set(id, p.label);
      }
      marked += refused.size;
      for (const r of refused.values()) {
        codes[r.code] = (codes[r.code] ?? 0) + 1;
        const e = core.events.get(r.id)!;
        if (e.kind !== 'entry.redacted') continue;
        const target = core.events.get(e.payload.target);
        if (target?.incidentId === e.incidentId && byId.has(target.id)) wordsBack += 1;
      }

      // 1. The same state and timeline as the hub's fold, incident by incident.
      const timelines = fullTimeline(core);
      const ids = new Set([...byIncident.keys(), ...Object.keys(timelines)]);
      for (const id of ids) {
        const events = byIncident.get(id) ?? [];
        const state: IncidentState = core.events.stateOf(id) ?? foldIncident(id, []);
        expect(state, `${where}: state of ${id}`).toEqual(foldIncident(id, events));
        const rows: TimelineItem[] = timelines[id] ?? [];
        const shownRefused = rows.filter((r) => r.refused !== null);
        for (const r of shownRefused) expect(r.refused, `${where}: ${r.id} shown refused`).toEqual({ code: refused.get(r.id)?.code, message: refused.get(r.id)?.message });
        expect(rows.filter((r) => r.refused === null), `${where}: timeline of ${id}`).toEqual(foldTimeline(events));
      }
      // Every refused event is on the timeline, marked (edits, pins and redactions too).
      const shown = new Set(Object.values(timelines).flatMap((rows) => rows.filter((r) => r.refused !== null).map((r) => r.id)));
      expect([...refused.keys()].filter((id) => !shown.has(id)), `${where}: refused but not shown marked`).toEqual([]);
      // Every event the hub has is stored here as the hub stores it: scrubbed words scrubbed,
      // and the words a refused redaction had scrubbed here put back.
      const stored = storedEvents(core);
      for (const e of stored) {
        const hubs = byId.get(e.id);
        if (hubs) expect(e, `${where}: stored ${e.kind} ${e.id}`).toEqual(hubs);
      }
      const held = new Set(stored.map((e) => e.id));
      expect(accepted.filter((e) => !held.has(e.id)).map((e) => e.id), `${where}: accepted events missing here`).toEqual([]);
      expect(stored.filter((e) => !byId.has(e.id) && !refused.has(e.id)).map((e) => e.id), `${where}: events neither accepted nor refused`).toEqual([]);
    }
  }
  // 3. A refused event never reaches another cockpit, of either team.
  for (const p of players) {
    for (const [id, writer] of refusedBy) {
      if (writer === p.label) continue;
      expect(p.t.core.events.get(id), `${p.label} has ${writer}'s refused ${id} (seed ${seed})`).toBeUndefined();
    }
  }

  const heads = await Promise.all(TEAMS.map((t) => h.store.head(teamIds[t])));
  const summary = JSON.stringify({ ...happened, heads, marked, codes, wordsBack });
  if (process.env['CONN_FUZZ_VERBOSE']) console.log(`seed ${seed}: ${summary}`);
  // A schedule that did nothing would prove nothing.
  expect(happened.hostile, summary).toBeGreaterThan(STEPS / 20);
  expect(marked, summary).toBeGreaterThan(0);
  expect(heads[0]! + heads[1]!, summary).toBeGreaterThan(STEPS / 5);

  for (const p of players) {
    await p.t.offline();
    await p.t.core.close();
  }
  await h.close();
}

describe('convergence with members of every role in two teams, hostile writes included', () => {
  for (const seed of SEEDS) {
    it(`seed ${seed}: every cockpit folds what the hub accepted, every accepted event obeys the rule, every refusal is marked on its writer's cockpit`, async () => {
      await runSeed(seed);
    }, 180_000);
  }
});

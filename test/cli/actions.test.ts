import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBin, connInDir, ok as okIn } from '../sync/conn-bin.js';

/*
 * Every action the app can take on an incident, from the real bin on a real data dir: pin, edit,
 * mark an action done or cancelled, rule a hypothesis out or confirm it, post a stakeholder
 * update, set a milestone, edit the incident. Each is one events.append through the API; bad
 * input exits non-zero with one line saying what to type, and changes nothing.
 */
const work = mkdtempSync(path.join(tmpdir(), 'conn-actions-'));
const dir = path.join(work, 'data');
afterAll(() => rmSync(work, { recursive: true, force: true }));
beforeAll(() => buildBin(), 60_000);

const conn = (args: string[], input?: string) => connInDir(dir, args, input);
function ok(args: string[], input?: string): string {
  const r = conn(args, input);
  if (r.code !== 0) throw new Error(`conn ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return r.stdout;
}
const json = <T = Record<string, unknown>>(args: string[], input?: string) => JSON.parse(ok(['--json', ...args], input)) as T;

interface Saved {
  id: string;
  kind: string;
  ref: string;
  at: string;
  payload: Record<string, unknown>;
}
interface State {
  title: string;
  summary: string | null;
  services: string[];
  actions: Array<{ id: string; text: string; owner: string | null; due: string | null; state: string }>;
  hypotheses: Array<{ id: string; state: string }>;
  milestones: Record<string, string | null>;
  updatesPosted: number;
  lastUpdateAt: string | null;
}
interface Call {
  id: string;
  title: string | null;
  bridge: string | null;
  endedAt: string | null;
  attendees: string[];
}
interface Handoff {
  id: string;
  role: string;
  from: string;
  to: string | null;
  acceptedBy: string | null;
}
interface Row {
  id: string;
  kind: string;
  text: string;
  pinned: boolean;
  edited: boolean;
}

/** Everything a command could change, as one string. */
function dump(): string {
  const db = new Database(path.join(dir, 'conn.db'), { readonly: true });
  try {
    return JSON.stringify([db.prepare('SELECT * FROM events ORDER BY id').all(), db.prepare('SELECT * FROM incidents ORDER BY id').all(), db.prepare('SELECT * FROM outbox').all()]);
  } finally {
    db.close();
  }
}

/** Runs a command that must be refused: non-zero `exit`, one line on stderr matching `message`, nothing written. */
function refused(args: string[], exit: number, message: RegExp, input?: string): void {
  const before = dump();
  const r = conn(args, input);
  expect(r.stderr).toMatch(message);
  expect(r.code).toBe(exit);
  expect(r.stdout).toBe('');
  expect(r.stderr).toMatch(/^conn: /);
  expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(dump()).toBe(before);
}

/** HH:MM on a Berlin clock, the way a person there reads an instant. */
const berlinClock = (ms: number) => new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Berlin', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(ms));

let ref = '';
let noteId = '';
let actionId = '';
let hypothesisId = '';
beforeAll(() => {
  ok(['profile', '--name', 'Ana', '--tz', 'Europe/Berlin']);
  ({ ref } = json<{ ref: string }>(['declare', 'Checkout returns 502', '--sev', '1', '--service', 'checkout']));
  noteId = json<Saved>(['note', ref, 'error rate at 40%']).id;
  actionId = json<Saved>(['action', ref, 'roll back 4.2.1', '--owner', 'Bo', '--due', '30m']).id;
  hypothesisId = json<Saved>(['hypothesis', ref, 'the 4.2.1 deploy?']).id;
}, 60_000);

const state = () => json<State>(['show', ref]);
const row = (id: string) => json<Row[]>(['timeline', ref]).find((r) => r.id === id);

describe('conn pin', () => {
  it('pins an entry and unpins it with --off', () => {
    const pinned = json<Saved>(['pin', ref, noteId]);
    expect(pinned).toMatchObject({ kind: 'entry.pinned', ref, payload: { target: noteId, pinned: true } });
    expect(json<Row[]>(['timeline', ref, '--pinned']).map((r) => r.id)).toEqual([noteId]);
    expect(ok(['pin', ref, noteId, '--off'])).toMatch(new RegExp(`^Unpinned on ${ref} at .+ GMT\\+[12]  \\[[0-9a-f-]{36}\\]\\n$`));
    expect(json<Row[]>(['timeline', ref, '--pinned'])).toEqual([]);
  }, 60_000);

  it('refuses an entry that is not in the incident, exit 3', () => {
    refused(['pin', ref, '0190a5c4-0000-7000-8000-000000000bad'], 3, new RegExp(`no entry 0190a5c4-0000-7000-8000-000000000bad in ${ref}`));
  });
});

describe('conn edit', () => {
  it('replaces the text of an entry, from the words or stdin, and the timeline marks it edited', () => {
    expect(json<Saved>(['edit', ref, noteId, 'error', 'rate', 'at', '45%'])).toMatchObject({ kind: 'entry.edited', payload: { target: noteId, text: 'error rate at 45%' } });
    expect(row(noteId)).toMatchObject({ text: 'error rate at 45%', edited: true });
    ok(['edit', ref, noteId, '-'], 'error rate at 50%\nfrom the dashboard');
    expect(row(noteId)).toMatchObject({ text: 'error rate at 50%\nfrom the dashboard' });
  }, 60_000);

  it('refuses an entry without text, and empty text', () => {
    refused(['edit', ref, declaredId(), 'new title'], 1, /is not an entry with text/);
    refused(['edit', ref, noteId], 1, /the text is empty/);
  }, 60_000);
});

/** The id of the incident.declared entry: an entry, but not one with text. */
function declaredId(): string {
  return json<Row[]>(['timeline', ref]).find((r) => r.kind === 'incident.declared')!.id;
}

describe('conn action-done, action-cancel, action-set', () => {
  it('marks an action done, reopens it with another owner and due time, then cancels it', () => {
    expect(ok(['action-done', ref, actionId])).toMatch(new RegExp(`^Action done on ${ref} at `));
    expect(state().actions).toEqual([expect.objectContaining({ id: actionId, state: 'done', owner: 'Bo' })]);

    const set = json<Saved>(['action-set', ref, actionId, '--state', 'open', '--owner', 'Cy', '--due', '2030-01-01T09:00:00+01:00']);
    expect(set).toMatchObject({ kind: 'action.updated', payload: { target: actionId, state: 'open', owner: 'Cy', due: '2030-01-01T08:00:00.000Z' } });
    ok(['action-set', ref, actionId, '--owner', 'none', '--due', 'none']);
    expect(state().actions[0]).toMatchObject({ state: 'open', owner: null, due: null });

    ok(['action-cancel', ref, actionId]);
    expect(state().actions[0]).toMatchObject({ state: 'cancelled' });
    // The human view names the id it takes.
    expect(ok(['show', ref])).toContain(`[cancelled] roll back 4.2.1  [${actionId}]`);
  }, 60_000);

  it('refuses nothing to change, an unknown state, and an id that is not an action', () => {
    refused(['action-set', ref, actionId], 1, /nothing to change: give --state, --owner or --due/);
    refused(['action-set', ref, actionId, '--state', 'finished'], 1, /unknown action state "finished": use open, done or cancelled/);
    refused(['action-done', ref, hypothesisId], 1, new RegExp(`entry ${hypothesisId} is not an action item`));
  }, 60_000);

  it('takes a start of the id that only one action has, and asks for more when two share it', () => {
    const second = json<Saved>(['action', ref, 'page the payments team']).id;
    const shared = [...actionId].findIndex((c, i) => c !== second[i]);
    // Both ids start with the same stamp; up to where they differ, a start names both.
    expect(shared).toBeGreaterThanOrEqual(6);
    refused(['action-done', ref, second.slice(0, shared)], 1, new RegExp(`^conn: 2 action ids start with ${second.slice(0, shared)}: give more of it`));
    expect(json<Saved>(['action-done', ref, second.slice(0, shared + 1).toUpperCase()]).payload).toMatchObject({ target: second, state: 'done' });
    refused(['action-done', ref, 'abc'], 1, /"abc" is not an action id: give the id `conn show INC-\w+` prints, or at least its first 6 characters/);
  }, 60_000);
});

describe('conn hypothesis-state', () => {
  it('rules a hypothesis out, opens it again and confirms it', () => {
    expect(ok(['hypothesis-state', ref, hypothesisId, 'Ruled out'])).toMatch(/^Hypothesis ruled out on /);
    expect(state().hypotheses).toEqual([expect.objectContaining({ id: hypothesisId, state: 'ruled-out' })]);
    ok(['hypothesis-state', ref, hypothesisId, 'open']);
    expect(json<Saved>(['hypothesis-state', ref, hypothesisId, 'confirmed'])).toMatchObject({ kind: 'hypothesis.updated', payload: { target: hypothesisId, state: 'confirmed' } });
    expect(state().hypotheses[0]).toMatchObject({ state: 'confirmed' });
  }, 60_000);

  it('refuses a state it does not know', () => {
    refused(['hypothesis-state', ref, hypothesisId, 'maybe'], 1, /unknown hypothesis state "maybe": use open, ruled-out or confirmed/);
  });
});

describe('conn update', () => {
  it('posts a stakeholder update for an audience, and the next one falls due from it', () => {
    const posted = json<Saved>(['update', ref, 'We are rolling back the 4.2.1 deploy.', '--audience', 'customers']);
    expect(posted).toMatchObject({ kind: 'update.posted', payload: { text: 'We are rolling back the 4.2.1 deploy.', audience: 'customers' } });
    const s = json<State & { nextUpdateDueAt: string }>(['show', ref]);
    expect(s).toMatchObject({ updatesPosted: 1, lastUpdateAt: posted.at });
    // SEV1: every 20 minutes after the last update.
    expect(Date.parse(s.nextUpdateDueAt) - Date.parse(posted.at)).toBe(20 * 60_000);
  }, 60_000);

  it('refuses an audience it does not know, and an empty update', () => {
    refused(['update', ref, 'hello', '--audience', 'everyone'], 1, /unknown audience "everyone": use internal, customers or executives/);
    refused(['update', ref, ' '], 1, /the text is empty/);
  }, 60_000);
});

describe('conn milestone', () => {
  it('sets a milestone at an ISO time, at HH:MM in the profile\'s zone, or now', () => {
    expect(json<Saved>(['milestone', ref, 'impact-started', '2026-01-01T10:00:00+01:00']).payload).toEqual({ milestone: 'impactStartedAt', at: '2026-01-01T09:00:00.000Z' });
    // An hour ago on a Berlin clock: today's, or yesterday's just after midnight.
    const hourAgo = Math.floor((Date.now() - 3_600_000) / 60_000) * 60_000;
    ok(['milestone', ref, 'mitigated', berlinClock(hourAgo)]);
    const before = Date.now();
    ok(['milestone', ref, 'acknowledgedAt']);
    const m = state().milestones;
    expect(m['impactStartedAt']).toBe('2026-01-01T09:00:00.000Z');
    expect(m['mitigatedAt']).toBe(new Date(hourAgo).toISOString());
    expect(Date.parse(m['acknowledgedAt']!)).toBeGreaterThanOrEqual(before - 1000);
    expect(ok(['show', ref])).toMatch(/milestones .*mitigated \d{4}-\d\d-\d\d \d\d:\d\d:\d\d GMT\+[12]/);
  }, 60_000);

  it('refuses a milestone it does not know, a time it cannot read, and a time still to come', () => {
    refused(['milestone', ref, 'fixed'], 1, /unknown milestone "fixed": use impact-started, detected, acknowledged, mitigated or resolved/);
    refused(['milestone', ref, 'mitigated', 'teatime'], 1, /cannot read the time "teatime": use now, 20m ago, 14:05/);
    refused(['milestone', ref, 'resolved', '2099-01-01T00:00:00Z'], 1, /2099-01-01T00:00:00Z is still to come/);
  }, 60_000);
});

describe('conn incident edit', () => {
  it("changes the title, summary and services, and keeps what isn't given", () => {
    const edited = json<Saved>(['incident', 'edit', ref, '--title', 'Checkout and payments return 502', '--service', 'checkout', '--service', 'payments']);
    expect(edited).toMatchObject({ kind: 'incident.edited', payload: { title: 'Checkout and payments return 502', services: ['checkout', 'payments'] } });
    ok(['incident', 'edit', ref, '--summary', 'Since the 4.2.1 deploy at 14:02']);
    expect(state()).toMatchObject({ title: 'Checkout and payments return 502', summary: 'Since the 4.2.1 deploy at 14:02', services: ['checkout', 'payments'] });
    ok(['incident', 'edit', ref, '--clear-services']);
    expect(state().services).toEqual([]);
  }, 60_000);

  it('refuses nothing to change and an empty title, in the words of its options', () => {
    refused(['incident', 'edit', ref], 1, /nothing to change: give --title, --summary, --service or --clear-services/);
    refused(['incident', 'edit', ref, '--title', ' '], 1, /^conn: --title: a title is required\n$/);
    refused(['incident', 'edit', 'INC-ZZZZZZ', '--title', 'x'], 3, /no incident INC-ZZZZZZ/);
  }, 60_000);
});

describe('conn call, attendee, minutes, call-end', () => {
  it('starts a call, records who joins and leaves, its minutes, and ends it', () => {
    const call = json<Saved>(['call', ref, '--title', 'Checkout bridge', '--bridge', 'https://meet.example.com/checkout']).id;
    ok(['attendee', ref, call, 'Bo']);
    ok(['attendee', ref, call, 'Cy']);
    expect(ok(['attendee', ref, call, 'Bo', '--left'])).toMatch(/^Bo left the call on /);
    expect(json<State & { calls: Call[] }>(['show', ref]).calls).toEqual([
      expect.objectContaining({ id: call, title: 'Checkout bridge', bridge: 'https://meet.example.com/checkout', endedAt: null, attendees: ['Cy'] }),
    ]);
    expect(ok(['show', ref])).toContain(`[live] Checkout bridge  https://meet.example.com/checkout  since `);
    expect(json<Saved>(['minutes', ref, 'agreed to roll back', '--call', call]).payload).toEqual({ text: 'agreed to roll back', target: call, status: 'draft' });
    ok(['call-end', ref, call]);
    expect(json<State & { calls: Call[] }>(['show', ref]).calls[0]!.endedAt).toMatch(/^\d{4}-/);
  }, 60_000);

  it('ends a call with `conn call end`, which prints the draft minutes Conn wrote; `conn minutes --publish` publishes them', () => {
    const call = json<Saved>(['call', ref, '--title', 'Second bridge']).id;
    ok(['decision', ref, 'fail over to eu-west']);
    const printed = ok(['call', 'end', ref, call.slice(0, 30)]);
    expect(printed).toMatch(/^Call ended on INC-\w+ {2}\[/);
    expect(printed).toContain('# Minutes: Second bridge');
    expect(printed).toContain('fail over to eu-west');
    refused(['call', 'end', ref, call.slice(0, 30)], 1, /that call already ended/);

    const draft = json<Saved & { markdown: string }>(['minutes', ref]);
    expect(draft.payload).toEqual(expect.objectContaining({ target: call, status: 'draft' }));
    expect(draft.markdown).toMatch(/^<!-- draft, by Ana at /);

    // Bo, a member as the hub last said, is neither scribe nor commander: he may read the draft,
    // not publish it. (A cockpit that never synced does not know its role and leaves it to the hub.)
    ok(['profile', '--name', 'Bo']);
    const db = new Database(path.join(dir, 'conn.db'));
    db.prepare('INSERT INTO sync_state (key, value) VALUES (?, ?)').run('hub.member', JSON.stringify({ name: 'Bo', role: 'member' }));
    db.close();
    try {
      refused(['minutes', ref, '--call', call.slice(0, 30), '--publish'], 5, /only the scribe \(nobody\), the commander \(Ana\) or a team admin can publish minutes/);
    } finally {
      const w = new Database(path.join(dir, 'conn.db'));
      w.prepare("DELETE FROM sync_state WHERE key = 'hub.member'").run();
      w.close();
      ok(['profile', '--name', 'Ana']);
    }
    const published = json<Saved>(['minutes', ref, '--call', call.slice(0, 30), '--publish']);
    expect(published.payload).toEqual({ target: call, status: 'published', text: draft.payload['text'] });
    const file = path.join(work, 'minutes.md');
    ok(['minutes', ref, '--out', file]);
    expect(readFileSync(file, 'utf8')).toMatch(/^<!-- published, by Ana at [^\n]+\n# Minutes: Second bridge/);
  }, 60_000);

  it('refuses an attendee without a name, and a call id it cannot find', () => {
    const call = json<State & { calls: Call[] }>(['show', ref]).calls[0]!.id;
    refused(['attendee', ref, call, ' '], 1, /^conn: NAME: a name is required\n$/);
    refused(['call-end', ref, 'ffffffff'], 3, /no call id starts with ffffffff; `conn show INC-\w+` lists them/);
  }, 60_000);
});

describe('conn call plan', () => {
  it('proposes slots with you and the people named, most inside working hours first, each on their own clock', () => {
    const plan = json<{ slots: Array<{ start: string; end: string; inside: number; attendees: Array<{ name: string; timeZone: string; inside: boolean }> }> }>([
      'call', 'plan', ref, '--with', 'Bo', '--tz', 'Bo=Asia/Tokyo@08:00-16:00', '--length', '45m', '--count', '3',
    ]);
    expect(plan.slots).toHaveLength(3);
    for (const slot of plan.slots) {
      expect(Date.parse(slot.end) - Date.parse(slot.start)).toBe(45 * 60_000);
      expect(slot.start).toMatch(/T\d\d:(00|30):00\.000Z$/);
      expect(slot.attendees.map((a) => [a.name, a.timeZone])).toEqual([['Ana', expect.any(String)], ['Bo', 'Asia/Tokyo']]);
      expect(slot.inside).toBe(slot.attendees.filter((a) => a.inside).length);
    }
    const insides = plan.slots.map((s) => s.inside);
    expect(insides).toEqual([...insides].sort((a, b) => b - a));
  }, 60_000);

  it('refuses a name it cannot place, saying how to place it', () => {
    refused(['call', 'plan', ref, '--with', 'Zed'], 3, /this cockpit does not know where Zed is: add --tz Zed=ZONE/);
    refused(['call', 'plan', ref, '--with', 'Bo', '--tz', 'Bo=Mars/Base'], 1, /"Mars\/Base" is not an IANA time zone/);
  }, 60_000);
});

describe('conn call start, join, leave, end (the running call without an id)', () => {
  it('records you and someone on the phone joining and leaving the running call, then ends it', () => {
    const started = json<Saved>(['call', 'start', ref, '--bridge', 'https://meet.example.com/third']);
    expect(ok(['call', 'join', ref])).toMatch(/^You joined the call on /);
    expect(json<Saved>(['call', 'join', ref, '--person', 'Dee (phone)']).payload).toEqual({ target: started.id, person: 'Dee (phone)' });
    expect(json<Saved>(['call', 'leave', ref, '--person', 'Dee (phone)']).payload).toEqual({ target: started.id, person: 'Dee (phone)' });
    const running = json<State & { calls: Call[] }>(['show', ref]).calls.find((c) => c.id === started.id);
    expect(running).toMatchObject({ bridge: 'https://meet.example.com/third', endedAt: null, attendees: ['Ana'] });
    const ended = json<{ ended: Saved; minutes: Saved }>(['call', 'end', ref]);
    expect(ended.ended.payload).toEqual({ target: started.id });
    expect(ended.minutes.payload['text']).toMatch(/## Attendees \(2\)\n- Ana \(joined [^)]+\)\n- Dee \(phone\) \(joined [^,]+, left [^)]+\)\n/);
  }, 60_000);

  it('refuses to join, leave or end when no call is running, or a call that ended, and changes nothing', () => {
    refused(['call', 'join', ref], 3, /no call is running on INC-\w+; start one with `conn call start INC-\w+`/);
    refused(['call', 'leave', ref, '--person', 'Dee'], 3, /no call is running on INC-\w+/);
    refused(['call', 'end', ref], 3, /no call is running on INC-\w+/);
    const last = json<State & { calls: Call[] }>(['show', ref]).calls.at(-1)!;
    refused(['call', 'join', ref, '--call', last.id.slice(0, 30)], 1, /that call ended at .+; start a new one with `conn call start INC-\w+`/);
    refused(['call', 'join', ref, '--person', ' '], 3, /no call is running/);
  }, 60_000);

  it('asks which call when two are running', () => {
    const one = json<Saved>(['call', 'start', ref, '--title', 'EU bridge']).id;
    const two = json<Saved>(['call', 'start', ref, '--title', 'US bridge']).id;
    refused(['call', 'join', ref], 1, /2 calls are running on INC-\w+ \(EU bridge [0-9a-f-]+, US bridge [0-9a-f-]+\): name one with --call ID/);
    refused(['call', 'join', ref, '--call', one.slice(0, 30), '--person', ' '], 1, /^conn: --person: a name is required\n$/);
    ok(['call', 'end', ref, one.slice(0, 30)]);
    ok(['call', 'end', ref]);
    expect(json<State & { calls: Call[] }>(['show', ref]).calls.find((c) => c.id === two)?.endedAt).not.toBeNull();
  }, 60_000);
});

describe('conn call plan --schedule, --at', () => {
  interface Planned {
    id: string;
    at: string;
    lengthMin: number;
    attendees: string[];
    title: string | null;
    plannedBy: string;
  }
  it('plans the call at the proposal picked: a call.planned with its time, length, attendees and title, shown by conn show', () => {
    const args = ['call', 'plan', ref, '--with', 'Bo', '--tz', 'Bo=Asia/Kolkata@09:00-17:00', '--length', '45m', '--count', '3'];
    const proposed = json<{ slots: Array<{ start: string }> }>(args).slots;
    const saved = json<Saved>([...args, '--schedule', '2', '--title', 'Follow-up']);
    expect(saved.kind).toBe('call.planned');
    // The proposals are recomputed when scheduling; within the same half hour they are the same.
    expect(saved.payload).toEqual({ at: proposed[1]!.start, lengthMin: 45, attendees: ['Ana', 'Bo'], title: 'Follow-up' });
    expect(ok([...args, '--schedule', '1'])).toMatch(/^Call planned for .+, 45 min, with Ana \d\d:\d\d.*, Bo \d\d:\d\d.* on INC-\w+ at /);
    const planned = json<{ plannedCalls: Planned[] }>(['show', ref]).plannedCalls;
    expect(planned.find((c) => c.id === saved.id)).toEqual(expect.objectContaining({ at: proposed[1]!.start, lengthMin: 45, attendees: ['Ana', 'Bo'], title: 'Follow-up', plannedBy: 'Ana' }));
  }, 60_000);

  it('plans the call at a time given with --at, on your clock', () => {
    const saved = json<Saved>(['call', 'plan', ref, '--with', 'Bo,Cy', '--at', '2h', '--length', '30m']);
    expect(saved.payload).toMatchObject({ lengthMin: 30, attendees: ['Ana', 'Bo', 'Cy'] });
    expect(Math.abs(Date.parse(saved.payload['at'] as string) - (Date.now() + 2 * 3_600_000))).toBeLessThan(60_000);
  }, 60_000);

  it('refuses a slot number it did not propose, a time already past, or both at once, and writes nothing', () => {
    const base = ['call', 'plan', ref, '--with', 'Bo', '--tz', 'Bo=Asia/Kolkata'];
    refused([...base, '--schedule', '9', '--count', '3'], 1, /--schedule is the number of a proposed slot, 1 to 3, not "9"/);
    refused([...base, '--at', '2020-01-01T10:00:00Z'], 1, /--at 2020-01-01T10:00:00Z is already past/);
    refused([...base, '--at', '2h', '--schedule', '1'], 1, /give either --schedule N or --at TIME, not both/);
    refused([...base, '--title', 'x'], 1, /--title names a call you plan: add --schedule N or --at TIME/);
    refused([...base, '--at', 'tomorrowish'], 1, /cannot read the due time "tomorrowish"/);
  }, 60_000);
});

describe('conn handoff, handoff-accept', () => {
  it('offers a role with a brief; only the person it is offered to may take it (exit 5 for anyone else)', () => {
    const offer = json<Saved>(['handoff', ref, 'comms', 'status page is up; next update at the hour', '--to', 'Cy']);
    expect(offer.payload).toEqual({ role: 'comms', to: 'Cy', brief: 'status page is up; next update at the hour' });
    refused(['handoff-accept', ref, offer.id], 5, /this hand-off was offered to Cy; only they can accept it/);
    ok(['profile', '--name', 'Cy']);
    try {
      expect(ok(['handoff-accept', ref, offer.id.slice(0, 30)])).toMatch(/^Hand-off accepted on /);
    } finally {
      ok(['profile', '--name', 'Ana']);
    }
    const after = json<State & { handoffs: Handoff[]; roles: Record<string, { person: string }>; conflicts: Array<{ field: string }> }>(['show', ref]);
    expect(after.handoffs).toEqual([expect.objectContaining({ id: offer.id, role: 'comms', from: 'Ana', to: 'Cy', acceptedBy: 'Cy' })]);
    // Accepting takes the role, and supersedes who held it before: no clash is shown.
    expect(after.roles['comms']?.person).toBe('Cy');
    expect(after.conflicts.filter((c) => c.field === 'role:comms')).toEqual([]);
  }, 60_000);

  it('refuses a role name it cannot read', () => {
    refused(['handoff', ref, 'Chief Of Stuff', 'brief'], 1, /a role is lower-case letters/);
  });

  it('`handoff offer` drafts the brief (commander by default); `handoff accept` takes the one open offer, and its taker holds the role', () => {
    const offer = json<Saved>(['handoff', 'offer', ref]);
    expect(offer.payload).toEqual(expect.objectContaining({ role: 'commander', to: null }));
    expect(offer.payload['brief']).toMatch(/^# Hand-off: commander for INC-\w+/);
    const own = json<Saved>(['handoff', 'offer', ref, '--role', 'ops', '--brief', 'db is failing over']);
    expect(own.payload).toEqual({ role: 'ops', to: null, brief: 'db is failing over' });
    refused(['handoff', 'accept', ref], 1, /2 hand-offs are waiting on INC-\w+ \(commander [0-9a-f-]+, ops [0-9a-f-]+\): name the one to accept/);
    ok(['profile', '--name', 'Dev']);
    try {
      ok(['handoff', 'accept', ref, own.id]);
      expect(ok(['handoff', 'accept', ref])).toMatch(/^Hand-off accepted on /);
      refused(['handoff', 'accept', ref], 3, /no hand-off is waiting on INC-\w+/);
    } finally {
      ok(['profile', '--name', 'Ana']);
    }
    const roles = json<{ roles: Record<string, { person: string }> }>(['show', ref]).roles;
    expect([roles['commander']?.person, roles['ops']?.person]).toEqual(['Dev', 'Dev']);
  }, 60_000);
});

describe('conn brief without an incident: while you were away', () => {
  it('lists what changed on every incident since the digest was last marked read, then nothing; --since looks further back', () => {
    const other = path.join(work, 'digest');
    const run = (args: string[]) => okIn(other, args);
    run(['profile', '--name', 'Ana', '--tz', 'Asia/Tokyo']);
    const a = JSON.parse(run(['--json', 'declare', 'Checkout 5xx', '--sev', '1'])) as { ref: string };
    const b = JSON.parse(run(['--json', 'declare', 'Search is slow'])) as { ref: string };
    run(['decision', b.ref, 'shed load from the crawler']);
    const first = JSON.parse(run(['--json', 'brief', '--mark-read'])) as { empty: boolean; incidents: Array<{ ref: string; decisions: Array<{ text: string }> }>; markdown: string };
    expect(first.empty).toBe(false);
    // Worst severity first, and in the reader's zone.
    expect(first.incidents.map((i) => i.ref)).toEqual([a.ref, b.ref]);
    expect(first.incidents[1]!.decisions.map((d) => d.text)).toEqual(['shed load from the crawler']);
    expect(first.markdown).toMatch(/Times in Asia\/Tokyo\./);
    expect((JSON.parse(run(['--json', 'brief'])) as { empty: boolean }).empty).toBe(true);
    expect((JSON.parse(run(['--json', 'brief', '--since', '1h'])) as { incidents: unknown[] }).incidents).toHaveLength(2);
  }, 60_000);
});

describe('conn disconnect', () => {
  it('forgets the hub and its token, keeping what was written here, and says so when there was none', () => {
    const other = path.join(work, 'disconnect');
    const run = (args: string[]) => connInDir(other, args);
    expect(run(['disconnect']).stdout).toBe('This cockpit was not connected to a hub.\n');
    expect(run(['connect', 'http://127.0.0.1:9', '--token', 'tok-123', '--offline']).code).toBe(0);
    expect(run(['declare', 'Search is slow']).code).toBe(0);
    expect(JSON.parse(run(['--json', 'disconnect']).stdout)).toEqual({ disconnected: 'http://127.0.0.1:9', pending: 1 });
    const sync = run(['sync']);
    expect(sync.code).toBe(3);
    expect(sync.stderr).toMatch(/not connected to a hub/);
  }, 60_000);
});

describe('help', () => {
  it('has a page for every new command', () => {
    for (const cmd of [
      ['pin'], ['edit'], ['action-set'], ['action-done'], ['action-cancel'], ['hypothesis-state'], ['update'], ['milestone'], ['incident', 'edit'],
      ['call'], ['call', 'end'], ['call', 'plan'], ['call-end'], ['attendee'], ['minutes'], ['handoff'], ['handoff', 'offer'], ['handoff', 'accept'], ['handoff-accept'], ['disconnect'],
    ]) {
      expect(ok([...cmd, '--help'])).toContain(`Usage: conn ${cmd.join(' ')}`);
    }
  }, 60_000);
});

describe('a long update from a file', () => {
  it('reads --file like note does', () => {
    const file = path.join(work, 'update.txt');
    writeFileSync(file, 'Mitigated: traffic is back on 4.2.0.\nNext update in 30 minutes.');
    expect(json<Saved>(['update', ref, '--file', file, '--audience', 'executives']).payload).toEqual({ text: 'Mitigated: traffic is back on 4.2.0.\nNext update in 30 minutes.', audience: 'executives' });
  });
});

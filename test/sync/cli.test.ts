import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCore } from '../../main/core/open.js';
import { buildBin, conn, ok, root, serveHub, type HubProcess } from './conn-bin.js';

/*
 * Sync through the real `conn` bin and a real `conn hub serve` process: the "Done when" story
 * of two data dirs, failures that must lose nothing, and processes killed at the worst moment.
 */

const work = mkdtempSync(path.join(tmpdir(), 'conn-sync-cli-'));
const hubs: HubProcess[] = [];

beforeAll(() => buildBin(), 60_000);
afterAll(async () => {
  for (const h of hubs) {
    h.child.kill('SIGKILL');
    await h.exited;
  }
  rmSync(work, { recursive: true, force: true });
});

async function startHub(dir: string, port = 0, env: Record<string, string> = {}, args: string[] = []): Promise<HubProcess> {
  const h = await serveHub(dir, port, env, args);
  hubs.push(h);
  return h;
}

async function stopHub(h: HubProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  h.child.kill('SIGTERM');
  return h.exited;
}

function token(hubDir: string, name: string, team = 'ops', role = 'member'): string {
  return (JSON.parse(ok(hubDir, ['--json', 'hub', 'invite', name, '--team', team, '--role', role])) as { token: string }).token;
}

function pending(dataDir: string): number {
  const db = new Database(path.join(dataDir, 'conn.db'), { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM outbox').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

/** The hub's event log as stored: seqs and ids, straight from its SQLite file. */
function hubLog(hubDir: string): { seqs: number[]; ids: string[]; head: number } {
  const db = new Database(path.join(hubDir, 'hub.sqlite'), { readonly: true });
  try {
    const rows = db.prepare('SELECT seq, id FROM events ORDER BY seq').all() as Array<{ seq: number; id: string }>;
    const head = (db.prepare('SELECT coalesce(max(head), 0) AS h FROM teams').get() as { h: number }).h;
    return { seqs: rows.map((r) => r.seq), ids: rows.map((r) => r.id), head };
  } finally {
    db.close();
  }
}

function expectDenseAndUnique(log: { seqs: number[]; ids: string[]; head: number }): void {
  expect(log.seqs).toEqual(Array.from({ length: log.seqs.length }, (_, i) => i + 1));
  expect(new Set(log.ids).size).toBe(log.ids.length);
  expect(log.head).toBe(log.seqs.length);
}

/** Writes n notes to an incident in one transaction, straight through the core. */
function writeNotes(dataDir: string, incidentId: string, n: number): void {
  const core = openCore({ dataDir });
  core.db.transaction(() => {
    for (let i = 0; i < n; i++) core.events.appendLocal(incidentId, 'note', { text: `bulk note ${i}` });
  })();
  void core.close();
}

describe('two teammates, two data dirs, one hub', () => {
  it('both work offline on one incident, both sync, and timeline and show print the same', async () => {
    const hubDir = path.join(work, 'hub1');
    const a = path.join(work, 'ana');
    const b = path.join(work, 'ben');
    const tokA = token(hubDir, 'Ana', 'ops', 'admin');
    const tokB = token(hubDir, 'Ben');
    const hub = await startHub(hubDir);
    ok(a, ['profile', '--name', 'Ana']);
    ok(b, ['profile', '--name', 'Ben']);
    ok(a, ['connect', hub.url, '--token', tokA]);
    ok(b, ['connect', hub.url, '--token', tokB]);
    const { ref } = JSON.parse(ok(a, ['--json', 'declare', 'Checkout returns 502', '--sev', '1'])) as { ref: string };
    expect(ok(a, ['sync'])).toMatch(/pushed 1/);
    expect(ok(b, ['sync'])).toMatch(/pulled 1/);

    // Offline: both write, including conflicting status changes.
    ok(a, ['note', ref, 'rolled back the deploy']);
    ok(b, ['note', ref, 'error rate falling']);
    ok(a, ['status', ref, 'identified']);
    ok(b, ['status', ref, 'monitoring']);

    ok(a, ['sync']);
    ok(b, ['sync']);
    ok(a, ['sync']);
    const timelineA = ok(a, ['timeline', ref, '--tz', 'UTC']);
    expect(timelineA).toMatch(/rolled back the deploy/);
    expect(timelineA).toMatch(/error rate falling/);
    expect(ok(b, ['timeline', ref, '--tz', 'UTC'])).toBe(timelineA);
    // The update countdown is read against each process's clock; everything else must match.
    const state = (dir: string) => ok(dir, ['show', ref]).replace(/^ {2}(next update due|update overdue by) .*\n/m, '');
    expect(state(b)).toBe(state(a));
    expect(pending(a) + pending(b)).toBe(0);
    expect(statSync(path.join(a, 'hub-token')).mode & 0o777).toBe(0o600);
    expect(await stopHub(hub)).toEqual({ code: 0, signal: null });
  }, 120_000);
});

describe('conn sync when things go wrong', () => {
  it('exits non-zero with a clear message when the hub is unreachable, keeping every event', async () => {
    const hubDir = path.join(work, 'hub2');
    const dir = path.join(work, 'offline');
    const tok = token(hubDir, 'Olga');
    const hub = await startHub(hubDir);
    ok(dir, ['connect', hub.url, '--token', tok]);
    await stopHub(hub);
    ok(dir, ['declare', 'Written while the hub is down', '--sev', '3']);
    const r = conn(dir, ['sync', '--timeout', '3']);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/cannot reach the hub/);
    expect(r.stderr).toMatch(/1 event kept here/);
    expect(pending(dir)).toBe(1);
  }, 60_000);

  it('exits non-zero saying the token was revoked', async () => {
    const hubDir = path.join(work, 'hub3');
    const dir = path.join(work, 'revoked');
    const tok = token(hubDir, 'Rick');
    const hub = await startHub(hubDir);
    ok(dir, ['connect', hub.url, '--token', tok]);
    ok(hubDir, ['hub', 'revoke', 'Rick', '--team', 'ops']);
    const r = conn(dir, ['sync']);
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/revoked/);
    await stopHub(hub);
  }, 60_000);

  it('marks an entry signed with the wrong name refused, exits 6, and sends it once the name is fixed and it is resent', async () => {
    const hubDir = path.join(work, 'hub6');
    const dir = path.join(work, 'carol');
    const tok = token(hubDir, 'Carol');
    const hub = await startHub(hubDir);
    ok(dir, ['connect', hub.url, '--token', tok]);
    ok(dir, ['profile', '--name', 'Alice']);
    const ref = ok(dir, ['declare', 'Signed with the wrong name', '--sev', '3']).trim();
    const refused = conn(dir, ['sync']);
    expect(refused.code).toBe(6);
    expect(refused.stderr).toMatch(/the hub refused incident.declared \S+ in INC-\w+ \(forbidden\): this entry is signed "Alice" but the hub knows you as "Carol": set your name with `conn profile --name "Carol"`/);
    expect(refused.stdout).toMatch(/pushed 0.*1 refused/);
    expect(pending(dir)).toBe(0);
    expect(hubLog(hubDir).head).toBe(0);
    const rows = JSON.parse(ok(dir, ['--json', 'timeline', ref])) as Array<{ kind: string; refused: { code: string } | null }>;
    expect(rows).toEqual([expect.objectContaining({ kind: 'incident.declared', refused: expect.objectContaining({ code: 'forbidden' }) })]);

    // Now the cockpit knows the hub's name for it, so the next wrong-name write is refused at once.
    const atOnce = conn(dir, ['declare', 'Still the wrong name', '--sev', '3']);
    expect(atOnce.code).toBe(5);
    expect(atOnce.stderr).toMatch(/conn profile --name "Carol"/);

    ok(dir, ['profile', '--name', 'carol']);
    expect(ok(dir, ['resend', '--all'])).toMatch(/Resent incident.declared in INC-/);
    expect(ok(dir, ['sync'])).toMatch(/pushed 1/);
    expect(hubLog(hubDir).head).toBe(1);
    expect(ok(dir, ['refused'])).toMatch(/Nothing was refused/);
    await stopHub(hub);
  }, 60_000);

  it('undoes, on the writer and everywhere, a command grab and a redaction the hub refuses (the writer was commander offline but no longer)', async () => {
    const hubDir = path.join(work, 'hub-trust');
    const ada = path.join(work, 'ada-trust');
    const bob = path.join(work, 'bob-trust');
    const hub = await startHub(hubDir);
    ok(ada, ['connect', hub.url, '--token', token(hubDir, 'Ada', 'trust', 'admin')]);
    ok(bob, ['connect', hub.url, '--token', token(hubDir, 'Bob', 'trust')]);
    ok(ada, ['profile', '--name', 'Ada']);
    ok(bob, ['profile', '--name', 'Bob']);
    const ref = ok(ada, ['declare', 'Payments failing', '--sev', '1']).trim();
    ok(ada, ['note', ref, 'card 4111 leaked in a log line']);
    ok(ada, ['role', ref, 'commander', 'Bob']);
    ok(ada, ['sync']);
    ok(bob, ['sync']);

    // Ada takes command back while Bob is offline; Bob, still commander as far as he knows, acts.
    ok(ada, ['role', ref, 'commander', 'Ada']);
    ok(ada, ['sync']);
    const noteId = (JSON.parse(ok(bob, ['--json', 'timeline', ref])) as Array<{ id: string; kind: string }>).find((r) => r.kind === 'note')!.id;
    ok(bob, ['role', ref, 'deputy', 'Bob']);
    ok(bob, ['redact', ref, noteId, '--reason', 'looks sensitive']);
    expect(JSON.stringify(JSON.parse(ok(bob, ['--json', 'timeline', ref])))).not.toContain('4111');

    const sync = conn(bob, ['sync']);
    expect(sync.code).toBe(6);
    expect(sync.stderr.match(/the hub refused/g)).toHaveLength(1);
    expect(sync.stderr).toMatch(/entry\.redacted .*only a team admin, the commander \(Ada\) or the entry's author \(Ada\) can redact it/);
    // Bob's own deputy role is his to take: that one was accepted.
    ok(ada, ['sync']);
    for (const dir of [ada, bob]) {
      const state = JSON.parse(ok(dir, ['--json', 'show', ref])) as { roles: Record<string, { person: string }> };
      expect(state.roles['commander']?.person).toBe('Ada');
      expect(state.roles['deputy']?.person).toBe('Bob');
      const rows = JSON.parse(ok(dir, ['--json', 'timeline', ref])) as Array<{ kind: string; text: string; refused: unknown }>;
      expect(rows.find((r) => r.kind === 'note')?.text).toBe('card 4111 leaked in a log line');
    }
    const bobRows = JSON.parse(ok(bob, ['--json', 'timeline', ref])) as Array<{ kind: string; refused: { code: string; message: string } | null }>;
    expect(bobRows.filter((r) => r.refused)).toEqual([expect.objectContaining({ kind: 'entry.redacted', refused: expect.objectContaining({ code: 'forbidden' }) })]);
    // Bob, a member, now knows he is not commander: the same grab is refused at once, offline.
    const grab = conn(bob, ['role', ref, 'commander', 'Bob']);
    expect(grab.code).toBe(5);
    expect(grab.stderr).toMatch(/only the incident's commander \(Ada\) or a team admin/);
    await stopHub(hub);
  }, 90_000);
});

describe('crashes', () => {
  it('loses and duplicates nothing when a client is SIGKILLed in the middle of a push', async () => {
    const hubDir = path.join(work, 'hub4');
    const a = path.join(work, 'killed');
    const b = path.join(work, 'watcher');
    const tokA = token(hubDir, 'Kim');
    const tokB = token(hubDir, 'Lee');
    // No push limit: pacing 2,000 events would add half a minute and prove nothing here
    // (cli-limits.test.ts covers `conn sync` through a limit).
    const hub = await startHub(hubDir, 0, { CONN_HUB_TEST_SLOW_COMMIT_MS: '400' }, ['--member-rate', '0']);
    ok(a, ['connect', hub.url, '--token', tokA]);
    ok(b, ['connect', hub.url, '--token', tokB]);
    ok(a, ['profile', '--name', 'Kim']); // the hub takes only events signed with the invite's name
    ok(b, ['profile', '--name', 'Lee']);
    const { id } = JSON.parse(ok(a, ['--json', 'declare', 'Disk full', '--sev', '2'])) as { id: string };
    writeNotes(a, id, 1999);

    const child = spawn(process.execPath, ['bin/conn.js', '--data-dir', a, 'sync'], { cwd: root, stdio: 'ignore' });
    const killed = new Promise((resolve) => child.once('exit', resolve));
    // Kill it once the hub has committed part of the outbox but not all of it.
    for (let i = 0; i < 400 && hubLog(hubDir).head === 0; i++) await new Promise((r) => setTimeout(r, 25));
    child.kill('SIGKILL');
    await killed;
    const partial = hubLog(hubDir).head;
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(2000);

    expect(ok(a, ['sync'])).toMatch(/caught up at 2000/);
    expect(ok(b, ['sync'])).toMatch(/pulled 2000/);
    const log = hubLog(hubDir);
    expectDenseAndUnique(log);
    expect(log.head).toBe(2000);
    expect(pending(a)).toBe(0);
    await stopHub(hub);
  }, 120_000);

  it('loses and duplicates nothing when the hub dies between its commit and its broadcast', async () => {
    const hubDir = path.join(work, 'hub5');
    const a = path.join(work, 'writer');
    const b = path.join(work, 'reader');
    const tokA = token(hubDir, 'Max');
    const tokB = token(hubDir, 'Noa');
    const doomed = await startHub(hubDir, 0, { CONN_HUB_TEST_KILL_AFTER_COMMIT: '1' });
    ok(a, ['connect', doomed.url, '--token', tokA]);
    ok(b, ['connect', doomed.url, '--token', tokB]);
    ok(a, ['profile', '--name', 'Max']); // the hub takes only events signed with the invite's name
    ok(b, ['profile', '--name', 'Noa']);
    const { ref } = JSON.parse(ok(a, ['--json', 'declare', 'Queue backlog', '--sev', '2'])) as { ref: string };
    ok(a, ['note', ref, 'consumers restarted']);

    const r = conn(a, ['sync', '--timeout', '5']);
    expect(r.code).not.toBe(0);
    expect(await doomed.exited).toMatchObject({ signal: 'SIGKILL' });
    // Committed on the hub, but the client never got the ack: still in its outbox.
    expect(hubLog(hubDir).head).toBe(2);
    expect(pending(a)).toBe(2);

    const hub = await startHub(hubDir, doomed.port);
    expect(ok(a, ['sync'])).toMatch(/caught up at 2/);
    expect(ok(b, ['sync'])).toMatch(/pulled 2/);
    expectDenseAndUnique(hubLog(hubDir));
    expect(hubLog(hubDir).head).toBe(2);
    expect(pending(a)).toBe(0);
    expect(ok(b, ['timeline', ref, '--tz', 'UTC'])).toBe(ok(a, ['timeline', ref, '--tz', 'UTC']));
    await stopHub(hub);
  }, 120_000);
});

import type { Db } from '../db/database.js';

/*
 * The pull cursor: the highest hub seq applied here, and the team it counts in. It lives in
 * sync_state and is only ever advanced in the transaction that applied the events up to it,
 * so a crash can never leave the cursor past an event that was not stored.
 */

const UPSERT = 'INSERT INTO sync_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value';

export function readCursor(db: Db): number {
  const v = db.prepare<[], { value: string }>("SELECT value FROM sync_state WHERE key = 'hub.cursor'").get()?.value;
  return v ? Number(v) : 0;
}

export function writeCursor(db: Db, seq: number): void {
  db.prepare(UPSERT).run('hub.cursor', String(seq));
}

export function resetCursor(db: Db): void {
  // A new hub or team: who it says we are is not known until it says so again.
  db.prepare("DELETE FROM sync_state WHERE key IN ('hub.cursor', 'hub.team', 'hub.member')").run();
  // Deferred events are keyed by the old hub's seqs; pulling again from 0 defers them anew.
  db.prepare('DELETE FROM deferred_events').run();
  // Teammates are the old team's people: the new hub's pull fills the roster again.
  db.prepare('DELETE FROM teammates').run();
  // So are its settings (the update cadence): the new team's come with the next pull, the defaults until then.
  db.prepare('DELETE FROM team_settings').run();
}

/** The team the cursor counts in; a token for another team resets the cursor. */
export function adoptTeam(db: Db, team: string): void {
  const current = db.prepare<[], { value: string }>("SELECT value FROM sync_state WHERE key = 'hub.team'").get()?.value;
  if (current === team) return;
  db.transaction(() => {
    resetCursor(db);
    db.prepare(UPSERT).run('hub.team', team);
  }).immediate();
}

/**
 * The member the hub resolved our token to (invite name and role), as the authority rule's
 * actor for local writes. Written at every subscribe, so a role change applies from the next.
 */
export function rememberMember(db: Db, member: { name: string; role: string }): void {
  db.prepare(UPSERT).run('hub.member', JSON.stringify({ name: member.name, role: member.role }));
}

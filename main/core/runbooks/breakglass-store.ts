import type Database from 'better-sqlite3';
import { BreakGlassPackSchema, type BreakGlassPack, type StoredBreakGlass } from '../../../shared/runbooks/breakglass.js';
export type { StoredBreakGlass };

export { breakGlassToYaml, parseBreakGlass } from '../../../shared/runbooks/breakglass.js';

/*
 * Where the pack stands against the team's copy on the hub, kept beside the runbook settings
 * (the breakglass table holds one row and no history):
 * - HUB_SEQ: the hub seq of the team version the local pack was last published as or pulled from,
 *   sent as the publish's base so the hub can refuse it if a teammate published since;
 * - EDITED: set by a local import or edit, cleared by a publish or a pull;
 * - SET_ASIDE: a local edit that a pulled team version replaced, so it is never lost silently.
 */
const HUB_SEQ = 'breakglass.hub-seq';
const EDITED = 'breakglass.edited';
const SET_ASIDE = 'breakglass.set-aside';


export type ReceiveOutcome = { outcome: 'updated' | 'unchanged'; setAside: boolean };

/** The one break-glass pack of this cockpit, kept in the local database for offline use. */
export class BreakGlassStore {
  constructor(private readonly db: Database.Database) {}

  get(): StoredBreakGlass | null {
    const row = this.db.prepare<[], { content: string; updated_at: string; author: string }>('SELECT content, updated_at, author FROM breakglass WHERE id = 1').get();
    if (!row) return null;
    const seq = this.setting(HUB_SEQ);
    return {
      pack: BreakGlassPackSchema.parse(JSON.parse(row.content)),
      updatedAt: row.updated_at,
      author: row.author,
      hubSeq: seq === null ? null : Number(seq),
      unpublished: this.setting(EDITED) !== null,
    };
  }

  /** A local edit (import, edit): keeps the hub base, so a publish can tell whether a teammate published since. */
  set(pack: BreakGlassPack, author: string, at = new Date()): void {
    this.db.transaction(() => {
      this.write(pack, author, at.toISOString());
      this.setSetting(EDITED, '1');
    })();
  }

  /**
   * Stores the team's version `seq` from the hub. A local edit not yet published is kept aside
   * (setAside()) rather than overwritten, unless it is the same pack.
   */
  receive(pack: BreakGlassPack, author: string, seq: number, publishedAt: string): ReceiveOutcome {
    return this.db.transaction((): ReceiveOutcome => {
      const current = this.get();
      const same = current !== null && JSON.stringify(current.pack) === JSON.stringify(BreakGlassPackSchema.parse(pack));
      const setAside = current !== null && current.unpublished && !same;
      if (current && setAside) this.setSetting(SET_ASIDE, JSON.stringify({ pack: current.pack, author: current.author, updatedAt: current.updatedAt }));
      if (!same) this.write(pack, author, publishedAt);
      this.published(seq);
      return { outcome: same ? 'unchanged' : 'updated', setAside };
    })();
  }

  /** Records that the local pack is now the team's version `seq`. */
  published(seq: number): void {
    this.setSetting(HUB_SEQ, String(seq));
    this.db.prepare('DELETE FROM runbook_settings WHERE key = ?').run(EDITED);
  }

  /** The last local edit a pulled team version replaced, if any. */
  setAside(): { pack: BreakGlassPack; author: string; updatedAt: string } | null {
    const raw = this.setting(SET_ASIDE);
    if (raw === null) return null;
    const v = JSON.parse(raw) as { pack: unknown; author: string; updatedAt: string };
    return { pack: BreakGlassPackSchema.parse(v.pack), author: v.author, updatedAt: v.updatedAt };
  }

  private write(pack: BreakGlassPack, author: string, at: string): void {
    const valid = BreakGlassPackSchema.parse(pack);
    this.db
      .prepare(
        `INSERT INTO breakglass (id, content, updated_at, author) VALUES (1, ?, ?, ?)
         ON CONFLICT(id) DO UPDATE SET content = excluded.content, updated_at = excluded.updated_at, author = excluded.author`,
      )
      .run(JSON.stringify(valid), at, author);
  }

  private setting(key: string): string | null {
    return this.db.prepare<[string], { value: string }>('SELECT value FROM runbook_settings WHERE key = ?').get(key)?.value ?? null;
  }

  private setSetting(key: string, value: string): void {
    this.db.prepare('INSERT INTO runbook_settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
  }
}

import { parse as parseYaml, stringify as toYaml } from 'yaml';
import type Database from 'better-sqlite3';
import { ConnError, describeZodIssue } from '../../../shared/domain/errors.js';
import { BREAKGLASS_MAX_BYTES, BreakGlassPackSchema, type BreakGlassPack } from '../../../shared/runbooks/breakglass.js';
import { formatBytes } from '../../../shared/runbooks/document.js';

/** Parses a pack written as YAML or JSON (JSON is YAML); refuses it whole if anything is wrong. */
export function parseBreakGlass(text: string): BreakGlassPack {
  if (text.length > BREAKGLASS_MAX_BYTES) throw new ConnError('too-large', `a break-glass pack is at most ${formatBytes(BREAKGLASS_MAX_BYTES)}`);
  let raw: unknown;
  try {
    raw = parseYaml(text, { prettyErrors: true });
  } catch (err) {
    throw new ConnError('invalid-input', `the break-glass pack is not valid YAML: ${(err instanceof Error ? err.message : String(err)).split('\n')[0]}`);
  }
  const parsed = BreakGlassPackSchema.safeParse(raw ?? {});
  if (!parsed.success) throw new ConnError('invalid-input', `the break-glass pack is invalid: ${describeZodIssue(parsed.error.issues)}`);
  return parsed.data;
}

export function breakGlassToYaml(pack: BreakGlassPack): string {
  return toYaml(pack, { lineWidth: 100 });
}

/** The one break-glass pack of this cockpit, kept in the local database for offline use. */
export class BreakGlassStore {
  constructor(private readonly db: Database.Database) {}

  get(): { pack: BreakGlassPack; updatedAt: string; author: string } | null {
    const row = this.db.prepare<[], { content: string; updated_at: string; author: string }>('SELECT content, updated_at, author FROM breakglass WHERE id = 1').get();
    if (!row) return null;
    return { pack: BreakGlassPackSchema.parse(JSON.parse(row.content)), updatedAt: row.updated_at, author: row.author };
  }

  set(pack: BreakGlassPack, author: string, at = new Date()): void {
    const valid = BreakGlassPackSchema.parse(pack);
    this.db
      .prepare(
        `INSERT INTO breakglass (id, content, updated_at, author) VALUES (1, ?, ?, ?)
         ON CONFLICT(id) DO UPDATE SET content = excluded.content, updated_at = excluded.updated_at, author = excluded.author`,
      )
      .run(JSON.stringify(valid), at.toISOString(), author);
  }
}

import os from 'node:os';
import { ConnError, describeZodIssue } from '../../../shared/domain/errors.js';
import { newId } from '../../../shared/domain/ids.js';
import { ProfileSchema, ProfileUpdateSchema, type Profile } from '../../../shared/domain/profile.js';
import { isValidTimeZone } from '../../../shared/time/zone.js';
import type { Db } from '../db/database.js';

export const DEFAULT_WORKING_HOURS = '09:00-17:00';

/**
 * Who is at this keyboard: stored under settings.profile. The id is made once, on first use,
 * and never changes: every event this cockpit writes carries it.
 */
export class ProfileStore {
  private readonly read;
  private readonly save;
  private readonly readChosen;
  private readonly saveChosen;

  constructor(db: Db) {
    this.read = db.prepare<[], { value: string }>("SELECT value FROM settings WHERE key = 'profile'");
    this.save = db.prepare<[string]>("INSERT INTO settings (key, value) VALUES ('profile', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value");
    this.readChosen = db.prepare<[], { value: string }>("SELECT value FROM settings WHERE key = 'profile.chosen'");
    this.saveChosen = db.prepare("INSERT INTO settings (key, value) VALUES ('profile.chosen', '1') ON CONFLICT (key) DO NOTHING");
  }

  /** The last row read and what it parsed to: every event written asks for the author. */
  private cached: { raw: string; profile: Profile } | null = null;

  /**
   * Read on every call (it is one indexed row): the CLI may change it while the app runs. Only
   * parsed again when the stored text changed.
   */
  get(): Profile {
    const row = this.read.get();
    if (row && this.cached?.raw === row.value) return this.cached.profile;
    const stored = row ? ProfileSchema.safeParse(JSON.parse(row.value)) : null;
    if (row && stored?.success) {
      this.cached = { raw: row.value, profile: stored.data };
      return stored.data;
    }
    const profile = defaults();
    this.save.run(JSON.stringify(profile));
    return profile;
  }

  /** Changes some fields; the whole update is validated before anything is written. */
  set(update: unknown): Profile {
    const parsed = ProfileUpdateSchema.strict().safeParse(update);
    if (!parsed.success) throw new ConnError('invalid-input', describeZodIssue(parsed.error.issues));
    const next = ProfileSchema.parse({ ...this.get(), ...stripUndefined(parsed.data) });
    this.save.run(JSON.stringify(next));
    this.saveChosen.run();
    return next;
  }

  /**
   * Whether a person has set the profile (any `set`, from the app or `conn profile`). The
   * defaults `get` writes on first use are a guess (the OS user and zone), not a choice: the app
   * asks on first run until this is true. Data dirs from before this flag count as chosen once
   * any set runs again; until then they are asked once, which costs one confirmation.
   */
  chosen(): boolean {
    return this.readChosen.get() !== undefined;
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function defaults(): Profile {
  let name = 'me';
  try {
    name = os.userInfo().username || name;
  } catch {}
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return { id: newId(), name, timeZone: zone && isValidTimeZone(zone) ? zone : 'UTC', workingHours: DEFAULT_WORKING_HOURS };
}

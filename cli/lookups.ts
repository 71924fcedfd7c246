import type { ParamsOf, TimelineCursor } from '../shared/api/contract.js';
import { ConnError } from '../shared/domain/errors.js';
import type { IncidentState, TimelineItem } from '../shared/domain/fold.js';
import { HLC_ZERO } from '../shared/sync/hlc.js';
import type { Api } from './open-core.js';

/*
 * Finding what a person named on the command line, through the API: an incident by reference,
 * the rows of its timeline, an entry by its id or the start of it.
 */

/** The longest reference or id incidents.get takes (the contract's bound). */
const MAX_REF_CHARS = 64;

/** The incident REF names, in any of the forms `conn` accepts (INC-7KQ2XM, any case, or its id). */
export async function incidentOf(api: Api, ref: string): Promise<IncidentState> {
  // Past the contract's bound no incident can match: say so as the core does for any unknown one.
  if (ref.trim().length === 0 || ref.length > MAX_REF_CHARS) {
    throw new ConnError('not-found', `no incident ${JSON.stringify(ref.length > 20 ? `${ref.slice(0, 20)}…` : ref)}; run \`conn list --all\` to see them`);
  }
  return api.call('incidents.get', { ref });
}

/** A cursor before every row, to walk forward from the start. */
export const TIMELINE_START: TimelineCursor = { hlc: HLC_ZERO, id: '00000000-0000-0000-0000-000000000000' };
/** Rows per keyset page: the CLI walks a whole timeline, but never holds a query open for it. */
const PAGE = 500;

type WindowFilter = Omit<ParamsOf<'timeline.window'>, 'incidentId' | 'before' | 'after' | 'limit'>;

/** Timeline rows oldest first from `after`, page by page, up to `max` rows. */
export async function timelineRows(api: Api, incidentId: string, filter: WindowFilter = {}, from: TimelineCursor = TIMELINE_START, max = Infinity): Promise<TimelineItem[]> {
  const all: TimelineItem[] = [];
  let after = from;
  for (;;) {
    const w = await api.call('timeline.window', { incidentId, after, limit: PAGE, ...filter });
    all.push(...w.items);
    const last = w.items[w.items.length - 1];
    if (!w.hasAfter || !last || all.length >= max) return all;
    after = { hlc: last.hlc, id: last.id };
  }
}

const FULL_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** The shortest start of an id taken for the whole: shorter ones match too much to be meant. */
export const MIN_ID_PREFIX = 6;

export interface EntryLookup {
  /** What the id names, for the sentences: "entry", "action", "hypothesis", "refused entry". */
  what: string;
  /** Where the person finds the ids: "`conn timeline INC-7KQ2XM`". */
  where: string;
  /** The ids a prefix may stand for; only read when a prefix was given. */
  candidates: () => Promise<string[]> | string[];
}

/**
 * The entry id a person typed: a full id as it is (the core says if no such entry exists, or if
 * it is the wrong kind), or a start of one of at least MIN_ID_PREFIX characters that only one
 * candidate has.
 */
export async function entryIdOf(input: string, lookup: EntryLookup): Promise<string> {
  const typed = input.trim().toLowerCase();
  if (FULL_ID.test(typed)) return typed;
  if (typed.length < MIN_ID_PREFIX || !/^[0-9a-f][0-9a-f-]*$/.test(typed)) {
    const a = /^[aeiou]/.test(lookup.what) ? 'an' : 'a';
    throw new ConnError('invalid-input', `"${input}" is not ${a} ${lookup.what} id: give the id ${lookup.where} prints, or at least its first ${MIN_ID_PREFIX} characters`);
  }
  const hits = (await lookup.candidates()).filter((id) => id.startsWith(typed));
  if (hits.length === 1) return hits[0]!;
  if (hits.length === 0) throw new ConnError('not-found', `no ${lookup.what} id starts with ${typed}; ${lookup.where} lists them`);
  throw new ConnError('ambiguous', `${hits.length} ${lookup.what} ids start with ${typed}: give more of it (${lookup.where} prints them whole)`);
}

import { describe, expect, it } from 'vitest';
import { rankCommands, wordsOf, type RankableCommand } from './rank-commands.js';

/*
 * The palette's commands as an IC in a triage SEV1 sees them (renderer/palette/commands.ts),
 * including an incident whose title and status share words with the state-changing commands.
 */
const COMMANDS: RankableCommand[] = [
  { id: 'compose', label: 'Add to timeline', keywords: ['note', 'write', 'composer'] },
  { id: 'change-status', label: 'Change status…', keywords: ['set', 'status'] },
  { id: 'change-severity', label: 'Change severity…', keywords: ['set', 'severity', 'sev', 'level', 'lower', 'raise'] },
  { id: 'assign-role', label: 'Assign a role…', keywords: ['roles', 'commander', 'ic', 'deputy', 'comms', 'scribe', 'ops', 'hand', 'over'] },
  { id: 'status-investigating', label: 'Set status: investigating', target: ['investigating'] },
  { id: 'status-identified', label: 'Set status: identified', target: ['identified'] },
  { id: 'status-monitoring', label: 'Set status: monitoring', target: ['monitoring'] },
  { id: 'status-resolved', label: 'Set status: resolved', target: ['resolved'] },
  { id: 'status-closed', label: 'Set status: closed', target: ['closed'] },
  { id: 'sev-2', label: 'Set severity: SEV2', keywords: ['lower'], target: ['sev2', '2'] },
  { id: 'sev-3', label: 'Set severity: SEV3', keywords: ['lower'], target: ['sev3', '3'] },
  { id: 'declare', label: 'Declare incident', keywords: ['new'] },
  { id: 'utc', label: 'Show times in UTC', keywords: ['zone', 'time'] },
  { id: 'wall', label: 'Wall view: all active incidents' },
  { id: 'list', label: 'Incident list' },
  { id: 'hub', label: 'Connect to a hub…', keywords: ['sync'] },
  { id: 'open-a', label: 'Open INC-7KQ2XM: Payroll export fails (SEV1, triage)' },
  { id: 'open-b', label: 'Open INC-3PZ9QA: Monitoring pipeline lags (SEV3, resolved)' },
];

const STATE_CHANGING = new Set(COMMANDS.filter((c) => c.target).map((c) => c.id));
const ids = (query: string) => rankCommands(query, COMMANDS).map((c) => c.id);

describe('wordsOf', () => {
  it.each([
    ['Set status: resolved', ['set', 'status', 'resolved']],
    ['Open INC-7KQ2XM: Payroll (SEV1, triage)', ['open', 'inc', '7kq2xm', 'payroll', 'sev1', 'triage']],
    ['Connect to a hub…', ['connect', 'to', 'a', 'hub']],
    ['  ', []],
  ])('%s', (text, words) => {
    expect(wordsOf(text)).toEqual(words);
  });
});

describe('rankCommands', () => {
  it.each([
    // The issue: "role" put "Set status: resolved" first (r…o…l…e as a fuzzy subsequence).
    { query: 'role', first: 'assign-role', never: [...STATE_CHANGING] },
    { query: 'roles', first: 'assign-role', never: [...STATE_CHANGING] },
    { query: 'ic', first: 'assign-role', never: [...STATE_CHANGING] },
    // Naming the target puts the write first; the confirm dialog then guards the risky ones.
    { query: 'resolved', first: 'status-resolved' },
    { query: 'resolve', first: 'status-resolved' },
    { query: 'res', first: 'status-resolved' },
    { query: 'set status: resolved', first: 'status-resolved' },
    { query: 'Set status: identified', first: 'status-identified' },
    { query: 'monitoring', first: 'status-monitoring' },
    { query: 'sev2', first: 'sev-2' },
    { query: 'sev 3', first: 'sev-3' },
    // Generic words alone choose no value: the chooser comes first, never a write.
    { query: 'status', first: 'change-status' },
    { query: 'set status', first: 'change-status' },
    { query: 'severity', first: 'change-severity' },
    { query: 'sev', first: 'change-severity' },
    { query: 'set', first: 'change-status' },
    { query: 'se', first: 'change-status' },
    { query: 'lower', first: 'change-severity', only: ['change-severity', 'sev-2', 'sev-3'] },
    // Substrings find commands that change nothing, never the ones that write.
    { query: 'olve', first: 'open-b', never: ['status-resolved'] },
    { query: 'tor', first: 'open-b', never: ['status-monitoring'] },
    { query: 'line', first: 'compose' },
    // Letters out of order or scattered match nothing.
    { query: 'rsvd', first: undefined },
    // One letter is too little to pick a write.
    { query: 'r', first: 'change-severity', never: [...STATE_CHANGING] },
    { query: 'i', first: 'assign-role', never: [...STATE_CHANGING] },
    { query: '2', first: 'open-a', never: [...STATE_CHANGING] },
    // Incidents by reference, by title words, by status word.
    { query: 'inc-7kq2xm', first: 'open-a', only: ['open-a'] },
    { query: '7kq', first: 'open-a', only: ['open-a'] },
    { query: 'payroll', first: 'open-a', only: ['open-a'] },
    { query: 'pay exp', first: 'open-a', only: ['open-a'] },
    // "triage" names no write here (the incident is already in triage), so it finds the incident.
    { query: 'triage', first: 'open-a', only: ['open-a'] },
    { query: 'utc', first: 'utc' },
    { query: 'incident list', first: 'list' },
    { query: 'hub', first: 'hub' },
  ])('"$query" ranks $first first', ({ query, first, never, only }) => {
    const ranked = ids(query);
    expect(ranked[0]).toBe(first);
    for (const id of never ?? []) expect(ranked).not.toContain(id);
    if (only) expect([...ranked].sort()).toEqual([...only].sort());
  });

  it('ranks exact words, then word prefixes, then substrings', () => {
    const cmds: RankableCommand[] = [
      { id: 'substring', label: 'Escalate to Bob' },
      { id: 'prefix', label: 'Notes of the call' },
      { id: 'exact', label: 'Hide this note' },
    ];
    expect(rankCommands('note', cmds).map((c) => c.id)).toEqual(['exact', 'prefix']);
    expect(rankCommands('ob', cmds).map((c) => c.id)).toEqual(['substring']);
    expect(rankCommands('o', cmds).map((c) => c.id)).toEqual(['prefix', 'substring', 'exact']);
  });

  it('a word in the label outranks the same word among another command\'s hidden keywords', () => {
    const cmds: RankableCommand[] = [
      { id: 'search', label: 'Search incidents…', keywords: ['past', 'retrospective'] },
      { id: 'retro', label: 'Retrospective…', keywords: ['retro', 'postmortem'] },
    ];
    expect(rankCommands('retrospective', cmds).map((c) => c.id)).toEqual(['retro', 'search']);
    expect(rankCommands('retro', cmds).map((c) => c.id)).toEqual(['retro', 'search']);
  });

  it('a resolved incident whose title names a status does not outrank the write its query names', () => {
    expect(ids('monitoring')).toEqual(['status-monitoring', 'open-b']);
    expect(ids('resolved')).toEqual(['status-resolved', 'open-b']);
  });

  it('never puts a state-changing command first unless the query names its target', () => {
    const queries = ['a', 'se', 'set', 'st', 'sta', 'status', 'set status', 'severity', 'set severity', 'sev', 'lev', 'lower', 'role', 'open', 'in', 'o', 's', 'c', 'cl', 'x'];
    for (const q of queries) {
      const first = rankCommands(q, COMMANDS)[0];
      if (first?.target) expect.fail(`"${q}" put ${first.id} first`);
    }
  });

  it('lists writes the query does not name after everything else, and alone not at all', () => {
    expect(ids('set status')).toEqual(['change-status', 'status-investigating', 'status-identified', 'status-monitoring', 'status-resolved', 'status-closed']);
    const writesOnly = COMMANDS.filter((c) => c.target);
    expect(rankCommands('set status', writesOnly)).toEqual([]);
    expect(rankCommands('', writesOnly)).toEqual([]);
    expect(rankCommands('resolved', writesOnly).map((c) => c.id)).toEqual(['status-resolved']);
  });

  it('with no query keeps every command, the ones that change nothing first, in their given order', () => {
    const ranked = ids('');
    expect(ranked).toHaveLength(COMMANDS.length);
    const firstWrite = ranked.findIndex((id) => STATE_CHANGING.has(id));
    expect(ranked.slice(firstWrite).every((id) => STATE_CHANGING.has(id))).toBe(true);
    expect(ranked.slice(0, 3)).toEqual(['compose', 'change-status', 'change-severity']);
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBin, conn as connAt, ok as okAt } from '../sync/conn-bin.js';

/*
 * `conn search` and `conn similar` through the real bin: finding a past incident by a word from
 * its minutes, filtering by service and age, and hostile queries that must not crash.
 */
const work = mkdtempSync(path.join(tmpdir(), 'conn-search-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
beforeAll(() => buildBin(), 60_000);

const conn = (args: string[]) => connAt(work, args);
const ok = (args: string[]) => okAt(work, args);

describe('conn search', () => {
  let payments = '';
  let search = '';
  beforeAll(() => {
    ok(['profile', '--name', 'Ana', '--tz', 'Europe/Berlin']);
    payments = ok(['declare', 'Card payments failing', '--sev', '2', '--service', 'payments']).trim();
    ok(['minutes', payments, 'Agreed to rotate the stripe webhook secret and replay the queue']);
    ok(['action', payments, 'Alert on webhook signature failures']);
    ok(['status', payments, 'resolved']);
    search = ok(['declare', 'Search results stale', '--sev', '3', '--service', 'search']).trim();
    ok(['note', search, 'the indexer queue is stuck behind a webhook']);
  });

  it('finds a past incident by a word from its minutes, with the word highlighted', () => {
    const out = ok(['search', 'stripe']);
    expect(out).toContain(`${payments}  SEV2 resolved  Card payments failing · payments`);
    expect(out).toContain('[stripe]');
    expect(out).not.toContain(search);
  });

  it('answers --json with the incident, its status and the snippet as segments', () => {
    const hits = JSON.parse(ok(['search', 'stripe', '--json'])) as Array<{ ref: string; status: string; match: { kind: string; entryKind: string }; snippet: Array<{ text: string; hit: boolean }> }>;
    expect(hits).toHaveLength(1);
    expect(hits[0]).toMatchObject({ ref: payments, status: 'resolved', match: { kind: 'entry', entryKind: 'minutes.written' } });
    expect(hits[0]?.snippet.filter((s) => s.hit).map((s) => s.text)).toEqual(['stripe']);
  });

  it('keeps to one service with --service, and to recent incidents with --since', () => {
    expect(ok(['search', 'webhook'])).toContain(search);
    const onlySearch = ok(['search', 'webhook', '--service', 'search']);
    expect(onlySearch).toContain(search);
    expect(onlySearch).not.toContain(payments);
    expect(ok(['search', 'webhook', '--since', '90d'])).toContain(payments);
    expect(ok(['search', 'webhook', '--since', '2001-01-01T00:00Z', '--service', 'nothing']).trim()).toBe('No incident matches.');
  });

  it("searches one incident's timeline with --incident", () => {
    const out = ok(['search', 'queue', '--incident', search]);
    expect(out).toContain(`1 entry of ${search} match`);
    expect(out).toContain('the indexer [queue] is stuck');
  });

  it('searches hostile input as plain text', () => {
    for (const q of ['"', '*', 'NEAR(', 'a:b', 'AND OR']) {
      const r = conn(['search', q]);
      expect(r.stderr).not.toMatch(/syntax|fts5|internal/i);
    }
    const r = conn(['search', '"*"']);
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim()).toBe('conn: type a word to search for');
  });

  it('refuses a --since it cannot read, with one line, before opening anything', () => {
    const r = conn(['search', 'stripe', '--since', 'last tuesday']);
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('cannot read "last tuesday" as a time');
  });

  it('suggests the resolved incident as similar to a new one on the same service, with its remediation', () => {
    const now = ok(['declare', 'Payments webhook errors', '--sev', '2', '--service', 'payments']).trim();
    const out = ok(['similar', now]);
    expect(out).toContain(`${payments}  SEV2 resolved  Card payments failing  (services payments; words payments)`);
    expect(out).toContain('remediation: Alert on webhook signature failures');
  });
});

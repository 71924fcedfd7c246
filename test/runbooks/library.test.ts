import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConnError } from '../../shared/domain/errors.js';
import Database from 'better-sqlite3';
import path from 'node:path';
import { RunbookLibrary } from '../../main/core/store/runbook-library.js';
import { runbookText, tempLibrary } from './fixtures.js';

let t: ReturnType<typeof tempLibrary>;
let lib: RunbookLibrary;
beforeEach(() => {
  t = tempLibrary();
  lib = t.lib;
});
afterEach(() => t.close());

const failover = runbookText(
  { title: 'Database failover', services: '[postgres]', tags: '[database]', last_verified: '2026-11-01' },
  '# Failover\n\n- [ ] Check replica lag\n- [ ] Promote the replica\n',
);

describe('versions', () => {
  it('stores an edit as a new version and keeps the old one readable', () => {
    expect(lib.put('db-failover', failover, 'ana').outcome).toBe('added');
    const edited = failover.replace('Promote the replica', 'Promote the least-lagged replica');
    const r = lib.put('db-failover', edited, 'ben');
    expect(r).toMatchObject({ outcome: 'updated', version: 2 });
    expect(lib.get('db-failover').content).toBe(edited);
    const v1 = lib.get('db-failover', 1);
    expect(v1.content).toBe(failover);
    expect(v1.headVersion).toBe(2);
    expect(v1.versions.map((v) => [v.version, v.author])).toEqual([[1, 'ana'], [2, 'ben']]);
    expect(v1.versions[0]?.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('treats the same text as unchanged and makes no new version', () => {
    lib.put('db-failover', failover, 'ana');
    expect(lib.put('db-failover', failover, 'ben')).toMatchObject({ outcome: 'unchanged', version: 1 });
    expect(lib.get('db-failover').versions).toHaveLength(1);
  });

  it('says which versions exist when asked for one that does not', () => {
    lib.put('db-failover', failover, 'ana');
    expect(() => lib.get('db-failover', 7)).toThrow(/versions 1 to 1; there is no version 7/);
    expect(() => lib.get('nope')).toThrow(ConnError);
  });

  it('keeps the runbook id stable across versions', () => {
    const a = lib.put('db-failover', failover, 'ana');
    const b = lib.put('db-failover', `${failover}\nmore`, 'ana');
    expect(b.runbookId).toBe(a.runbookId);
  });
});

describe('search', () => {
  beforeEach(() => {
    lib.put('db-failover', failover, 'ana');
    lib.put('dns-outage', runbookText({ title: 'DNS outage' }, 'Resolution fails. Check CoreDNS. The database is fine.\n'), 'ana');
    lib.put('tls-expiry', runbookText({ title: 'Expired TLS certificate' }, 'Renew the certificate with cert-manager.\n'), 'ana');
  });

  it('ranks a title match above a body mention', () => {
    const hits = lib.search('database');
    expect(hits.map((h) => h.name)).toEqual(['db-failover', 'dns-outage']);
  });

  it('returns highlighted snippet segments around the match', () => {
    const [hit] = lib.search('coredns');
    expect(hit?.name).toBe('dns-outage');
    expect(hit?.snippet.filter((s) => s.hit).map((s) => s.text.toLowerCase())).toEqual(['coredns']);
  });

  it('finds by prefix', () => {
    expect(lib.search('certif*').map((h) => h.name)).toEqual(['tls-expiry']);
    expect(lib.search('pr*').map((h) => h.name)).toEqual(['db-failover']);
  });

  it('matches a quoted phrase only in that order', () => {
    expect(lib.search('"check replica lag"').map((h) => h.name)).toEqual(['db-failover']);
    expect(lib.search('"lag replica"')).toEqual([]);
  });

  it('searches FTS5 operators and punctuation in plain input as text instead of failing', () => {
    for (const q of ['AND', 'NEAR(', 'cert-manager', '"unclosed', 'title:', '(((', '*']) {
      expect(() => lib.search(q), q).not.toThrow(/syntax/);
    }
    expect(lib.search('cert-manager').map((h) => h.name)).toEqual(['tls-expiry']);
  });

  it('turns a raw query syntax error into a message, not a crash', () => {
    expect(() => lib.search('database AND', { raw: true })).toThrow(ConnError);
    expect(() => lib.search('database AND', { raw: true })).toThrow(/not valid FTS5 syntax/);
    expect(lib.search('database NOT dns', { raw: true }).map((h) => h.name)).toEqual(['db-failover']);
  });

  it('sees a runbook another process added since its last search', () => {
    expect(lib.search('kafka')).toEqual([]);
    const other = new Database(path.join(t.dir, 'conn.db'));
    new RunbookLibrary(other).put('queue-backlog', runbookText({ title: 'Kafka backlog' }, 'consumer lag'), 'ben');
    other.close();
    expect(lib.search('kafka').map((h) => [h.name, h.title])).toEqual([['queue-backlog', 'Kafka backlog']]);
  });

  it('searches the new text of an edited runbook and not the old', () => {
    lib.put('tls-expiry', runbookText({ title: 'Expired TLS certificate' }, 'Renew it with the ACME client.\n'), 'ana');
    expect(lib.search('cert-manager')).toEqual([]);
    expect(lib.search('acme').map((h) => h.name)).toEqual(['tls-expiry']);
  });
});

describe('staleness', () => {
  it('flags a runbook verified more than the configured days ago, and one never verified', () => {
    lib.put('fresh', runbookText({ last_verified: '2026-11-01' }, 'x'), 'ana');
    lib.put('old', runbookText({ last_verified: '2026-05-01' }, 'x'), 'ana');
    lib.put('never', 'no front matter', 'ana');
    expect(lib.list({ staleOnly: true }).map((r) => r.name)).toEqual(['never', 'old']);
    lib.setStaleDays(365);
    expect(lib.list({ staleOnly: true }).map((r) => r.name)).toEqual(['never']);
    expect(lib.list({ staleOnly: true, staleDays: 10 }).map((r) => r.name)).toEqual(['fresh', 'never', 'old']);
    expect(lib.search('x', { staleDays: 10 }).every((h) => h.stale)).toBe(true);
  });

  it('refuses a stale threshold that is not a positive whole number', () => {
    expect(() => lib.setStaleDays(0)).toThrow(/whole number/);
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { openPostgresRunbookStore, openSqliteRunbookStore, type HubRunbookStore } from '../../server/runbooks/runbook-store.js';

/* The same rules for both hub stores: dense per-team seq, versions per name, conflicts, paging. */

const PG_URL = process.env['CONN_TEST_POSTGRES'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `conn_rb_test_${process.pid}`;
const dirs: string[] = [];

afterAll(async () => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await c.end();
});

const stores: Record<string, () => Promise<HubRunbookStore>> = {
  sqlite: async () => {
    const d = mkdtempSync(path.join(os.tmpdir(), 'conn-hub-rb-'));
    dirs.push(d);
    return openSqliteRunbookStore(d);
  },
  postgres: async () => {
    const s = await openPostgresRunbookStore({ url: PG_URL, schema });
    // Each test starts from an empty table.
    const c = new pg.Client({ connectionString: PG_URL });
    await c.connect();
    await c.query(`TRUNCATE "${schema}".team_runbooks`);
    await c.end();
    return s;
  },
};

const doc = (n: number) => `# Runbook\n\nversion text ${n}\n`;

describe.each(Object.keys(stores))('hub runbook store (%s)', (kind) => {
  const open = stores[kind]!;

  it('numbers publishes densely per team and versions per name', async () => {
    const s = await open();
    const a = await s.publish({ teamId: 't1', author: 'ana', name: 'dns', content: doc(1), baseSeq: null });
    const b = await s.publish({ teamId: 't2', author: 'zed', name: 'dns', content: doc(1), baseSeq: null });
    const c = await s.publish({ teamId: 't1', author: 'ana', name: 'tls', content: doc(1), baseSeq: null });
    const d = await s.publish({ teamId: 't1', author: 'ben', name: 'dns', content: doc(2), baseSeq: a.seq });
    expect([a, b, c, d].map((r) => [r.seq, r.version])).toEqual([[1, 1], [1, 1], [2, 1], [3, 2]]);
    const page = await s.pull('t1', 0, 10);
    expect(page.head).toBe(3);
    expect(page.runbooks.map((r) => [r.seq, r.name, r.version, r.author])).toEqual([[1, 'dns', 1, 'ana'], [2, 'tls', 1, 'ana'], [3, 'dns', 2, 'ben']]);
    expect((await s.pull('t1', 2, 10)).runbooks.map((r) => r.seq)).toEqual([3]);
    await s.close();
  });

  it('refuses an edit of an older version and re-answers identical text with its version', async () => {
    const s = await open();
    const a = await s.publish({ teamId: 't1', author: 'ana', name: 'dns', content: doc(1), baseSeq: null });
    await s.publish({ teamId: 't1', author: 'ana', name: 'dns', content: doc(2), baseSeq: a.seq });
    await expect(s.publish({ teamId: 't1', author: 'ben', name: 'dns', content: doc(3), baseSeq: a.seq })).rejects.toThrow(/ana published "dns" version 2/);
    await expect(s.publish({ teamId: 't1', author: 'ben', name: 'dns', content: doc(3), baseSeq: null })).rejects.toThrow(/conflict|since your copy/);
    expect(await s.publish({ teamId: 't1', author: 'ben', name: 'dns', content: doc(2), baseSeq: null })).toMatchObject({ seq: 2, version: 2, created: false });
    await s.close();
  });

  it('pages big runbooks by bytes, always at least one', async () => {
    const s = await open();
    const big = `# Big\n${'x'.repeat(1_000_000)}`;
    for (let i = 0; i < 6; i++) await s.publish({ teamId: 't1', author: 'ana', name: `big-${i}`, content: `${big}${i}`, baseSeq: null });
    const first = await s.pull('t1', 0, 200);
    expect(first.runbooks.length).toBeGreaterThanOrEqual(1);
    expect(first.runbooks.length).toBeLessThan(6);
    await s.close();
  });
});

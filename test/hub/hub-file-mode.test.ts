import { chmodSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildBin, ok, serveHub, type HubProcess } from '../sync/conn-bin.js';

/*
 * hub.sqlite holds every team's timelines and token hashes. The real `conn hub` bin must leave
 * it, and the -wal and -shm SQLite makes beside it, readable by the hub's OS account only.
 */

const work = mkdtempSync(path.join(tmpdir(), 'conn-hub-mode-'));
let serving: HubProcess | null = null;

beforeAll(() => buildBin(), 60_000);
afterEach(async () => {
  serving?.child.kill('SIGTERM');
  await serving?.exited;
  serving = null;
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

const modeOf = (f: string) => (statSync(f).mode & 0o777).toString(8);

describe.skipIf(process.platform === 'win32')('the hub database file', () => {
  it('is created 0600 with its WAL and shared-memory files, under a permissive umask', async () => {
    const dir = path.join(work, 'fresh');
    const umask = process.umask(0o002);
    try {
      ok(dir, ['hub', 'invite', 'Ana', '--team', 'payments']);
      serving = await serveHub(dir);
    } finally {
      process.umask(umask);
    }
    const db = path.join(dir, 'hub.sqlite');
    for (const f of [db, `${db}-wal`, `${db}-shm`]) {
      expect(existsSync(f)).toBe(true);
      expect([f, modeOf(f)]).toEqual([f, '600']);
    }
  });

  it('loses the group and world bits it was found with when the hub opens it', async () => {
    const dir = path.join(work, 'found-open');
    ok(dir, ['hub', 'invite', 'Ana', '--team', 'payments']);
    const db = path.join(dir, 'hub.sqlite');
    chmodSync(db, 0o644);
    serving = await serveHub(dir);
    expect(modeOf(db)).toBe('600');
  });
});

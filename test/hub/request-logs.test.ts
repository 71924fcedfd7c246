import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../shared/domain/ids.js';
import { buildBin, ok, serveHub, type HubProcess } from '../sync/conn-bin.js';
import { client, declare, makeEvent } from './hub-fixture.js';

/* `conn hub serve` logs with pino: one JSON line per push on stderr, with a request id. */

const dir = mkdtempSync(path.join(tmpdir(), 'conn-hub-logs-'));
let hub: HubProcess;
const lines: Array<Record<string, unknown>> = [];

beforeAll(async () => {
  buildBin();
  hub = await serveHub(dir);
  let buffered = '';
  hub.child.stderr!.on('data', (d: Buffer) => {
    buffered += d.toString();
    const parts = buffered.split('\n');
    buffered = parts.pop() ?? '';
    for (const p of parts) if (p.trim()) lines.push(JSON.parse(p) as Record<string, unknown>);
  });
}, 60_000);

afterAll(async () => {
  hub.child.kill('SIGTERM');
  await hub.exited;
  rmSync(dir, { recursive: true, force: true });
});

describe('the hub request log', () => {
  it('has one JSON line per push with its request id, who pushed, what was accepted and how long it took, and no event contents', async () => {
    const token = (JSON.parse(ok(dir, ['--json', 'hub', 'invite', 'Alice', '--team', 'payments', '--role', 'admin'])) as { token: string }).token;
    const s = await client(hub.url, token);
    await s.timeout(5000).emitWithAck('subscribe', {});
    const inc = newId();
    await s.timeout(5000).emitWithAck('push', { events: [declare(inc, 'Alice'), makeEvent(inc, 'note', { text: 'secret words in a note' }, 'Alice')] });
    await s.timeout(5000).emitWithAck('push', { events: [makeEvent(inc, 'note', { text: 'signed by someone else' }, 'Mallory')] });
    s.close();
    const deadline = Date.now() + 10_000;
    while (lines.filter((l) => l['msg'] === 'push').length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const pushes = lines.filter((l) => l['msg'] === 'push');
    expect(pushes).toEqual([
      expect.objectContaining({ name: 'conn-hub', level: 30, kind: 'push', team: 'payments', member: 'Alice', accepted: 2, rejected: 0, ms: expect.any(Number) }),
      expect.objectContaining({ accepted: 0, rejected: 1 }),
    ]);
    expect(pushes[0]!['reqId']).toMatch(/^[0-9a-f]{6}-\w+$/);
    expect(pushes[0]!['reqId']).not.toBe(pushes[1]!['reqId']);
    expect(JSON.stringify(lines)).not.toContain('secret words');
  }, 60_000);
});

import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeCockpit } from '../../main/core/api/compose.js';
import { transcriptionsSettled, useEngines } from '../../main/core/api/recordings.js';
import { buildBin, conn as connAt, ok as okAt } from '../sync/conn-bin.js';

/*
 * `conn recording` through the real bin, on a data dir where the cockpit recorded a call (the
 * audio comes from the app; the terminal lists, shares and deletes it): a short id prefix finds
 * it, Share without a hub says why and changes nothing, Delete removes the file.
 */
const work = mkdtempSync(path.join(tmpdir(), 'conn-recording-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
beforeAll(() => buildBin(), 60_000);

const conn = (args: string[]) => connAt(work, args);
const ok = (args: string[]) => okAt(work, args);

describe('conn recording', () => {
  let recordingId = '';
  let incident = '';
  let file = '';
  beforeAll(async () => {
    // Two seconds of a call recorded by the app's core, as the call bar's Record would.
    const c = await composeCockpit({ dataDir: work, host: 'cli' });
    try {
      await c.api.call('profile.set', { name: 'Ana' });
      const { id: incidentId } = await c.api.call('incidents.declare', { title: 'Checkout 502', severity: 2 });
      incident = incidentId;
      // A recogniser that hears fixed words: the commands are under test here, not pocketsphinx.
      useEngines(c.core, [
        { name: 'fixed', available: async () => null, transcribe: async () => [{ startMs: 0, endMs: 900, text: 'roll back the deploy' }, { startMs: 1000, endMs: 1900, text: 'call customer Zebediah' }] },
      ]);
      const call = c.core.events.appendLocal(incidentId, 'call.started', { title: 'bridge' });
      const { recording } = await c.api.call('recordings.start', { incidentId, callId: call.id });
      const pcm = Buffer.alloc(32_000, 1).toString('base64');
      for (let seq = 0; seq < 2; seq++) await c.api.call('recordings.chunk', { recordingId: recording.id, seq, pcm });
      await c.api.call('recordings.stop', { recordingId: recording.id });
      await transcriptionsSettled(c.core);
      recordingId = recording.id;
      file = c.core.recordings.require(recording.id).file;
    } finally {
      await c.close();
    }
  });

  it('lists the recording with its length and size', () => {
    const out = ok(['recording', 'list']);
    expect(out).toContain(recordingId);
    expect(out).toContain('0:02');
    expect(out).toMatch(/Kept 30 days\./);
  });

  it('refuses to share without a hub, in one line, and the recording stays unshared on the device', () => {
    const r = conn(['recording', 'share', recordingId.slice(0, 8)]);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain("sharing recordings needs the team's hub");
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(file)).toBe(true);
    expect(ok(['recording', 'list'])).not.toContain('shared');
  });

  it('prints the transcript and redacts a segment by the offset it prints, with a reason; without one nothing changes', () => {
    expect(ok(['transcript', incident])).toMatch(/0:01\s+call customer Zebediah/);
    const noReason = conn(['transcript', incident, '--redact', '0:01']);
    expect(noReason.code).toBe(1);
    expect(noReason.stderr).toContain('--redact needs --reason');
    expect(conn(['transcript', incident, '--redact', '0:07', '--reason', 'x']).code).toBe(3);
    expect(ok(['transcript', incident])).toContain('Zebediah');
    const out = ok(['transcript', incident, '--redact', '0:01', '--reason', 'a customer name']);
    expect(out).toMatch(/0:01\s+\[redacted\]/);
    expect(out).toContain('roll back the deploy');
    expect(ok(['transcript', incident])).not.toContain('Zebediah');
  });

  it('fetch refuses a recording the incident does not have, naming where ids are listed', () => {
    const r = conn(['recording', 'fetch', incident, 'ffffffff']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('recording');
  });

  it('deletes it by a prefix of its id, file and all; an unknown id changes nothing', () => {
    expect(conn(['recording', 'delete', 'ffffffff']).code).not.toBe(0);
    expect(existsSync(file)).toBe(true);
    expect(ok(['recording', 'delete', recordingId.slice(0, 8)])).toContain(`Deleted recording ${recordingId}`);
    expect(existsSync(file)).toBe(false);
    expect(ok(['recording', 'list'])).toContain('No recordings on this device.');
  });
});

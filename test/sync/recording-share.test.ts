import { readFileSync, rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callMethod } from '../../main/core/api/handlers.js';
import { transcriptionsSettled, useEngines } from '../../main/core/api/recordings.js';
import { saveConnection, tokenFile } from '../../main/core/sync/connection.js';
import { startSync } from '../../main/core/sync/start.js';
import { startHub, type HubFixture } from '../hub/hub-fixture.js';
import { cockpits, until } from './sync-fixture.js';

/*
 * Share, end to end over a real hub: Ana records a call and shares it (the upload, then
 * recording.shared for everyone); Ben, who was asleep, sees it shared, and his first play brings
 * the audio and its transcript (without the segment Ana redacted) to his device.
 */

let f: HubFixture;
const { cockpit, supervised, dispose } = cockpits('rec-share');
beforeAll(async () => {
  f = await startHub();
});
afterAll(async () => {
  await dispose();
  await f.dispose();
});


describe('sharing a recording', () => {
  it('uploads it with its transcript, tells the team, and a teammate plays it from their own cockpit', async () => {
    // Ana's cockpit runs as the app's does (a SyncSupervisor); Ben's is a plain engine on his saved connection.
    const { core: ana, sup: anaSync } = supervised('Ana', { engine: { reconnectDelayMs: 50 } });
    const ben = cockpit('Ben');
    await anaSync.connect({ url: f.hub.url, token: await f.invite('rec', 'Ana') });
    saveConnection(ben, { url: f.hub.url, token: await f.invite('rec', 'Ben') });
    startSync(ben, { reconnectDelayMs: 50 });
    useEngines(ana, [{ name: 'fixed', available: async () => null, transcribe: async () => [{ startMs: 0, endMs: 900, text: 'roll back the deploy' }, { startMs: 1000, endMs: 1900, text: 'customer Zebediah' }] }]);

    const { id: incidentId } = ana.incidents.declare({ title: 'Checkout 502', severity: 2 });
    const started = ana.events.appendLocal(incidentId, 'call.started', { title: 'bridge' });
    const rec = (await callMethod(ana, 'recordings.start', { incidentId, callId: started.id })) as { recording: { id: string } };
    const recordingId = rec.recording.id;
    await callMethod(ana, 'recordings.chunk', { recordingId, seq: 0, pcm: Buffer.alloc(64_000, 3).toString('base64') });
    await callMethod(ana, 'recordings.stop', { recordingId });
    await transcriptionsSettled(ana);
    await callMethod(ana, 'transcript.redact', { incidentId, recordingId, startMs: 1000, reason: 'customer name' });

    // Nothing is shared until someone chooses Share.
    await until(() => ben.events.stateOf(incidentId)?.recordings[0], (r) => r !== undefined && r.durationMs === 2000);
    expect(ben.events.stateOf(incidentId)!.recordings[0]!.shared).toBe(false);
    await expect(callMethod(ben, 'recordings.fetch', { incidentId, recordingId })).rejects.toMatchObject({ code: 'not-found' });

    // Ana shares as the desktop app would, whose token is in the OS keychain and not in the data
    // dir: over her running connection. (Ben's fetch below goes over his saved one.)
    await until(() => ana.sync.control?.hubRequest() ?? null, (r) => r !== null);
    rmSync(tokenFile(ana.dataDir));
    const shared = (await callMethod(ana, 'recordings.share', { recordingId })) as { recording: { shared: boolean } };
    expect(shared.recording.shared).toBe(true);
    await until(() => ben.events.stateOf(incidentId)?.recordings[0]?.shared, (s) => s === true);

    const got = (await callMethod(ben, 'recordings.fetch', { incidentId, recordingId })) as { recording: { id: string; durationMs: number } };
    expect(got.recording.durationMs).toBe(2000);
    expect(readFileSync(ben.recordings.require(recordingId).file).equals(readFileSync(ana.recordings.require(recordingId).file))).toBe(true);
    const lines = ((await callMethod(ben, 'transcript.get', { incidentId })) as { lines: Array<{ text: string }> }).lines.map((l) => l.text);
    expect(lines).toEqual(['roll back the deploy']);
    expect(ben.search.timeline(incidentId, 'deploy').hits.some((h) => h.id.startsWith('seg:'))).toBe(true);
  }, 60_000);
});

/*
 * Child process of recordings.test.ts: records a call through the core's API handlers, one
 * 0.5 s chunk of a known tone after another, and prints each chunk's number only after the
 * handler returned (the chunk is on disk and fsynced). The parent kills it with SIGKILL.
 */
import { composeCockpit } from '../../main/core/api/compose.js';

const dataDir = process.argv[2]!;
const cockpit = await composeCockpit({ dataDir, host: 'cli' });
const { api, core } = cockpit;
await api.call('profile.set', { name: 'Alice' });
const { id: incidentId } = await api.call('incidents.declare', { title: 'Recording drill', severity: 2 });
const call = core.events.appendLocal(incidentId, 'call.started', { title: 'bridge' });
const { recording } = await api.call('recordings.start', { incidentId, callId: call.id });
process.stdout.write(`rec ${recording.id}\n`);
const chunk = Buffer.alloc(16_000); // 0.5 s of 16 kHz 16-bit mono
for (let seq = 0; ; seq++) {
  for (let i = 0; i < chunk.length; i += 2) chunk.writeInt16LE(((seq * 8000 + i / 2) % 200) * 100 - 10_000, i);
  await api.call('recordings.chunk', { recordingId: recording.id, seq, pcm: chunk.toString('base64') });
  process.stdout.write(`chunk ${seq}\n`);
}

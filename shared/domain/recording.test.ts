import { describe, expect, it } from 'vitest';
import { formatHlc } from '../sync/hlc.js';
import { authorize, targetEntryOf, type Actor } from './authority.js';
import { parseEvent, type ConnEvent } from './events.js';
import { foldIncident, foldTimeline } from './fold.js';
import { formatOffset, offsetInto, TranscriptSegmentSchema } from './recording.js';
import { handoffBrief } from '../reports/handoff-brief.js';

/*
 * Call recordings in the shared record: the fold shows who is recording a call and which
 * recordings exist and are shared, in any order of arrival; the rule says who may stop, share
 * and redact; an entry's time becomes an offset into the recording that covers it.
 */

const INCIDENT = '0190a5c4-0000-7000-8000-000000000001';
const REC = '0190a5c4-0000-7000-8000-0000000000aa';
const T0 = Date.UTC(2026, 10, 28, 9, 0, 0);
let n = 0;
function ev(kind: ConnEvent['kind'], payload: unknown, author: string, atMs?: number): ConnEvent {
  n += 1;
  return parseEvent({
    id: `0190a5c4-0000-7000-8000-${String(n).padStart(12, '0')}`,
    incidentId: INCIDENT,
    hlc: formatHlc({ wall: atMs ?? T0 + n * 1000, counter: 0 }),
    author: { id: `p-${author}`, name: author },
    kind,
    payload,
  });
}

const declared = ev('incident.declared', { title: 'Checkout 5xx', severity: 2, services: [] }, 'ana', T0);
const call = ev('call.started', { title: 'bridge' }, 'ana', T0 + 1000);
const startedAt = new Date(T0 + 10_000).toISOString();
const started = ev('recording.started', { target: call.id, recordingId: REC, startedAt }, 'bo', T0 + 10_000);
const decision = ev('decision', { text: 'roll back' }, 'ana', T0 + 73_000);
const stopped = ev('recording.stopped', { target: call.id, recordingId: REC, durationMs: 120_000, bytes: 3_840_044 }, 'bo', T0 + 130_000);
const shared = ev('recording.shared', { target: call.id, recordingId: REC, durationMs: 120_000, bytes: 3_840_044 }, 'ana', T0 + 140_000);
const redacted = ev('transcript.redacted', { recordingId: REC, startMs: 4200, reason: 'customer name' }, 'ana', T0 + 150_000);

describe('recordings in the fold', () => {
  it('shows the call as recorded while the recording runs, for everyone', () => {
    const s = foldIncident(INCIDENT, [declared, call, started]);
    expect(s.calls[0]!.recordedBy).toEqual(['bo']);
    expect(s.recordings).toEqual([{ id: REC, callId: call.id, by: 'bo', startedAt, durationMs: null, bytes: null, shared: false, sharedBy: null }]);
  });

  it('a stop ends the indicator and gives the size; a share marks it shared; any order gives the same state', () => {
    const all = [declared, call, started, decision, stopped, shared, redacted];
    const s = foldIncident(INCIDENT, all);
    expect(s.calls[0]!.recordedBy).toEqual([]);
    expect(s.recordings[0]).toMatchObject({ durationMs: 120_000, bytes: 3_840_044, shared: true, sharedBy: 'ana' });
    expect(s.transcriptRedactions).toEqual([{ recordingId: REC, startMs: 4200, reason: 'customer name' }]);
    expect(s.conflicts).toEqual([]);
    expect(foldIncident(INCIDENT, [...all].reverse())).toEqual(s);
  });

  it('writes a line on the timeline for each', () => {
    const lines = foldTimeline([declared, call, started, stopped, shared, redacted]).map((t) => t.text);
    expect(lines).toContain('bo is recording the call');
    expect(lines).toContain('Recording stopped (2:00)');
    expect(lines).toContain('Recording shared with the team (2:00)');
    expect(lines).toContain('Transcript redacted at 0:04');
  });

  it('gives an entry made during the recording its offset, and none outside it', () => {
    const s = foldIncident(INCIDENT, [declared, call, started, stopped]);
    const hit = offsetInto(s.recordings, new Date(T0 + 73_000).toISOString());
    expect(hit?.offsetMs).toBe(63_000);
    expect(formatOffset(hit!.offsetMs)).toBe('1:03');
    expect(offsetInto(s.recordings, new Date(T0 + 5_000).toISOString())).toBeNull();
    expect(offsetInto(s.recordings, new Date(T0 + 131_000).toISOString())).toBeNull();
  });
});

describe('who may write recording events', () => {
  const member = (name: string): Actor => ({ name, role: 'member' });
  const state = foldIncident(INCIDENT, [declared, call, started]);
  const check = (e: ConnEvent, who: Actor) => authorize({ state, actor: who, event: e, target: targetEntryOf(call) });

  it('the recorder stops their own recording; a teammate cannot', () => {
    expect(check(stopped, member('bo')).ok).toBe(true);
    const other = ev('recording.stopped', { target: call.id, recordingId: REC, durationMs: 1, bytes: 44 }, 'cy');
    expect(check(other, member('cy'))).toMatchObject({ ok: false, code: 'forbidden' });
  });

  it('the recorder or the commander shares it; another member cannot', () => {
    expect(check(shared, member('ana')).ok).toBe(true); // ana declared, so commands
    const cy = ev('recording.shared', { target: call.id, recordingId: REC, durationMs: 1, bytes: 44 }, 'cy');
    expect(check(cy, member('cy'))).toMatchObject({ ok: false, code: 'forbidden' });
  });

  it('refuses a second start of one recording, and a stop of a recording nobody started', () => {
    const again = ev('recording.started', { target: call.id, recordingId: REC, startedAt }, 'bo');
    expect(check(again, member('bo'))).toMatchObject({ ok: false, code: 'conflict' });
    const stray = ev('recording.stopped', { target: call.id, recordingId: '0190a5c4-0000-7000-8000-0000000000bb', durationMs: 1, bytes: 44 }, 'bo');
    expect(check(stray, member('bo'))).toMatchObject({ ok: false, code: 'not-found' });
  });

  it('redacting a transcript segment is the recorder\'s, the commander\'s or an admin\'s', () => {
    expect(authorize({ state, actor: member('ana'), event: redacted }).ok).toBe(true);
    const cy = ev('transcript.redacted', { recordingId: REC, startMs: 0, reason: 'x' }, 'cy');
    expect(authorize({ state, actor: member('cy'), event: cy })).toMatchObject({ ok: false, code: 'forbidden' });
    expect(authorize({ state, actor: { name: 'cy', role: 'admin' }, event: cy }).ok).toBe(true);
  });
});

describe('transcript segments', () => {
  it('refuses a segment that ends before it starts, or is too long', () => {
    expect(TranscriptSegmentSchema.safeParse({ startMs: 10, endMs: 5, text: 'x' }).success).toBe(false);
    expect(TranscriptSegmentSchema.safeParse({ startMs: 0, endMs: 5, text: 'x'.repeat(5000) }).success).toBe(false);
    expect(TranscriptSegmentSchema.safeParse({ startMs: 0, endMs: 5, text: ' roll back ' }).data?.text).toBe('roll back');
  });
});

describe('the hand-off brief', () => {
  it('links what was said: each recording since, shared or where it is, never its words', () => {
    const state = foldIncident(INCIDENT, [declared, call, started, decision, stopped, shared]);
    const brief = handoffBrief({ state, since: new Date(T0).toISOString(), items: [], reader: { name: 'cy', timeZone: 'UTC' }, now: new Date(T0 + 200_000) });
    expect(brief).toContain('## What was said');
    expect(brief).toMatch(/- bridge at .*, recorded by bo \(2m 0s\), shared: play it from any entry's ▶ in the timeline; `conn transcript INC-\w+ --call /);
    const unshared = foldIncident(INCIDENT, [declared, call, started, stopped]);
    expect(handoffBrief({ state: unshared, since: new Date(T0).toISOString(), items: [], reader: { name: 'cy', timeZone: 'UTC' }, now: new Date(T0 + 200_000) })).toContain("on bo's device, not shared yet");
  });
});

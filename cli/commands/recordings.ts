import type { Command } from 'commander';
import { ConnError } from '../../shared/domain/errors.js';
import { formatBytes, formatOffset } from '../../shared/domain/recording.js';
import { globalsOf, output } from '../context.js';
import { entryIdOf, incidentOf } from '../lookups.js';
import { withApi, type Api } from '../open-core.js';
import { terminalSafe } from '../terminal-safe.js';

/*
 * Call audio from a terminal (docs/call-audio.md): the recordings on this device, deleting one,
 * the retention, and transcripts. Recording itself happens in the app, which has the microphone.
 */

/** A recording id as `conn recording list` shows it, or a start of it, to this device's full id. */
async function recordingIdOf(api: Api, input: string): Promise<string> {
  const all = (await api.call('recordings.list', {})).recordings;
  return entryIdOf(input, { what: 'recording', where: '`conn recording list`', candidates: () => all.map((r) => r.id) });
}

export function register(program: Command): void {
  const rec = program.command('recording').description('call recordings on this device: list, share, delete, retention');

  rec
    .command('list')
    .description('list the recordings on this device, with their size and transcript')
    .argument('[ref]', 'only those of this incident')
    .action(async (ref: string | undefined, _opts: unknown, cmd: Command) => {
      const g = globalsOf(cmd);
      const got = await withApi(g, async (api) => {
        const incidentId = ref === undefined ? undefined : (await incidentOf(api, ref)).id;
        return api.call('recordings.list', incidentId === undefined ? {} : { incidentId });
      });
      output(g, got, () => {
        const lines = got.recordings.map(
          (r) => `${r.id}  ${r.startedAt}  ${formatOffset(r.durationMs).padStart(7)}  ${formatBytes(r.bytes).padStart(8)}  ${r.state}${r.shared ? '  shared' : ''}${r.transcriptNote ? `\n    ${r.transcriptNote}` : ''}`,
        );
        return [...(lines.length ? lines : ['No recordings on this device.']), `Kept ${got.retentionDays} days.${got.noEngine ? ` ${got.noEngine}` : ` Transcribed with ${got.engine}.`}`].join('\n');
      });
    });

  rec
    .command('delete')
    .description('delete a recording and its transcript from this device')
    .argument('<recording-id>', 'the id `conn recording list` shows, or a start of it (at least 6 characters)')
    .action(async (input: string, _opts: unknown, cmd: Command) => {
      const g = globalsOf(cmd);
      const got = await withApi(g, async (api) => api.call('recordings.delete', { recordingId: await recordingIdOf(api, input) }));
      output(g, got, () => `Deleted recording ${got.deleted} and its transcript.`);
    });

  rec
    .command('share')
    .description("upload a recording (with its transcript) to the team's hub, resuming after a cut, and tell the team")
    .argument('<recording-id>', 'the id `conn recording list` shows, or a start of it (at least 6 characters)')
    .action(async (input: string, _opts: unknown, cmd: Command) => {
      const g = globalsOf(cmd);
      const got = await withApi(g, async (api) => api.call('recordings.share', { recordingId: await recordingIdOf(api, input) }));
      output(g, got, () => `Shared recording ${got.recording.id} (${formatOffset(got.recording.durationMs)}, ${formatBytes(got.recording.bytes)}) with the team.`);
    });

  rec
    .command('retention')
    .description('show, or set, how many days recordings are kept on this device (default 30)')
    .argument('[days]', 'keep recordings this many days; older ones are deleted now and every day')
    .action(async (days: string | undefined, _opts: unknown, cmd: Command) => {
      const g = globalsOf(cmd);
      let n: number | undefined;
      if (days !== undefined) {
        n = Number(days);
        if (!/^\d+$/.test(days.trim())) throw new ConnError('invalid-input', `"${days}" is not a whole number of days`);
      }
      const got = await withApi(g, (api) => api.call('recordings.retention', n === undefined ? {} : { days: n }));
      output(g, got, () => `Recordings are kept ${got.days} days${n !== undefined ? `; ${got.pruned} older deleted now` : ''}.`);
    });

  rec
    .command('fetch')
    .description("bring a teammate's shared recording and its transcript to this device (the app does it on the first ▶)")
    .argument('<ref>', 'the incident reference or id')
    .argument('<recording-id>', 'the id `conn show REF --json` lists under recordings, or a start of it (at least 6 characters)')
    .action(async (ref: string, input: string, _opts: unknown, cmd: Command) => {
      const g = globalsOf(cmd);
      const got = await withApi(g, async (api) => {
        const incident = await incidentOf(api, ref);
        const recordingId = await entryIdOf(input, { what: 'recording', where: `\`conn show ${incident.ref} --json\``, candidates: () => incident.recordings.map((r) => r.id) });
        return api.call('recordings.fetch', { incidentId: incident.id, recordingId });
      });
      output(g, got, () => `Fetched recording ${got.recording.id} (${formatOffset(got.recording.durationMs)}, ${formatBytes(got.recording.bytes)}); \`conn transcript\` prints what was said.`);
    });

  program
    .command('transcript')
    .description("print the transcripts of an incident's call recordings on this device")
    .argument('<ref>', 'the incident reference or id')
    .option('--call <call-id>', 'only this call')
    .option('--search <words>', 'only segments with all these words')
    .option('--redact <start>', 'scrub the segment starting at this offset (m:ss as printed, or milliseconds) for everyone who holds the transcript')
    .option('--reason <text>', 'why, with --redact (kept on the timeline; the words are not)')
    .option('--recording <recording-id>', 'with --redact, when segments of two recordings start at that offset')
    .action(async (ref: string, opts: { call?: string; search?: string; redact?: string; reason?: string; recording?: string }, cmd: Command) => {
      const g = globalsOf(cmd);
      if (opts.redact !== undefined && !opts.reason) throw new ConnError('invalid-input', '--redact needs --reason: say why the words are scrubbed');
      const got = await withApi(g, async (api) => {
        const incident = await incidentOf(api, ref);
        const callId =
          opts.call === undefined ? undefined : await entryIdOf(opts.call, { what: 'call', where: `\`conn show ${incident.ref}\``, candidates: () => incident.calls.map((c) => c.id) });
        const lines = await api.call('transcript.get', { incidentId: incident.id, ...(callId ? { callId } : {}), ...(opts.search ? { search: opts.search } : {}) });
        if (opts.redact === undefined) return lines;
        const at = opts.redact.trim();
        const matching = lines.lines.filter(
          (l) => (formatOffset(l.startMs) === at || String(l.startMs) === at) && (opts.recording === undefined || l.recordingId.startsWith(opts.recording)),
        );
        if (matching.length === 0) throw new ConnError('not-found', `no transcript segment of ${incident.ref} starts at ${at}; \`conn transcript ${incident.ref}\` lists them`);
        if (new Set(matching.map((l) => l.recordingId)).size > 1) throw new ConnError('invalid-input', `segments of several recordings start at ${at}: add --recording with one of ${[...new Set(matching.map((l) => l.recordingId))].join(', ')}`);
        const seg = matching[0]!;
        await api.call('transcript.redact', { incidentId: incident.id, recordingId: seg.recordingId, startMs: seg.startMs, reason: opts.reason! });
        return api.call('transcript.get', { incidentId: incident.id, ...(callId ? { callId } : {}) });
      });
      output(g, got, () =>
        got.lines.length === 0
          ? 'No transcript on this device (`conn recording list` says why).'
          : got.lines.map((l) => `${formatOffset(l.startMs).padStart(7)}  ${l.redacted ? '[redacted]' : terminalSafe(l.text)}`).join('\n'),
      );
    });
}

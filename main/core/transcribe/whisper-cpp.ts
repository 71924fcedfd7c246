import { mkdtemp, readFile, rm, access } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import type { TranscriptSegment } from '../../../shared/domain/recording.js';
import { checkedSegments, run, which, type TranscriptionEngine } from './engine.js';

/*
 * whisper.cpp, where the user installed it and a model file: much better words than
 * pocketsphinx, at more CPU. Configured by path, never fetched: CONN_WHISPER_MODEL names the
 * ggml model file, CONN_WHISPER_BIN the program (else `whisper-cli`, or the older `main` name
 * `whisper-cpp`, on PATH). It writes JSON (`-oj`) whose segments carry offsets in milliseconds.
 */

export interface WhisperConfig {
  bin?: string | undefined;
  model?: string | undefined;
}

const WhisperJson = z.object({
  transcription: z.array(z.object({ offsets: z.object({ from: z.number(), to: z.number() }), text: z.string() })).max(100_000),
});

export function parseWhisperJson(raw: string): TranscriptSegment[] {
  const parsed = WhisperJson.parse(JSON.parse(raw));
  return parsed.transcription.map((s) => ({ startMs: Math.max(0, Math.round(s.offsets.from)), endMs: Math.max(0, Math.round(s.offsets.to)), text: s.text.trim() }));
}

export function whisperCppEngine(config: WhisperConfig = { bin: process.env['CONN_WHISPER_BIN'], model: process.env['CONN_WHISPER_MODEL'] }): TranscriptionEngine {
  const bin = () => which(config.bin ? [config.bin] : ['whisper-cli', 'whisper-cpp']);
  return {
    name: 'whisper.cpp',
    async available() {
      if (!config.model) return 'For better transcripts, install whisper.cpp and set CONN_WHISPER_MODEL to a ggml model file (and CONN_WHISPER_BIN if whisper-cli is not on PATH).';
      try {
        await access(config.model);
      } catch {
        return `CONN_WHISPER_MODEL names ${config.model}, which does not exist.`;
      }
      if (!(await bin())) return `whisper.cpp's program (${config.bin ?? 'whisper-cli'}) is not on PATH; set CONN_WHISPER_BIN to it.`;
      return null;
    },
    async transcribe(wav) {
      const program = await bin();
      if (!program || !config.model) throw new Error('whisper.cpp is not available');
      const dir = await mkdtemp(path.join(tmpdir(), 'conn-whisper-'));
      try {
        const base = path.join(dir, 'out');
        await run(program, ['-m', config.model, '-f', wav, '-oj', '-of', base, '-np', '-l', 'auto']);
        return checkedSegments(parseWhisperJson(await readFile(`${base}.json`, 'utf8')));
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}

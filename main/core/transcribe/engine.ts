import { spawn } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import path from 'node:path';
import { TranscriptSchema, type TranscriptSegment } from '../../../shared/domain/recording.js';

/*
 * Transcription on the device, behind one small interface. An engine is a program already on
 * the machine (nothing is downloaded, no audio leaves it); it reads a 16 kHz mono 16-bit WAV and
 * says what was said when. Adding an engine is one file that implements this and one line in
 * `ENGINES` (api/recordings.ts picks the first available).
 */
export interface TranscriptionEngine {
  readonly name: string;
  /** Null when it can run here; otherwise one sentence: why not, and how to get it. */
  available(): Promise<string | null>;
  transcribe(wav: string): Promise<TranscriptSegment[]>;
}

/** The first engine that can run, or every reason none can (joined into one line). */
export async function pickEngine(engines: readonly TranscriptionEngine[]): Promise<{ engine: TranscriptionEngine } | { why: string }> {
  const reasons: string[] = [];
  for (const e of engines) {
    const why = await e.available();
    if (why === null) return { engine: e };
    reasons.push(why);
  }
  return { why: reasons.join(' ') || 'no transcription engine is configured.' };
}

/** Checks what an engine produced before it is stored: the same schema the API uses. */
export function checkedSegments(segments: TranscriptSegment[]): TranscriptSegment[] {
  return TranscriptSchema.parse(segments.filter((s) => s.text.trim() !== ''));
}

/**
 * Runs a program to its end and returns its stdout. Asynchronous: the core keeps answering the
 * app while an engine works. Output is capped (a transcript is small; a runaway program is not).
 */
export function run(cmd: string, args: string[], opts: { maxBytes?: number; timeoutMs?: number } = {}): Promise<string> {
  const maxBytes = opts.maxBytes ?? 32 * 1024 * 1024;
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let size = 0;
    let err = '';
    const timer = opts.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs) : null;
    child.stdout.on('data', (d: Buffer) => {
      size += d.length;
      if (size > maxBytes) child.kill('SIGKILL');
      else out.push(d);
    });
    child.stderr.on('data', (d: Buffer) => {
      if (err.length < 4000) err += d.toString('utf8');
    });
    child.on('error', (e) => {
      if (timer) clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      if (code === 0) resolve(Buffer.concat(out).toString('utf8'));
      else reject(new Error(`${cmd} ${signal ? `was killed (${signal})` : `exited with ${code}`}: ${err.trim().split('\n').slice(-3).join(' ')}`));
    });
  });
}

/** The first of `names` on PATH (or given as a path that exists), else null. */
export async function which(names: readonly string[]): Promise<string | null> {
  const dirs = (process.env['PATH'] ?? '').split(path.delimiter).filter(Boolean);
  for (const name of names) {
    const candidates = name.includes('/') ? [name] : dirs.map((d) => path.join(d, name));
    for (const c of candidates) {
      try {
        await access(c, constants.X_OK);
        return c;
      } catch {
        // not here
      }
    }
  }
  return null;
}

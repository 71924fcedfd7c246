import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ENGINES } from '../main/core/api/recordings.js';
import { BYTES_PER_SECOND } from '../shared/domain/recording.js';
import { SCRIPT, speak, speechTools } from '../test/transcribe/speech.js';
import { report } from './report.js';

/*
 * Transcription speed on this machine: seconds of audio transcribed per second of CPU, for each
 * engine the machine has (ENGINES in main/core/api/recordings.ts, as the app picks them). The
 * engines run as child processes, so their CPU is the children's user + system time from
 * /proc/self/stat (cutime, cstime), read before and after. The baseline is the same audio per
 * second of wall time: above 1 the engine keeps up with a call in real time on this machine.
 */

const TICKS = 100; // USER_HZ on Linux

function childCpuSeconds(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
  // After "pid (comm) ", cutime and cstime are fields 14 and 15 (0-based 13 and 14).
  return (Number(fields[13]) + Number(fields[14])) / TICKS;
}

const missing = speechTools();
if (missing) {
  console.log(`transcribe: skipped, ${missing}`);
  process.exit(0);
}
const dir = mkdtempSync(path.join(os.tmpdir(), 'conn-bench-speech-'));
try {
  // Three repetitions of the script: about 25 s of speech, a short call's worth.
  const wav = speak(dir, 'bench', [...SCRIPT, ...SCRIPT, ...SCRIPT], 1000);
  const audioSeconds = (statSync(wav).size - 44) / BYTES_PER_SECOND;
  let ran = 0;
  for (const engine of ENGINES) {
    const why = await engine.available();
    if (why) {
      console.log(`transcribe ${engine.name}: not here (${why})`);
      continue;
    }
    const cpu0 = childCpuSeconds();
    const wall0 = performance.now();
    const segments = await engine.transcribe(wav);
    const wall = (performance.now() - wall0) / 1000;
    const cpu = Math.max(childCpuSeconds() - cpu0, 1 / TICKS);
    report({
      name: `transcribe ${engine.name}`,
      value: audioSeconds / cpu,
      baseline: audioSeconds / wall,
      unit: 'audio s per CPU s (baseline: per wall s)',
      lowerIsBetter: false,
      extra: { audioSeconds: Number(audioSeconds.toFixed(1)), cpuSeconds: Number(cpu.toFixed(2)), wallSeconds: Number(wall.toFixed(2)), segments: segments.length },
    });
    ran += 1;
  }
  if (ran === 0) console.log('transcribe: no engine on this machine');
} finally {
  rmSync(dir, { recursive: true, force: true });
}

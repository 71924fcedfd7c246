import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { significantWords } from '../../shared/search/stopwords.js';

/*
 * Known speech for the transcription tests, the bench and the e2e spec: espeak-ng speaks a
 * script, sox makes it the 16 kHz mono 16-bit WAV Conn records. Both are Debian packages (see
 * .ci/run); `speechTools()` says which is missing so a test can skip with the reason.
 */

export const SCRIPT = [
  'We will restart the database server now.',
  'The checkout service is down again.',
  'Please call the payments team in ten minutes.',
];

export function speechTools(): string | null {
  for (const tool of ['espeak-ng', 'sox']) {
    try {
      execFileSync('which', [tool], { stdio: 'ignore' });
    } catch {
      return `${tool} is not installed (apt-get install espeak-ng sox)`;
    }
  }
  return null;
}

/**
 * Speaks `lines` into `<dir>/<name>.wav` (16 kHz mono 16-bit), with `gapMs` of silence at the
 * end; returns its path. Slow and with gaps between words: what the decoder hears best.
 */
export function speak(dir: string, name: string, lines: readonly string[], gapMs = 800): string {
  const raw = path.join(dir, `${name}-raw.wav`);
  const out = path.join(dir, `${name}.wav`);
  const text = lines.join(' '); // espeak pauses after each sentence
  execFileSync('espeak-ng', ['-v', 'en', '-s', '130', '-g', '5', '-w', raw, text]);
  execFileSync('sox', ['-R', raw, '-r', '16000', '-c', '1', '-b', '16', out, 'pad', '0', String(gapMs / 1000), 'gain', '-3'], { stdio: 'ignore' });
  return out;
}

const FREE_WORDS = new Set(['we', 'will', 'you', 'our', 'are']);

/** The share of the script's content words (stop words left out) found in what was heard. */
export function contentWordShare(script: readonly string[], heard: string): { share: number; expected: string[]; found: string[] } {
  // sox -R: repeatable dither. The dither matters (pocketsphinx does badly on digital silence)
  // and so does repeatability: the same script gives the same samples and the same words.
  // Search's stop words keep pronouns and auxiliaries a decoder guesses for free ("we", "will").
  const expected = [...new Set(significantWords(script.join(' ')).map((w) => w.toLowerCase()))].filter((w) => !FREE_WORDS.has(w));
  const words = new Set(heard.toLowerCase().split(/[^a-z']+/).filter(Boolean));
  const found = expected.filter((w) => words.has(w));
  return { share: expected.length ? found.length / expected.length : 0, expected, found };
}

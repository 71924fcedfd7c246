import { access } from 'node:fs/promises';
import path from 'node:path';
import type { TranscriptSegment } from '../../../shared/domain/recording.js';
import { checkedSegments, run, which, type TranscriptionEngine } from './engine.js';

/*
 * CMU pocketsphinx with its US-English model, as Debian packages them (`pocketsphinx`,
 * `pocketsphinx-en-us`): the default, because it is on our machines and needs nothing else.
 * Modest accuracy (a third to a half of the words on clear speech); whisper.cpp is the path
 * to quality. `pocketsphinx_continuous -time yes` prints each utterance's words with their
 * start and end in seconds; an utterance becomes one segment.
 */

const BINARIES = ['pocketsphinx_continuous'];
/** Where Debian's pocketsphinx-en-us puts the model (and other distributions' builds). */
const MODEL_DIRS = ['/usr/share/pocketsphinx/model/en-us', '/usr/local/share/pocketsphinx/model/en-us'];

async function exists(p: string): Promise<boolean> {
  try {
    await access(p);
    return true;
  } catch {
    return false;
  }
}

/** Fillers the decoder marks: silence, breath, noise, sentence edges. */
const FILLER = /^(<s>|<\/s>|<sil>|\[.*\]|\+\+.*\+\+)$/;

/** Parses `-time yes` output: lines "word start end confidence", utterances bounded by <s> … </s>. */
export function parsePocketsphinxTimes(out: string): TranscriptSegment[] {
  const segments: TranscriptSegment[] = [];
  let words: string[] = [];
  let start: number | null = null;
  let end = 0;
  const close = () => {
    if (words.length > 0 && start !== null) segments.push({ startMs: Math.round(start * 1000), endMs: Math.round(end * 1000), text: words.join(' ') });
    words = [];
    start = null;
  };
  for (const line of out.split('\n')) {
    const m = /^(\S+) (\d+(?:\.\d+)?) (\d+(?:\.\d+)?) [\d.]+$/.exec(line.trim());
    if (!m) continue;
    const [, token, s, e] = m as unknown as [string, string, string, string];
    if (token === '<s>') {
      close();
      continue;
    }
    if (token === '</s>') {
      close();
      continue;
    }
    if (FILLER.test(token)) continue;
    start ??= Number(s);
    end = Number(e);
    words.push(token.replace(/\(\d+\)$/, ''));
  }
  close();
  return segments;
}

export function pocketsphinxEngine(): TranscriptionEngine {
  let found: { bin: string; model: string } | null = null;
  const locate = async () => {
    if (found) return found;
    const bin = await which(BINARIES);
    if (!bin) return null;
    for (const dir of MODEL_DIRS) {
      if ((await exists(path.join(dir, 'en-us', 'mdef'))) && (await exists(path.join(dir, 'en-us.lm.bin')))) return (found = { bin, model: dir });
    }
    return null;
  };
  return {
    name: 'pocketsphinx',
    async available() {
      if (!(await which(BINARIES))) return 'pocketsphinx is not installed (apt-get install pocketsphinx pocketsphinx-en-us).';
      if (!(await locate())) return 'pocketsphinx has no US-English model (apt-get install pocketsphinx-en-us).';
      return null;
    },
    async transcribe(wav) {
      const where = await locate();
      if (!where) throw new Error('pocketsphinx is not available');
      const out = await run(where.bin, [
        '-infile', wav,
        '-hmm', path.join(where.model, 'en-us'),
        '-lm', path.join(where.model, 'en-us.lm.bin'),
        '-dict', path.join(where.model, 'cmudict-en-us.dict'),
        '-time', 'yes',
        '-logfn', '/dev/null',
      ]);
      return checkedSegments(parsePocketsphinxTimes(out));
    },
  };
}

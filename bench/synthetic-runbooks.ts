/*
 * The synthetic runbook library both runbook benchmarks search: front matter, six paragraphs of
 * 40 words drawn Zipf-like from a 5,000-word made-up vocabulary with 10% from COMMON (so each
 * common word is in nearly every runbook), and task-list steps. Deterministic: every run, and
 * both benchmarks, build the same library.
 */

/** A PRNG with its own seed, so the two benchmarks draw the same sequence. */
export function syntheticLibrary(seed = 42): { VOCAB: string[]; COMMON: string[]; synthetic: (i: number) => string } {
  let s = seed;
  const rand = (): number => {
    s = (s * 1_103_515_245 + 12_345) & 0x7fffffff;
    return s / 0x7fffffff;
  };
  // Zipf-like: low indexes are frequent, high ones rare.
  const pick = (): string => VOCAB[Math.floor(VOCAB.length * rand() ** 3)] as string;
  const synthetic = (i: number): string => {
    const lines: string[] = [`---`, `title: Runbook ${i} ${pick()} ${pick()}`, `services: [svc-${i % 200}]`, `tags: [${pick()}, ${pick()}]`, `last_verified: 2026-0${1 + (i % 9)}-15`, `---`, `# Runbook ${i}`];
    for (let p = 0; p < 6; p++) {
      const words = Array.from({ length: 40 }, () => (rand() < 0.1 ? (COMMON[Math.floor(rand() * COMMON.length)] as string) : pick()));
      lines.push('', words.join(' ') + '.');
      if (p % 2 === 0) lines.push(`- [ ] check the replica lag on ${pick()}`, `- [ ] restart ${pick()} service`);
    }
    return lines.join('\n');
  };
  return { VOCAB, COMMON, synthetic };
}

const syllables = ['ka', 'lo', 'mi', 'ne', 'ru', 'ta', 'vo', 'zi', 'pe', 'su', 'da', 'gi', 'ho', 'ju', 'xe', 'wa'];
function word(i: number): string {
  let s = '';
  let n = i + 17;
  while (n > 0) {
    s += syllables[n % syllables.length];
    n = Math.floor(n / syllables.length);
  }
  return s;
}
const VOCAB = Array.from({ length: 5000 }, (_, i) => word(i));
const COMMON = ['service', 'restart', 'check', 'replica', 'database', 'latency', 'deploy', 'rollback', 'alert', 'customer'];

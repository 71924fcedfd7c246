import { describe, expect, it } from 'vitest';
import { decodeRunbookBytes, isStale, parseRunbook, RUNBOOK_LIMITS, slugFromFileName } from './document.js';
import { extractSteps, linkLabels } from './steps.js';

describe('parseRunbook', () => {
  it('reads the front matter fields', () => {
    const doc = parseRunbook(
      'db',
      '---\ntitle: DB failover\nservices: [postgres, orders-db]\ntags: database, failover\nowner: Data\nlast_verified: 2026-01-02\n---\n# Body\n',
    );
    expect(doc).toMatchObject({ title: 'DB failover', services: ['postgres', 'orders-db'], tags: ['database', 'failover'], owner: 'Data', lastVerified: '2026-01-02', body: '# Body\n' });
  });

  it('takes the title from the first heading when there is no front matter', () => {
    expect(parseRunbook('x', 'intro\n# Rotate the keys\n').title).toBe('Rotate the keys');
    expect(parseRunbook('plain', 'no heading').title).toBe('plain');
  });

  it('refuses invalid YAML with the file line of the error', () => {
    expect(() => parseRunbook('x', '---\ntitle: ok\nservices: [a, b\nowner: x\n---\nbody')).toThrow(/invalid front matter at line \d+: /);
    expect(() => parseRunbook('x', '---\ntitle: ok\nowner: x\ntags: [a, b\n---\nbody')).toThrow(/at line 4: Flow sequence/);
    expect(() => parseRunbook('x', '---\ntitle: ok\n\tbad: tab\n---\n')).toThrow(/at line 3: Tabs/);
  });

  it('refuses a front-matter field of the wrong shape, naming the field and its line', () => {
    expect(() => parseRunbook('x', '---\ntitle: ok\nlast_verified: last tuesday\n---\n')).toThrow(/line 3: last_verified: last_verified must be a date/);
    expect(() => parseRunbook('x', '---\n- just\n- a list\n---\n')).toThrow(/expected "key: value" pairs/);
  });

  it('keeps script tags and javascript: links as written (they are made inert where rendered)', () => {
    const body = '<script>alert(1)</script>\n[click](javascript:alert(1))\n';
    expect(parseRunbook('x', body).body).toBe(body);
  });

  it('refuses a name that is not a slug', () => {
    expect(() => parseRunbook('Bad Name', 'x')).toThrow(/a-z, 0-9 and dashes/);
  });
});

describe('extractSteps', () => {
  it('turns task-list items into steps with slug keys, skipping code fences', () => {
    const doc = parseRunbook('x', '- [ ] Check `replica` lag\n* [x] Promote it\n1. [ ] Tell the [bridge](https://b)\n```\n- [ ] not a step\n```\n- plain item\n');
    expect(doc.steps).toEqual([
      { key: 'check-replica-lag', text: 'Check `replica` lag' },
      { key: 'promote-it', text: 'Promote it' },
      { key: 'tell-the-bridge', text: 'Tell the [bridge](https://b)' },
    ]);
  });

  it('keeps a step key when other steps are added or reordered, and numbers repeats', () => {
    const a = parseRunbook('x', '- [ ] One\n- [ ] Two\n').steps;
    const b = parseRunbook('x', '- [ ] Zero\n- [ ] Two\n- [ ] One\n- [ ] One\n').steps;
    expect(b.find((s) => s.text === 'Two')?.key).toBe(a[1]?.key);
    expect(b.map((s) => s.key)).toEqual(['zero', 'two', 'one', 'one-2']);
  });

  it('gives a step with no Latin letters a stable hashed key', () => {
    const [s] = parseRunbook('x', '- [ ] 确认主库\n').steps;
    expect(s?.key).toMatch(/^step-[0-9a-z]+$/);
    expect(parseRunbook('x', '- [ ] 确认主库\n').steps[0]?.key).toBe(s?.key);
  });
});

describe('decodeRunbookBytes', () => {
  const enc = new TextEncoder();
  it('refuses NUL bytes as binary', () => {
    expect(() => decodeRunbookBytes(new Uint8Array([0x23, 0x00, 0x41]))).toThrow(/looks binary/);
  });
  it('refuses invalid UTF-8', () => {
    expect(() => decodeRunbookBytes(new Uint8Array([0x23, 0xff, 0xfe, 0x41]))).toThrow(/not valid UTF-8/);
  });
  it('refuses more than the size limit', () => {
    expect(() => decodeRunbookBytes(new Uint8Array(RUNBOOK_LIMITS.bytes + 1))).toThrow(/at most 1 MiB/);
  });
  it('strips a byte-order mark', () => {
    expect(decodeRunbookBytes(enc.encode('\uFEFF# Hi'))).toBe('# Hi');
  });
});

describe('slugFromFileName', () => {
  it.each([
    ['Database Failover.md', 'database-failover'],
    ['dir/Élevated_5xx.markdown', 'elevated-5xx'],
    ['---.md', ''],
  ])('%s → %s', (file, slug) => expect(slugFromFileName(file)).toBe(slug));
});

describe('isStale', () => {
  const now = new Date('2026-11-28T00:00:00Z');
  it.each([
    ['2026-11-01', 90, false],
    ['2026-08-29', 90, true],
    [null, 90, true],
  ] as const)('verified %s, threshold %d days → stale %s', (date, days, stale) => expect(isStale(date, now, days)).toBe(stale));
});

describe('hostile runbooks', () => {
  // A runbook arrives from a cloned repo or a teammate's publish; parsing it must stay linear.
  it('parses a 1 MiB heading or checklist line of spaces in well under a second', () => {
    const pad = ' '.repeat(RUNBOOK_LIMITS.bytes - 16);
    const t0 = performance.now();
    expect(parseRunbook('x', `# Title${pad}x\n`).title).toMatch(/^Title {10}/);
    expect(parseRunbook('x', `- [ ] step${pad}x\n`).steps).toHaveLength(1);
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it('derives a step key from a line of 50,000 `[` in well under a second', () => {
    const t0 = performance.now();
    expect(extractSteps(`- [ ] ${'['.repeat(50_000)}\n`)).toHaveLength(1);
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it('reads links as their labels exactly as the link regex did', () => {
    const viaRegex = (s: string) => s.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1');
    for (const s of ['[a](u) b', '[[a](u)', '[a] (u)', '[a](u', '[a](b(c)d) e', 'x [a](u) [b](v) y', '[a]](u)', '][(a)[b](c)', '[]()', '[a][b](c)']) {
      expect(linkLabels(s)).toBe(viaRegex(s));
    }
  });

  it('still takes the first level-1 heading as the title, without trailing hashes', () => {
    expect(parseRunbook('x', 'intro\n#   DNS outage  ##  \r\n# Second\n').title).toBe('DNS outage');
  });
});

describe('step keys', () => {
  it('are unique even when a text slugs to the suffix of a repeated one', () => {
    const keys = extractSteps('- [ ] foo\n- [ ] foo\n- [ ] foo 2\n- [ ] foo 2\n').map((s) => s.key);
    expect(keys).toEqual(['foo', 'foo-2', 'foo-2-2', 'foo-2-3']);
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe('runbook size', () => {
  it('is limited in UTF-8 bytes, so 600,000 euro signs (1.7 MiB) are refused', () => {
    expect(() => parseRunbook('x', '€'.repeat(600_000))).toThrow(expect.objectContaining({ code: 'too-large' }));
    expect(parseRunbook('x', '€'.repeat(300_000)).name).toBe('x');
  });
});

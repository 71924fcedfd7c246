import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findChromium } from '../../main/core/api/retro-pdf.js';
import { buildBin, connInDir } from '../sync/conn-bin.js';

/*
 * The retrospective and the follow-up list from the real bin on a real data dir: written field
 * by field, checked for blame, exported as Markdown, HTML and a PDF printed by Chromium, and the
 * incident's actions listed and closed across incidents. Bad input exits non-zero with one line
 * and changes nothing.
 */
const work = mkdtempSync(path.join(tmpdir(), 'conn-retro-'));
const dir = path.join(work, 'data');
afterAll(() => rmSync(work, { recursive: true, force: true }));
beforeAll(() => buildBin(), 60_000);

const conn = (args: string[], input?: string) => connInDir(dir, args, input);
function ok(args: string[], input?: string): string {
  const r = conn(args, input);
  if (r.code !== 0) throw new Error(`conn ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return r.stdout;
}
const json = <T>(args: string[]) => JSON.parse(ok(['--json', ...args])) as T;

interface Doc {
  retro: {
    status: { state: string; by: string | null };
    summary: { text: string } | null;
    factors: Array<{ id: string; text: string; category: string }>;
    wentWell: Array<{ id: string; text: string }>;
    wasHard: Array<{ id: string; text: string }>;
    remediation: string[];
  };
  keyMoments: Array<{ text: string }>;
}
interface Row {
  ref: string;
  action: { id: string; text: string; owner: string | null; state: string };
}

const SUMMARY = 'Checkout returned 502s for 20 minutes after release 4.2.1.';

describe('a retrospective from the terminal', () => {
  let ref = '';
  let other = '';
  let backoff = '';
  let alert = '';
  beforeAll(() => {
    ok(['profile', '--name', 'Ana', '--tz', 'UTC']);
    ref = ok(['declare', 'Checkout returns 502', '--sev', '1', '--service', 'checkout']).trim();
    other = ok(['declare', 'Search is slow', '--sev', '3', '--service', 'search']).trim();
    backoff = json<{ id: string }>(['action', ref, 'Add backoff to the client', '--owner', 'Ana', '--due', '2h']).id;
    alert = json<{ id: string }>(['action', ref, 'Alert on retry rate', '--owner', 'Bo', '--due', '2020-01-01T00:00:00Z']).id;
    ok(['action', other, 'Tune the search cache', '--owner', 'Ana']);
    const decision = json<{ id: string }>(['decision', ref, 'Roll back 4.2.1']).id;
    ok(['pin', ref, decision]);
    ok(['status', ref, 'resolved']);
  }, 120_000);

  it('writes each field as its own event and prints the document with item ids', () => {
    ok(['retro-set', ref, 'summary', SUMMARY]);
    ok(['retro-add', ref, 'factor', 'The', 'canary', 'covered', '1%', 'of', 'traffic', '--category', 'detection']);
    ok(['retro-add', ref, 'went-well', 'Paging reached the owner in a minute']);
    ok(['retro-add', ref, 'was-hard', 'The runbook for the rollback was out of date']);
    ok(['retro-link', ref, backoff.slice(0, 13)]);
    const doc = json<Doc>(['retro', ref]);
    expect(doc.retro.summary?.text).toBe(SUMMARY);
    expect(doc.retro.factors).toEqual([expect.objectContaining({ text: 'The canary covered 1% of traffic', category: 'detection' })]);
    expect(doc.retro.remediation).toEqual([backoff]);
    expect(doc.keyMoments.map((k) => k.text)).toEqual(['Roll back 4.2.1']);
    const printed = ok(['retro', ref]);
    expect(printed).toContain(`# Retrospective: ${ref} — Checkout returns 502`);
    expect(printed).toContain(`- **detection** The canary covered 1% of traffic  [${doc.retro.factors[0]!.id}]`);
    expect(printed).toContain('- [ ] Add backoff to the client — Ana');
    expect(printed).not.toContain('Alert on retry rate');
    expect(printed).toMatch(/## Key moments\n\n- .* — Roll back 4\.2\.1 \(Ana\)/);
  }, 180_000);

  it('changes and removes items by the start of their id', () => {
    const before = json<Doc>(['retro', ref]).retro;
    ok(['retro-change', ref, before.factors[0]!.id.slice(0, 30), '--category', 'change']);
    ok(['retro-remove', ref, before.wasHard[0]!.id]);
    const after = json<Doc>(['retro', ref]).retro;
    expect(after.factors[0]).toMatchObject({ text: 'The canary covered 1% of traffic', category: 'change' });
    expect(after.wasHard).toEqual([]);
  }, 180_000);

  it('points out blaming words with --check and exits 1, and exits 0 once they are gone', () => {
    const clean = conn(['retro', ref, '--check']);
    expect(clean.code).toBe(0);
    expect(clean.stdout).toContain('reads blameless');
    ok(['retro-add', ref, 'was-hard', 'The on-call engineer failed to find the dashboard']);
    const found = conn(['retro', ref, '--check']);
    expect(found.code).toBe(1);
    expect(found.stdout).toContain('- was hard 1: "failed to" — Say what happened instead');
    const asJson = conn(['--json', 'retro', ref, '--check']);
    expect(asJson.code).toBe(1);
    expect(JSON.parse(asJson.stdout).findings).toEqual([expect.objectContaining({ where: 'was hard 1', phrase: 'failed to' })]);
    ok(['retro-remove', ref, json<Doc>(['retro', ref]).retro.wasHard[0]!.id]);
    expect(conn(['retro', ref, '--check']).code).toBe(0);
  }, 180_000);

  it('refuses bad input with one line and changes nothing', () => {
    const before = ok(['--json', 'retro', ref]);
    for (const args of [
      ['retro-add', ref, 'factor', 'x', '--category', 'blame'],
      ['retro-add', ref, 'went-well', 'x', '--category', 'change'],
      ['retro-add', ref, 'lessons', 'x'],
      ['retro-set', ref, 'title', 'x'],
      ['retro-remove', ref, '0190ffff-0000'],
      ['retro-link', ref, '0190ffff-0000-7000-8000-000000000000'],
      ['retro-state', ref, 'finished'],
      ['retro', ref, '--format', 'docx', '--out', path.join(work, 'r.docx')],
      ['retro', ref, '--format', 'pdf'],
    ]) {
      const r = conn(args);
      expect(r.code, args.join(' ')).not.toBe(0);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
    }
    expect(ok(['--json', 'retro', ref])).toBe(before);
  }, 180_000);

  it('moves through review to published, saying who published it', () => {
    ok(['retro-state', ref, 'in-review']);
    ok(['retro-state', ref, 'published']);
    expect(json<Doc>(['retro', ref]).retro.status).toMatchObject({ state: 'published', by: 'Ana' });
    expect(ok(['retro', ref])).toMatch(/\*\*Published by Ana, /);
  }, 180_000);

  it('exports Markdown and self-contained HTML with the words escaped', () => {
    ok(['retro-add', ref, 'went-well', '<img src=x onerror=alert(1)> stayed text']);
    ok(['retro', ref, '--format', 'md', '--out', path.join(work, 'r.md')]);
    expect(readFileSync(path.join(work, 'r.md'), 'utf8')).toContain(SUMMARY);
    ok(['retro', ref, '--format', 'html', '--out', path.join(work, 'r.html')]);
    const html = readFileSync(path.join(work, 'r.html'), 'utf8');
    expect(html).toContain(`<p>${SUMMARY}</p>`);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt; stayed text');
    expect(html).not.toMatch(/<img|<script|<link|src="http/);
    expect(html).toContain("default-src 'none'");
  }, 180_000);

  // Printing needs a Chromium; where there is none the command must say so, which is tested instead.
  const chromium = findChromium();
  it.runIf(chromium !== null)('prints a PDF with Chromium whose text carries the summary', () => {
    const out = path.join(work, 'r.pdf');
    ok(['retro', ref, '--format', 'pdf', '--out', out]);
    const pdf = readFileSync(out);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    let text: string | null = null;
    try {
      text = execFileSync('pdftotext', [out, '-'], { encoding: 'utf8' });
    } catch {
      // no pdftotext here: the HTML the PDF is printed from is checked above
    }
    if (text !== null) expect(text.replace(/\s+/g, ' ')).toContain(SUMMARY);
    expect(pdf.length).toBeGreaterThan(5_000);
  }, 120_000);

  it.runIf(chromium === null)('says clearly that PDF export needs Chromium when none is found', () => {
    const r = conn(['retro', ref, '--format', 'pdf', '--out', path.join(work, 'r.pdf')]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('PDF export needs Chromium');
  }, 180_000);

  it('lists open follow-up across every incident: mine, overdue, all', () => {
    const open = json<Row[]>(['actions']);
    expect(open.map((r) => r.action.text)).toEqual(['Alert on retry rate', 'Add backoff to the client', 'Tune the search cache']);
    expect(json<Row[]>(['actions', '--mine']).map((r) => r.action.text)).toEqual(['Add backoff to the client', 'Tune the search cache']);
    expect(json<Row[]>(['actions', '--overdue']).map((r) => r.action.text)).toEqual(['Alert on retry rate']);
    expect(json<Row[]>(['actions', '--owner', 'bo']).map((r) => r.ref)).toEqual([ref]);
    ok(['action-done', ref, alert]);
    expect(json<Row[]>(['actions']).map((r) => r.action.text)).toEqual(['Add backoff to the client', 'Tune the search cache']);
    expect(json<Row[]>(['actions', '--all']).find((r) => r.action.id === alert)?.action.state).toBe('done');
    expect(ok(['actions', '--overdue'])).toBe('Nothing overdue.\n');
    const r = conn(['actions', '--mine', '--owner', 'Bo']);
    expect(r.code).not.toBe(0);
  }, 180_000);
});

import { closeSync, mkdirSync, openSync, ftruncateSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportDirectory, importDirectory } from '../../main/core/runbooks/import-export.js';
import { runbookText, tempLibrary } from './fixtures.js';

let t: ReturnType<typeof tempLibrary>;
let src: string;
beforeEach(() => {
  t = tempLibrary();
  src = path.join(t.dir, 'repo');
  mkdirSync(path.join(src, 'db'), { recursive: true });
  writeFileSync(path.join(src, 'dns-outage.md'), runbookText({ title: 'DNS outage' }, '- [ ] dig it\n'));
  writeFileSync(path.join(src, 'db', 'Database Failover.md'), runbookText({ title: 'DB failover' }, '- [ ] promote\n'));
  writeFileSync(path.join(src, 'README.txt'), 'not markdown, not imported');
});
afterEach(() => t.close());

const names = (xs: Array<{ name: string }>) => xs.map((x) => x.name);

describe('import', () => {
  it('reports added, then unchanged on a second run, then updated after an edit', () => {
    const first = importDirectory(t.lib, src, { author: 'ana' });
    expect(names(first.added)).toEqual(['database-failover', 'dns-outage']);
    expect(first.rejected).toEqual([]);

    const again = importDirectory(t.lib, src, { author: 'ana' });
    expect(again.added).toEqual([]);
    expect(names(again.unchanged)).toEqual(['database-failover', 'dns-outage']);
    expect(t.lib.get('dns-outage').versions).toHaveLength(1);

    writeFileSync(path.join(src, 'dns-outage.md'), runbookText({ title: 'DNS outage' }, '- [ ] dig it\n- [ ] check TTLs\n'));
    const third = importDirectory(t.lib, src, { author: 'ben' });
    expect(third.updated).toEqual([{ file: 'dns-outage.md', name: 'dns-outage', version: 2 }]);
    expect(names(third.unchanged)).toEqual(['database-failover']);
  });

  it('reports progress for every file', () => {
    const seen: number[] = [];
    importDirectory(t.lib, src, { author: 'ana', onProgress: (done) => seen.push(done) });
    expect(seen).toEqual([0, 1, 2]);
  });

  it('rejects each bad file with its reason and imports everything else', () => {
    const huge = openSync(path.join(src, 'huge.md'), 'w');
    ftruncateSync(huge, 50 * 1024 * 1024); // a sparse 50 MB file: refused by its size alone
    closeSync(huge);
    writeFileSync(path.join(src, 'binary.md'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]));
    writeFileSync(path.join(src, 'latin1.md'), Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]));
    writeFileSync(path.join(src, 'bad-yaml.md'), '---\ntitle: x\nservices: [a, b\n---\nbody');
    writeFileSync(path.join(src, 'dns_outage.md'), runbookText({ title: 'A second DNS outage' }, 'dup'));
    writeFileSync(path.join(src, 'xss.md'), '# XSS\n<script>alert(1)</script>\n[x](javascript:alert(1))\n');

    const r = importDirectory(t.lib, src, { author: 'ana' });
    const reasons = Object.fromEntries(r.rejected.map((x) => [x.file, x.reason]));
    expect(reasons['huge.md']).toMatch(/50 MiB; a runbook is at most 1 MiB/);
    expect(reasons['binary.md']).toMatch(/NUL bytes/);
    expect(reasons['latin1.md']).toMatch(/not valid UTF-8/);
    expect(reasons['bad-yaml.md']).toMatch(/invalid front matter at line 3/);
    // Sorted order: dns-outage.md comes before dns_outage.md, so the second is the duplicate.
    expect(reasons['dns_outage.md']).toMatch(/duplicate name "dns-outage": dns-outage.md in this import already has it/);
    expect(Object.keys(reasons).sort()).toEqual(['bad-yaml.md', 'binary.md', 'dns_outage.md', 'huge.md', 'latin1.md']);
    expect(names(r.added)).toEqual(['database-failover', 'dns-outage', 'xss']);
    expect(t.lib.get('dns-outage').title).toBe('DNS outage');
    // Stored as written; made inert where it is shown.
    expect(t.lib.get('xss').content).toContain('<script>alert(1)</script>');
  });

  it('rejects a dangling or directory symlink by itself instead of aborting the whole import', () => {
    symlinkSync(path.join(t.dir, 'gone.md'), path.join(src, 'broken.md'));
    mkdirSync(path.join(t.dir, 'a-folder'));
    symlinkSync(path.join(t.dir, 'a-folder'), path.join(src, 'folder.md'));
    const r = importDirectory(t.lib, src, { author: 'ana' });
    expect(r.rejected.map((x) => x.file).sort()).toEqual(['broken.md', 'folder.md']);
    expect(names(r.added)).toEqual(['database-failover', 'dns-outage']);
  });

  it('refuses a symlink that points outside the folder, so a cloned repo cannot pull in ~/.aws/credentials', () => {
    const secret = path.join(t.dir, 'credentials');
    writeFileSync(secret, '[default]\naws_secret_access_key = hunter2\n');
    symlinkSync(secret, path.join(src, 'notes.md'));
    const r = importDirectory(t.lib, src, { author: 'ana' });
    expect(r.rejected).toEqual([{ file: 'notes.md', reason: expect.stringMatching(/outside the folder/) }]);
    expect(t.lib.list().map((x) => x.name)).not.toContain('notes');
  });

  it('says the folder is missing instead of crashing', () => {
    expect(() => importDirectory(t.lib, path.join(t.dir, 'nope'), { author: 'ana' })).toThrow(/no folder at/);
  });
});

describe('export', () => {
  it('writes every head as NAME.md with its front matter, and re-imports as unchanged', () => {
    importDirectory(t.lib, src, { author: 'ana' });
    const out = path.join(t.dir, 'out');
    exportDirectory(t.lib, out);
    expect(readdirSync(out).sort()).toEqual(['database-failover.md', 'dns-outage.md']);
    expect(readFileSync(path.join(out, 'dns-outage.md'), 'utf8')).toBe(t.lib.get('dns-outage').content);
    const back = importDirectory(t.lib, out, { author: 'ana' });
    expect(back.unchanged).toHaveLength(2);
  });
});

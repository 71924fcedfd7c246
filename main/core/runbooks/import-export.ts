import { mkdirSync, readdirSync, readFileSync, realpathSync, statSync, writeFileSync, renameSync } from 'node:fs';
import path from 'node:path';
import { ConnError } from '../../../shared/domain/errors.js';
import { RUNBOOK_LIMITS, decodeRunbookBytes, formatBytes, slugFromFileName } from '../../../shared/runbooks/document.js';
import type { ImportReport } from '../../../shared/runbooks/results.js';
import type { RunbookLibrary } from '../store/runbook-library.js';

const SKIP_DIRS = new Set(['node_modules', '.git']);

/** The Markdown files under `dir`, sorted, so two imports of one folder see the same order. */
export function findMarkdownFiles(dir: string): string[] {
  let st;
  try {
    st = statSync(dir);
  } catch {
    throw new ConnError('not-found', `no folder at ${dir}: check the path`);
  }
  if (!st.isDirectory()) throw new ConnError('invalid-input', `${dir} is a file; give the folder that holds the runbooks`);
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      if (e.name.startsWith('.') || SKIP_DIRS.has(e.name)) continue;
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if ((e.isFile() || e.isSymbolicLink()) && /\.(md|markdown)$/i.test(e.name)) out.push(p);
    }
  };
  walk(dir);
  return out;
}

export interface ImportOptions {
  author: string;
  onProgress?: (done: number, total: number, file: string) => void;
}

/**
 * Imports a folder of Markdown runbooks (a clone of the team's runbook repo, say). Idempotent:
 * a file whose text is already the head is "unchanged". Each file stands alone: a bad one is
 * rejected with its reason and the rest still import.
 */
export function importDirectory(lib: RunbookLibrary, dir: string, opts: ImportOptions): ImportReport {
  const files = findMarkdownFiles(dir);
  const root = realpathSync(dir);
  const report: ImportReport = { added: [], updated: [], unchanged: [], rejected: [] };
  const seen = new Map<string, string>();
  files.forEach((abs, i) => {
    const file = path.relative(dir, abs);
    opts.onProgress?.(i, files.length, file);
    try {
      const name = slugFromFileName(abs);
      if (!name) throw new ConnError('invalid-input', 'the file name has no letters or digits to make a runbook name from');
      const first = seen.get(name);
      if (first !== undefined) throw new ConnError('conflict', `duplicate name "${name}": ${first} in this import already has it; rename one of them`);
      seen.set(name, file);
      // A cloned repo is untrusted: a symlink "notes.md" -> ~/.aws/credentials must not be read
      // (and later published to the team). Broken or unreadable links are this file's problem only.
      const real = readable(() => realpathSync(abs));
      if (real !== root && !real.startsWith(root + path.sep)) throw new ConnError('forbidden', 'the file is a link to something outside the folder being imported');
      const st = readable(() => statSync(real));
      if (!st.isFile()) throw new ConnError('invalid-input', 'the file is a link to a folder or a device, not a Markdown file');
      // Refuse by size before reading: a 50 MB log someone dropped in the folder is never loaded.
      if (st.size > RUNBOOK_LIMITS.bytes) throw new ConnError('too-large', `the file is ${formatBytes(st.size)}; a runbook is at most ${formatBytes(RUNBOOK_LIMITS.bytes)}`);
      const text = decodeRunbookBytes(readable(() => readFileSync(real)));
      const r = lib.put(name, text, opts.author);
      report[r.outcome].push({ file, name, version: r.version });
    } catch (err) {
      if (!(err instanceof ConnError)) throw err;
      report.rejected.push({ file, reason: err.message });
    }
  });
  opts.onProgress?.(files.length, files.length, '');
  return report;
}

/** Runs a file-system read, turning its failure (a dangling link, no permission) into a rejection reason. */
function readable<T>(read: () => T): T {
  try {
    return read();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw new ConnError('invalid-input', `the file cannot be read (${code}): it may be a broken link or not readable by you`);
  }
}

/** Writes each runbook's head to DIR/NAME.md, as it was imported or published (front matter included). */
export function exportDirectory(lib: RunbookLibrary, dir: string): Array<{ name: string; file: string; version: number }> {
  mkdirSync(dir, { recursive: true });
  const out: Array<{ name: string; file: string; version: number }> = [];
  for (const h of lib.heads()) {
    const file = path.join(dir, `${h.name}.md`);
    // Write then rename, so an interrupted export never leaves a half-written runbook.
    const tmp = `${file}.tmp-${process.pid}`;
    writeFileSync(tmp, h.content, 'utf8');
    renameSync(tmp, file);
    out.push({ name: h.name, file, version: h.summary.version });
  }
  return out;
}

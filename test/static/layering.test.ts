import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { ESLint } from 'eslint';
import { checkFile, checkTree, KNOWN_EXCEPTIONS } from './layering.js';

const root = path.resolve(__dirname, '../..');

const same = (v: { file: string; spec: string }, k: { file: string; spec: string }) => v.file.split(path.sep).join('/') === k.file && v.spec === k.spec;
const isKnown = (v: { file: string; spec: string }) => KNOWN_EXCEPTIONS.some((k) => same(v, k));

const REJECTED: Array<[string, string]> = [
  ['main/static/x.ts', "import { protocol } from 'electron';"],
  ['main/static/x.ts', "import { startWebHost } from '../web/web-host.js';"],
  ['shared/domain/x.ts', "import fs from 'node:fs';"],
  ['shared/domain/x.ts', "import Database from 'better-sqlite3';"],
  ['shared/domain/x.ts', "import { thing } from '../../main/core/db.js';"],
  ['main/core/x.ts', "import { app } from 'electron';"],
  ['main/core/x.ts', "const e = require('electron');"],
  ['renderer/x.tsx', "import path from 'path';"],
  ['renderer/x.tsx', "const m = await import('../main/core/store.js');"],
  ['server/x.ts', "import { openCore } from '../main/core/open.js';"],
  ['server/x.ts', "export { app } from 'electron';"],
  // Inside the core: db ← store ← root ← sync ← runbooks ← api, and nothing imports api.
  ['main/core/db/x.ts', "import { EventStore } from '../store/event-store.js';"],
  ['main/core/db/migrations/x.ts', "import { EventStore } from '../../store/event-store.js';"],
  ['main/core/db/x.ts', "import type { Core } from '../open.js';"],
  ['main/core/store/x.ts', "import type { Core } from '../open.js';"],
  ['main/core/store/x.ts', "import { SyncEngine } from '../sync/engine.js';"],
  ['main/core/x.ts', "import { SyncEngine } from './sync/engine.js';"],
  ['main/core/x.ts', "import { HANDLERS } from './api/handlers.js';"],
  ['main/core/sync/x.ts', "import { runbooksOf } from '../runbooks/service.js';"],
  ['main/core/sync/x.ts', "const { callMethod } = await import('../api/handlers.js');"],
  ['main/core/runbooks/x.ts', "import { HANDLERS } from '../api/handlers.js';"],
];

const ALLOWED: Array<[string, string]> = [
  ['main/shell/x.ts', "import { contentSecurityPolicy } from '../static/renderer-files.js';"],
  ['main/web/x.ts', "import { contentSecurityPolicy } from '../static/renderer-files.js';"],
  ['main/shell/x.ts', "import { app } from 'electron';"],
  ['main/core/x.ts', "import { foldIncident } from '../../shared/domain/fold.js';"],
  ['renderer/x.tsx', "import { z } from 'zod';"],
  ['main/core/store/x.ts', "import { openDatabase } from '../db/database.js';"],
  ['main/core/x.ts', "import { EventStore } from './store/event-store.js';"],
  ['main/core/sync/x.ts', "import { eventFromRow } from '../store/event-rows.js';"],
  ['main/core/sync/x.ts', "import type { Core } from '../open.js';"],
  ['main/core/runbooks/x.ts', "import { loadConnection } from '../sync/connection.js';"],
  ['main/core/api/x.ts', "import { RUNBOOK_HANDLERS } from '../runbooks/handlers.js';"],
  ['main/shell/x.ts', "import { createRpcServer } from '../core/api/rpc-server.js';"],
  // Tests may reach across layers to set things up.
  ['main/core/store/x.test.ts', "import { SyncEngine } from '../sync/engine.js';"],
];

describe('layering (docs/architecture.md)', () => {
  it('holds across the whole tree, but for the known exceptions', () => {
    const violations = checkTree(root).filter((v) => !isKnown(v));
    expect(violations.map((v) => `${v.file}: ${v.spec} — ${v.why}`)).toEqual([]);
  });

  it('has no known exception left that the tree no longer needs', () => {
    const found = checkTree(root);
    const stale = KNOWN_EXCEPTIONS.filter((k) => !found.some((v) => same(v, k)));
    expect(stale).toEqual([]);
  });

  it.each(REJECTED)('rejects %s importing %s', (file, source) => {
    expect(checkFile(file, source)).not.toEqual([]);
  });

  it.each(ALLOWED)('allows %s importing %s', (file, source) => {
    expect(checkFile(file, source)).toEqual([]);
  });
});

describe('the ESLint twin (eslint.config.js)', () => {
  /** The layering messages ESLint gives `source` as if it were `file`. */
  async function lint(eslint: ESLint, file: string, source: string): Promise<string[]> {
    const [result] = await eslint.lintText(`${source}\nexport {};\n`, { filePath: path.join(root, file) });
    return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-syntax').map((m) => m.message);
  }

  it('agrees with layering.ts on every example and allows the known exceptions', async () => {
    const eslint = new ESLint({ cwd: root });
    const disagreements: string[] = [];
    for (const [file, source] of REJECTED) if ((await lint(eslint, file, source)).length === 0) disagreements.push(`not flagged: ${file}: ${source}`);
    for (const [file, source] of ALLOWED) for (const m of await lint(eslint, file, source)) disagreements.push(`flagged: ${file}: ${source} — ${m}`);
    for (const k of KNOWN_EXCEPTIONS) for (const m of await lint(eslint, k.file, `import '${k.spec}';`)) disagreements.push(`flagged the known exception ${k.file}: ${k.spec} — ${m}`);
    expect(disagreements).toEqual([]);
  }, 120_000);
});

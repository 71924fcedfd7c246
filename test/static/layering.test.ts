import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { checkFile, checkTree } from './layering.js';

const root = path.resolve(__dirname, '../..');

describe('layering (DESIGN.md)', () => {
  it('holds across the whole tree', () => {
    const violations = checkTree(root);
    expect(violations.map((v) => `${v.file}: ${v.spec} — ${v.why}`)).toEqual([]);
  });

  it.each([
    ['shared/domain/x.ts', "import fs from 'node:fs';"],
    ['shared/domain/x.ts', "import Database from 'better-sqlite3';"],
    ['shared/domain/x.ts', "import { thing } from '../../main/core/db.js';"],
    ['main/core/x.ts', "import { app } from 'electron';"],
    ['main/core/x.ts', "const e = require('electron');"],
    ['renderer/x.tsx', "import path from 'path';"],
    ['renderer/x.tsx', "const m = await import('../main/core/store.js');"],
    ['server/x.ts', "import { openCore } from '../main/core/open.js';"],
    ['server/x.ts', "export { app } from 'electron';"],
    ['main/static/x.ts', "import { protocol } from 'electron';"],
    ['main/static/x.ts', "import { startWebHost } from '../web/web-host.js';"],
  ])('rejects %s importing %s', (file, source) => {
    expect(checkFile(file, source)).not.toEqual([]);
  });

  it.each([
    ['main/shell/x.ts', "import { app } from 'electron';"],
    ['main/core/x.ts', "import { foldIncident } from '../../shared/domain/fold.js';"],
    ['renderer/x.tsx', "import { z } from 'zod';"],
    ['main/shell/x.ts', "import { contentSecurityPolicy } from '../static/renderer-files.js';"],
    ['main/web/x.ts', "import { contentSecurityPolicy } from '../static/renderer-files.js';"],
  ])('allows %s importing %s', (file, source) => {
    expect(checkFile(file, source)).toEqual([]);
  });
});

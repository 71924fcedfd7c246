import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';

/*
 * The layering rules of docs/architecture.md ("Layers"), as code. Each layer lists what it must
 * never import; a relative import is resolved to the layer it lands in. Checked by
 * layering.test.ts in `npm test`. eslint.config.js holds the same rules for editors: change both.
 */
export type Layer = 'shared' | 'main/core' | 'main/shell' | 'main/web' | 'main/static' | 'renderer' | 'server' | 'cli';

const NODE_BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
/** Packages that only run in Node: shared and renderer must not reach for them. */
const NODE_ONLY_PACKAGES = ['better-sqlite3', 'socket.io', 'pg', 'redis', '@socket.io/redis-streams-adapter', 'commander', 'electron-updater'];

interface Rule {
  forbidLayers: Layer[];
  forbidElectron: boolean;
  forbidNode: boolean;
}

export const RULES: Record<Layer, Rule> = {
  shared: { forbidLayers: ['main/core', 'main/shell', 'main/web', 'main/static', 'renderer', 'server', 'cli'], forbidElectron: true, forbidNode: true },
  'main/core': { forbidLayers: ['main/shell', 'main/web', 'main/static', 'renderer', 'server', 'cli'], forbidElectron: true, forbidNode: false },
  'main/shell': { forbidLayers: ['renderer', 'server', 'cli', 'main/web'], forbidElectron: false, forbidNode: false },
  /** The browser host (`conn web`): serves the built renderer and the core over a WebSocket. */
  'main/web': { forbidLayers: ['main/shell', 'renderer', 'server', 'cli'], forbidElectron: true, forbidNode: false },
  /** The built renderer's file server and CSP, shared by app:// (main/shell) and `conn web` (main/web). */
  'main/static': { forbidLayers: ['main/core', 'main/shell', 'main/web', 'renderer', 'server', 'cli'], forbidElectron: true, forbidNode: false },
  renderer: { forbidLayers: ['main/core', 'main/shell', 'main/web', 'main/static', 'server', 'cli'], forbidElectron: true, forbidNode: true },
  server: { forbidLayers: ['main/core', 'main/shell', 'main/web', 'main/static', 'renderer', 'cli'], forbidElectron: true, forbidNode: false },
  cli: { forbidLayers: ['main/shell', 'renderer'], forbidElectron: true, forbidNode: false },
};

export function layerOf(relPath: string): Layer | null {
  const p = relPath.split(path.sep).join('/');
  if (p.startsWith('main/core/')) return 'main/core';
  if (p.startsWith('main/shell/')) return 'main/shell';
  if (p.startsWith('main/web/')) return 'main/web';
  if (p.startsWith('main/static/')) return 'main/static';
  for (const l of ['shared', 'renderer', 'server', 'cli'] as const) if (p.startsWith(`${l}/`)) return l;
  return null;
}

/*
 * Inside main/core the layers run one way: db ← store ← root (open.ts, paths.ts) ← sync ←
 * runbooks ← api. Each lists what it MAY import from the core; everything else in the core is
 * off limits. The root composes db and store into a Core, and sync plugs into that Core's seams,
 * so the root never needs sync. Runbook sharing rides the hub connection sync keeps. transcribe/
 * (the offline speech engines) imports nothing from the core; api runs it. Nothing in
 * the core imports api: the hosts (main/shell/core-process.ts, cli/commands/web.ts) do.
 */
export type CoreLayer = 'db' | 'transcribe' | 'store' | 'root' | 'sync' | 'runbooks' | 'api';

export const CORE_RULES: Record<CoreLayer, CoreLayer[]> = {
  db: [],
  transcribe: [],
  store: ['db'],
  root: ['db', 'store'],
  sync: ['db', 'store', 'root'],
  runbooks: ['db', 'store', 'root', 'sync'],
  api: ['db', 'store', 'root', 'sync', 'runbooks', 'transcribe'],
};

const CORE_FOLDERS = ['db', 'transcribe', 'store', 'sync', 'runbooks', 'api'] as const;

/** The core layer of a path under main/core: a known folder, or 'root' for a file directly in main/core. */
export function coreLayerOf(relPath: string): CoreLayer | null {
  const p = relPath.split(path.sep).join('/');
  if (!p.startsWith('main/core/')) return null;
  const rest = p.slice('main/core/'.length).split('/');
  const isFolder = (CORE_FOLDERS as readonly string[]).includes(rest[0]!);
  if (rest.length === 1 && !isFolder) return rest[0] ? 'root' : null;
  return isFolder ? (rest[0] as CoreLayer) : null;
}

/**
 * Imports that break a rule today, each with why and how to fix it. The tree check tolerates
 * exactly these; an entry that no longer matches an import fails the test, so the list only
 * shrinks. eslint.config.js allows the same ones.
 */
export const KNOWN_EXCEPTIONS: ReadonlyArray<{ file: string; spec: string; why: string }> = [
  {
    file: 'main/core/sync/supervisor.ts',
    spec: '../runbooks/share.js',
    why: 'the supervisor starts the runbook puller beside the event engine; to fix, let the host hand it the puller, or move the supervisor above sync and runbooks',
  },
];

const IMPORT_RE = /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|(?:^|[^\w.])(?:import|require)\s*\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s*['"]([^'"]+)['"]/gm;

export function importsOf(source: string): string[] {
  const out: string[] = [];
  for (const m of source.matchAll(IMPORT_RE)) out.push((m[1] ?? m[2] ?? m[3]) as string);
  return out;
}

export interface Violation {
  file: string;
  spec: string;
  why: string;
}

/** Checks one file's source against its layer's rule. `relPath` is relative to the repo root. */
export function checkFile(relPath: string, source: string): Violation[] {
  const layer = layerOf(relPath);
  if (!layer) return [];
  // Tests of a layer may use Node to set things up; the rule is about what ships.
  if (/\.(test|spec)\.tsx?$/.test(relPath) || relPath.includes('/__tests__/')) return [];
  const rule = RULES[layer];
  const out: Violation[] = [];
  for (const spec of importsOf(source)) {
    const pkg = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!;
    if (rule.forbidElectron && pkg === 'electron') out.push({ file: relPath, spec, why: `${layer} must not import electron (only main/shell may)` });
    if (rule.forbidNode && (NODE_BUILTINS.has(spec) || NODE_BUILTINS.has(pkg) || NODE_ONLY_PACKAGES.includes(pkg))) {
      out.push({ file: relPath, spec, why: `${layer} must run outside Node; "${spec}" is Node-only` });
    }
    if (spec.startsWith('.')) {
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(relPath.split(path.sep).join('/')), spec));
      const targetLayer = layerOf(target + (target.endsWith('/') ? '' : '/x'));
      const resolved = layerOf(target) ?? targetLayer;
      if (resolved && rule.forbidLayers.includes(resolved)) out.push({ file: relPath, spec, why: `${layer} must not import from ${resolved}` });
      const from = coreLayerOf(relPath);
      const to = coreLayerOf(target);
      if (from && to && from !== to && !CORE_RULES[from].includes(to)) {
        out.push({ file: relPath, spec, why: `main/core ${from} must not import from main/core ${to} (${from} may import: ${CORE_RULES[from].join(', ') || 'nothing else in the core'})` });
      }
    }
  }
  return out;
}

function walk(dir: string, out: string[]): void {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) walk(full, out);
    else if (/\.(ts|tsx|mts|cts)$/.test(name)) out.push(full);
  }
}

export function checkTree(root: string): Violation[] {
  const files: string[] = [];
  for (const top of ['shared', 'main', 'renderer', 'server', 'cli']) {
    try {
      walk(path.join(root, top), files);
    } catch {
      /* layer absent */
    }
  }
  return files.flatMap((f) => checkFile(path.relative(root, f), readFileSync(f, 'utf8')));
}

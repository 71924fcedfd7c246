import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';

/*
 * The layering rules of DESIGN.md, as code. Each layer lists what it must never import; a
 * relative import is resolved to the layer it lands in. Checked by layering.test.ts in `npm test`.
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

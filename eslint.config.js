// Lint: typescript-eslint's recommended rules, React hooks, and the layering rules (below).
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

/*
 * The layering rules of docs/architecture.md ("Layers"), so an editor underlines a bad import as
 * it is typed. This is the twin of test/static/layering.ts, which `npm test` runs over the whole
 * tree: change both (layering.test.ts checks that they agree on its examples).
 *
 * no-restricted-imports sees an import as written, not where it lands, so each rule is compiled
 * per folder depth: from main/core/db/migrations/x.ts, main/core/store is '../../store/…'. Files
 * up to MAX_DEPTH folders below their layer are covered; layering.ts checks any depth.
 * import() and require() are not seen by no-restricted-imports; no-restricted-syntax takes them.
 */

/** What each room must never import from. */
const ROOMS = {
  shared: { never: ['main/core', 'main/shell', 'main/web', 'main/static', 'renderer', 'server', 'cli'], electron: true, node: true },
  'main/core': { never: ['main/shell', 'main/web', 'main/static', 'renderer', 'server', 'cli'], electron: true },
  'main/static': { never: ['main/core', 'main/shell', 'main/web', 'renderer', 'server', 'cli'], electron: true },
  'main/shell': { never: ['renderer', 'server', 'cli', 'main/web'] },
  'main/web': { never: ['main/shell', 'renderer', 'server', 'cli'], electron: true },
  renderer: { never: ['main/core', 'main/shell', 'main/web', 'main/static', 'server', 'cli'], electron: true, node: true },
  server: { never: ['main/core', 'main/shell', 'main/web', 'main/static', 'renderer', 'cli'], electron: true },
  cli: { never: ['main/shell', 'renderer'], electron: true },
};

/** Inside main/core, what each layer MAY import from the rest of the core: db ← store ← root ← sync ← runbooks ← api. */
const CORE = {
  db: [],
  transcribe: [],
  store: ['db'],
  root: ['db', 'store'],
  sync: ['db', 'store', 'root'],
  runbooks: ['db', 'store', 'root', 'sync'],
  api: ['db', 'store', 'root', 'sync', 'runbooks', 'transcribe'],
};

/** Imports that break a rule today; the same list as KNOWN_EXCEPTIONS in test/static/layering.ts. */
const EXCEPTIONS = [{ file: 'main/core/sync/supervisor.ts', allow: 'runbooks' }];

/** Packages that only run in Node: shared and renderer must not reach for them. */
const NODE_ONLY_PACKAGES = ['better-sqlite3', 'socket.io', 'pg', 'redis', '@socket.io/redis-streams-adapter', 'commander', 'electron-updater'];

const MAX_DEPTH = 5;
const SOURCES = '*.{ts,tsx,mts,cts}';
const TESTS = ['**/*.test.ts', '**/*.test.tsx', '**/*.spec.ts', '**/*.spec.tsx', '**/__tests__/**'];
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A regex matching every relative import, written from a file `depth` folders below `from`, that
 * lands in folder `to` (or, with `filesOnly`, on a file directly in `to`). It climbs to each
 * ancestor of the file that is also an ancestor of `to`, then descends.
 */
function landsIn(from, depth, to, filesOnly = false) {
  const fromParts = from.split('/');
  const toParts = to.split('/');
  const alternatives = [];
  for (let up = depth; up <= depth + fromParts.length; up++) {
    const base = fromParts.slice(0, fromParts.length - (up - depth));
    if (!base.every((part, i) => toParts[i] === part)) continue;
    const rest = toParts.slice(base.length).join('/');
    const climb = up === 0 ? './' : '../'.repeat(up);
    if (filesOnly) alternatives.push(`${escape(climb + rest)}${rest ? '/' : ''}[^/.][^/]*$`);
    else if (rest) alternatives.push(`${escape(climb + rest)}(?:/|$)`);
  }
  return `^(?:${alternatives.join('|')})`;
}

const bare = (names) => `^(?:${names.map(escape).join('|')})(?:/|$)`;

/** The restrictions of one room (and core layer), for files `depth` folders below `dir`. */
function restrictions(room, dir, depth, coreLayer, allow) {
  const r = ROOMS[room];
  const out = r.never.map((to) => ({ regex: landsIn(dir, depth, to), message: `${room} must not import from ${to} (docs/architecture.md, "Layers").` }));
  if (r.electron) out.push({ regex: bare(['electron']), message: `${room} must not import electron: only main/shell may.` });
  if (r.node) {
    out.push({ regex: `^node:|${bare(builtinModules)}`, message: `${room} must run outside Node: Node built-ins are off limits.` });
    out.push({ regex: bare(NODE_ONLY_PACKAGES), message: `${room} must run outside Node: this package is Node-only.` });
  }
  if (coreLayer) {
    for (const to of Object.keys(CORE)) {
      if (to === coreLayer || CORE[coreLayer].includes(to) || to === allow) continue;
      const regex = to === 'root' ? landsIn(dir, depth, 'main/core', true) : landsIn(dir, depth, `main/core/${to}`);
      out.push({ regex, message: `main/core ${coreLayer} must not import from main/core ${to}: the core runs db ← store ← root ← sync ← runbooks ← api (docs/architecture.md).` });
    }
  }
  return out;
}

/** esquery has no '/' inside a regex literal; \x2F is the same character. */
const selectorRegex = (regex) => `/${regex.replaceAll('/', '\\x2F')}/`;

function layerConfig(files, room, dir, depth, coreLayer, allow) {
  const patterns = restrictions(room, dir, depth, coreLayer, allow).map((p) => ({ ...p, caseSensitive: true }));
  const dynamic = patterns.flatMap(({ regex, message }) => [
    { selector: `ImportExpression[source.value=${selectorRegex(regex)}]`, message },
    { selector: `CallExpression[callee.name='require'][arguments.0.value=${selectorRegex(regex)}]`, message },
  ]);
  return {
    files,
    ignores: TESTS,
    rules: { 'no-restricted-imports': ['error', { patterns }], 'no-restricted-syntax': ['error', ...dynamic] },
  };
}

const depths = Array.from({ length: MAX_DEPTH + 1 }, (_, d) => d);
const under = (dir, depth) => `${dir}/${'*/'.repeat(depth)}${SOURCES}`;

// Later objects win, so the core's layers come after the room they refine, and exceptions last.
const layering = [
  ...Object.keys(ROOMS).flatMap((room) => depths.map((d) => layerConfig([under(room, d)], room, room, d))),
  layerConfig([under('main/core', 0)], 'main/core', 'main/core', 0, 'root'),
  ...Object.keys(CORE)
    .filter((l) => l !== 'root')
    .flatMap((l) => depths.map((d) => layerConfig([under(`main/core/${l}`, d)], 'main/core', `main/core/${l}`, d, l))),
  ...EXCEPTIONS.map(({ file, allow }) => {
    const [, layer, rest] = /^main\/core\/([^/]+)\/(.+)$/.exec(file);
    return layerConfig([file], 'main/core', `main/core/${layer}`, rest.split('/').length - 1, layer, allow);
  }),
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'release/**', 'out/**', 'test-results/**', 'playwright-report/**', '.conn-dev/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/consistent-type-imports': 'off',
      'no-empty': ['error', { allowEmptyCatch: true }],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'warn' },
  },
  ...layering,
);

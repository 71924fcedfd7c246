import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

/*
 * The release workflow (.github/workflows/release.yml) runs only on GitHub's runners, never
 * here: our build machines cannot reach Electron's downloads. So its shape is checked here
 * instead, against the files it relies on: the three OSes, the tests and the Electron smoke test
 * on Linux in an order that works, and no command that package.json does not provide.
 */

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const read = (f: string) => readFileSync(path.join(root, f), 'utf8');

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}
interface Job {
  'runs-on': string;
  strategy?: { matrix?: Record<string, unknown> };
  steps: Step[];
}
interface Workflow {
  on: { push?: { tags?: string[] }; workflow_dispatch?: unknown };
  jobs: Record<string, Job>;
}

const workflow = parse(read('.github/workflows/release.yml')) as Workflow;
const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string>; dependencies: Record<string, string>; devDependencies: Record<string, string> };
const builder = parse(read('electron-builder.yml')) as { directories: { output: string } };
const jobs = Object.entries(workflow.jobs);

/** The runner labels a job runs on, its matrix expanded. */
function runnersOf(job: Job): string[] {
  const m = /^\$\{\{\s*matrix\.(\w+)\s*\}\}$/.exec(job['runs-on']);
  return m ? (job.strategy!.matrix![m[1]!] as string[]) : [job['runs-on']];
}

/**
 * A `run:` block as commands, each a list of words: split at newlines, `&&`, `||`, `;` and `|`
 * outside quotes, with redirections and their targets dropped. Enough shell for this file.
 */
function commandsOf(run: string): string[][] {
  const commands: string[][] = [];
  let words: string[] = [];
  let word = '';
  let quote: string | null = null;
  let depth = 0; // parentheses open inside a quoted $( … ), where quotes nest
  let redirect = false;
  const endWord = () => {
    if (word !== '' && redirect) redirect = false;
    else if (word !== '') words.push(word);
    word = '';
  };
  const endCommand = () => {
    endWord();
    if (words.length) commands.push(words);
    words = [];
  };
  for (let i = 0; i < run.length; i++) {
    const c = run[i]!;
    const two = run.slice(i, i + 2);
    if (quote) {
      if (depth === 0 && two === '$(') {
        depth = 1;
        word += '$';
        i++;
      } else if (depth > 0 && c === '(') depth++;
      else if (depth > 0 && c === ')') depth--;
      else if (depth === 0 && c === quote) quote = null;
      word += run[i];
    } else if (c === '"' || c === "'") {
      quote = c;
      word += c;
    } else if (two === '&&' || two === '||') {
      endCommand();
      i++;
    } else if (c === '\n' || c === ';' || c === '|') endCommand();
    else if (c === '>') {
      endWord();
      redirect = true;
      if (run[i + 1] === '>') i++;
    } else if (c === ' ' || c === '\t') endWord();
    else word += c;
  }
  endCommand();
  return commands;
}

/** Every executable the project's own dependencies install in node_modules/.bin. */
function dependencyBins(): Set<string> {
  const bins = new Set<string>();
  for (const name of Object.keys({ ...pkg.dependencies, ...pkg.devDependencies })) {
    const file = path.join(root, 'node_modules', name, 'package.json');
    if (!existsSync(file)) continue;
    const bin = (JSON.parse(readFileSync(file, 'utf8')) as { bin?: string | Record<string, string> }).bin;
    if (typeof bin === 'string') bins.add(name.replace(/^@[^/]+\//, ''));
    else for (const b of Object.keys(bin ?? {})) bins.add(b);
  }
  return bins;
}

const BINS = dependencyBins();

/** Why a command is not one this project provides, or null when it is. */
function unknownCommand(words: string[]): string | null {
  const [cmd, ...args] = words;
  switch (cmd) {
    case 'npm': {
      const [sub, name] = args;
      if (sub === 'ci') return null; // exactly the lockfile
      if (sub === 'test' || sub === 'start') return pkg.scripts[sub] ? null : `npm ${sub}: package.json has no "${sub}" script`;
      if (sub === 'run' || sub === 'run-script') return name && pkg.scripts[name] ? null : `npm run ${name}: package.json has no such script`;
      return `npm ${sub}: only npm ci and package.json's scripts belong in the release workflow`;
    }
    case 'npx':
      // A name that is not one of our dependencies' bins would be fetched from the registry.
      return args[0] && BINS.has(args[0]) ? null : `npx ${args[0]}: not a command any dependency in package.json provides`;
    case 'xvfb-run': {
      const rest = [...args];
      while (rest[0]?.startsWith('-')) rest.shift();
      return unknownCommand(rest);
    }
    case 'node':
      return args[0] === '-e' || (args[0] !== undefined && existsSync(path.join(root, args[0]))) ? null : `node ${args[0]}: no such file`;
    case 'echo':
      return null;
    default:
      return `${cmd}: not a command the workflow may assume`;
  }
}

/** The index of the first step whose `run:` matches, or -1. */
const stepIndex = (job: Job, pattern: RegExp) => job.steps.findIndex((s) => s.run !== undefined && pattern.test(s.run));

const SMOKE = /^xvfb-run\b.*\bnpx playwright test test\/e2e\/electron-smoke\.spec\.ts$/;

describe('the release workflow', () => {
  it('runs on version tags and by hand', () => {
    expect(workflow.on.push?.tags).toEqual(['v*']);
    expect('workflow_dispatch' in workflow.on).toBe(true);
  });

  it('builds on Linux, macOS and Windows runners', () => {
    const runners = jobs.flatMap(([, job]) => runnersOf(job));
    for (const os of ['ubuntu', 'macos', 'windows']) expect([os, runners.some((r) => r.startsWith(`${os}-`))]).toEqual([os, true]);
  });

  it('checks out, sets up Node 20, installs from the lockfile, packages for its OS and uploads the installers, in every job', () => {
    for (const [name, job] of jobs) {
      const uses = job.steps.map((s) => s.uses?.replace(/@.*/, ''));
      expect([name, uses[0], uses[1]]).toEqual([name, 'actions/checkout', 'actions/setup-node']);
      expect([name, String(job.steps[1]!.with?.['node-version'])]).toEqual([name, '20']);
      const order = [/^npm ci$/, /^npx electron-builder install-app-deps$/, /^npm run dist -- --publish never$/].map((p) => stepIndex(job, p));
      expect([name, order.every((i) => i >= 0), [...order].sort((a, b) => a - b)]).toEqual([name, true, order]);
      const upload = job.steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'));
      const paths = String(upload?.with?.['path'] ?? '').split('\n').filter(Boolean);
      expect([name, paths.length > 0, paths.every((p) => p.startsWith(`${builder.directories.output}/`))]).toEqual([name, true, true]);
      // electron-builder publishes on a tag by default: releasing is a person's decision.
      expect([name, stepIndex(job, /^npm run dist(?! -- --publish never$)/)]).toEqual([name, -1]);
    }
  });

  it('runs npm test on Linux only, then the Electron smoke test under a virtual display after packaging', () => {
    const testing = jobs.filter(([, job]) => stepIndex(job, /^npm test$/) >= 0);
    expect(testing.length).toBe(1);
    const [, linux] = testing[0]!;
    expect(runnersOf(linux).every((r) => r.startsWith('ubuntu-'))).toBe(true);
    expect(existsSync(path.join(root, 'test/e2e/electron-smoke.spec.ts'))).toBe(true);
    // npm test before the runtime is fetched and better-sqlite3 rebuilt for Electron (the tests
    // need it built for Node); the smoke test after both.
    const at = {
      test: stepIndex(linux, /^npm test$/),
      runtime: stepIndex(linux, /^npx install-electron$/),
      rebuild: stepIndex(linux, /^npx electron-builder install-app-deps$/),
      dist: stepIndex(linux, /^npm run dist\b/),
      smoke: stepIndex(linux, SMOKE),
    };
    expect(Object.values(at).every((i) => i >= 0)).toBe(true);
    expect(at.test < at.runtime && at.test < at.rebuild && at.runtime < at.smoke && at.rebuild < at.smoke && at.dist < at.smoke).toBe(true);
    // playwright.config.ts needs a Chromium even for the smoke test: CONN_CHROMIUM, set before npm test.
    expect(stepIndex(linux, /CONN_CHROMIUM=.*>> "\$GITHUB_ENV"/)).toBeGreaterThanOrEqual(0);
    expect(stepIndex(linux, /CONN_CHROMIUM=/)).toBeLessThan(at.test);
    for (const [name, job] of jobs.filter(([, j]) => j !== linux)) expect([name, stepIndex(job, SMOKE)]).toEqual([name, -1]);
  });

  it('runs only npm ci, package.json scripts and commands our dependencies provide', () => {
    const problems: string[] = [];
    for (const [name, job] of jobs) {
      for (const step of job.steps) {
        if (step.run === undefined) continue;
        for (const words of commandsOf(step.run)) {
          const why = unknownCommand(words);
          if (why) problems.push(`${name}: ${why}`);
        }
        for (const [, mod] of step.run.matchAll(/require\('([^']+)'\)/g)) {
          if (!(mod! in { ...pkg.dependencies, ...pkg.devDependencies })) problems.push(`${name}: require('${mod}') is not a dependency in package.json`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('never rebuilds native modules for Electron on install: the CLI and the tests need them built for Node', () => {
    const hooks = ['preinstall', 'install', 'postinstall', 'prepare', 'preprepare', 'postprepare'];
    expect(hooks.filter((h) => /install-app-deps|electron-rebuild/.test(pkg.scripts[h] ?? ''))).toEqual([]);
    expect(jobs.flatMap(([, job]) => job.steps).filter((s) => /postinstall/.test(s.run ?? ''))).toEqual([]);
  });

  it('reads a run block as the commands a shell would run', () => {
    // The checks above are only as good as this.
    expect(commandsOf(`npm ci && npx foo --bar || echo "a && $(node -e "f('x')") b" >> "$GITHUB_ENV"\nxvfb-run -a npx playwright test x.spec.ts | tee log`)).toEqual([
      ['npm', 'ci'],
      ['npx', 'foo', '--bar'],
      ['echo', `"a && $(node -e "f('x')") b"`],
      ['xvfb-run', '-a', 'npx', 'playwright', 'test', 'x.spec.ts'],
      ['tee', 'log'],
    ]);
    expect(unknownCommand(['npm', 'run', 'no-such-script'])).toMatch(/no such script/);
    expect(unknownCommand(['npx', 'cowsay'])).toMatch(/not a command any dependency/);
    expect(unknownCommand(['npm', 'install', 'left-pad'])).toMatch(/only npm ci/);
    expect(unknownCommand(['xvfb-run', '-a', 'npx', 'cowsay'])).toMatch(/not a command any dependency/);
    expect(unknownCommand(['npx', 'electron-builder', 'install-app-deps'])).toBeNull();
  });
});

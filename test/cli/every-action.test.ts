import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { METHODS, type Method } from '../../shared/api/contract.js';
import { EVENT_KINDS, type EventKind } from '../../shared/domain/events.js';

/*
 * "Every API action is a CLI command": each method of the contract is called by some command
 * through the API client, and each event kind is appended by some command through
 * events.append. A new method or kind fails here until a command calls it, or it is listed below
 * with why a terminal does it another way.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Methods that need a long-running host (an engine, a window): the CLI's own command does the same. */
const HOST_EQUIVALENTS: Partial<Record<Method, string>> = {
  'sync.connect': '`conn connect` checks the hub and saves the connection; sync.connect also starts an engine, and conn runs none between commands',
  'sync.disconnect': '`conn disconnect` forgets the hub and its token; sync.disconnect also stops a running engine',
  'sync.status': "the running engine's state; `conn sync` reports each run, `conn refused` what the hub refused",
  'presence.watch': 'who is looking at an incident needs a running hub connection; a one-shot command has none (the app shows presence)',
  'presence.get': 'the same: only a running cockpit is present anywhere',
  'recordings.start': "recording takes the microphone of a running cockpit (the call bar's Record); the terminal lists, shares, fetches and deletes recordings",
  'recordings.chunk': 'the audio a running recording sends, every second and a half',
  'recordings.stop': "the call bar's Stop, on the cockpit that records",
};

/** Kinds written by a method of their own rather than by events.append. */
const WRITTEN_BY_METHOD: Partial<Record<EventKind, Method>> = {
  'incident.declared': 'incidents.declare',
  'runbook.attached': 'runbooks.attach',
  // Ending a call also drafts its minutes (main/core/api/calls.ts).
  'call.ended': 'calls.end',
  'recording.started': 'recordings.start',
  'recording.stopped': 'recordings.stop',
  'recording.shared': 'recordings.share',
  'transcript.redacted': 'transcript.redact',
};

function cliSources(): string {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, name.name);
      if (name.isDirectory()) walk(full);
      else if (/\.ts$/.test(name.name) && !/\.test\.ts$/.test(name.name)) files.push(full);
    }
  };
  walk(path.join(root, 'cli'));
  return files.map((f) => readFileSync(f, 'utf8')).join('\n');
}

describe('every API action is a conn command', () => {
  const source = cliSources();
  const called = new Set([...source.matchAll(/api\.call\(\s*'([A-Za-z.]+)'/g)].map((m) => m[1]));
  // append(g, ref, 'kind', …) (cli/append.ts), textCommand(program, name, 'kind', …) in entries.ts, or
  // { kind: 'kind' } in a direct events.append.
  const appended = new Set(
    [
      ...source.matchAll(/append\(\s*[\w.()]+,\s*\w+,\s*'([a-z.-]+)'/g),
      ...source.matchAll(/textCommand\(program, '[a-z-]+', '([a-z.-]+)'/g),
      ...source.matchAll(/kind:\s*'([a-z.-]+)'/g),
    ].map((m) => m[1]),
  );

  it('calls each method of the contract, or has a command of its own for it', () => {
    const missing = (Object.keys(METHODS) as Method[]).filter((m) => !called.has(m) && !HOST_EQUIVALENTS[m]);
    expect(missing).toEqual([]);
    // An exception the CLI no longer needs goes from the list.
    expect(Object.keys(HOST_EQUIVALENTS).filter((m) => called.has(m))).toEqual([]);
  });

  it('appends each event kind, or calls the method that writes it', () => {
    // A kind written by a method the terminal cannot call (HOST_EQUIVALENTS says why) counts as reached.
    const reached = (m: Method | undefined) => m !== undefined && (called.has(m) || HOST_EQUIVALENTS[m] !== undefined);
    const missing = EVENT_KINDS.filter((k) => !appended.has(k) && !reached(WRITTEN_BY_METHOD[k]));
    expect(missing).toEqual([]);
  });

  it('reaches the core only through the API, but for the host-only work named in cli/commands', () => {
    // Writes to the event log from the CLI go through events.append: never the store itself.
    expect(source).not.toMatch(/\.appendLocal\(/);
    expect(source).not.toMatch(/core\.(incidents|events|profile)\./);
  });
});

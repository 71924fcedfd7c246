import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildBin, conn } from '../sync/conn-bin.js';

/*
 * The deployment files in deploy/ are documentation people copy: check that the commands they run
 * are ones this Conn has, with flags it accepts, and that the health check asks a route the hub
 * serves. (Building the container needs the node image from a registry this machine cannot
 * reach, so the image itself is not built here.)
 */

const root = path.resolve(__dirname, '../..');
const read = (f: string) => readFileSync(path.join(root, f), 'utf8');
let serveHelp = '';
let globalHelp = '';

beforeAll(() => {
  buildBin();
  serveHelp = conn('/tmp', ['hub', 'serve', '--help']).stdout;
  globalHelp = conn('/tmp', ['--help']).stdout;
}, 60_000);

function flagsIn(args: string[]): string[] {
  return args.filter((a) => a.startsWith('--'));
}

describe('deploy/', () => {
  it('the systemd unit runs `conn hub serve` with flags it has, drains on SIGTERM and keeps its data dir private', () => {
    const unit = read('deploy/conn-hub.service');
    const exec = /^ExecStart=\/usr\/bin\/env conn (.+)$/m.exec(unit)?.[1];
    expect(exec).toBeDefined();
    const args = exec!.split(/\s+/);
    expect(args.slice(2, 4)).toEqual(['hub', 'serve']);
    expect(globalHelp).toContain('--data-dir');
    for (const f of flagsIn(args.slice(4))) expect(serveHelp).toContain(f);
    expect(unit).toMatch(/^KillSignal=SIGTERM$/m);
    expect(unit).toMatch(/^UMask=0077$/m);
  });

  it('the container file runs the same command, stops with SIGTERM, and its health check asks /readyz', () => {
    const file = read('deploy/Containerfile');
    const entry = JSON.parse(/^ENTRYPOINT (\[.+\])$/m.exec(file)![1]!) as string[];
    expect(entry.slice(0, 2)).toEqual(['node', 'bin/conn.js']);
    expect(entry.slice(4, 6)).toEqual(['hub', 'serve']);
    for (const f of flagsIn(entry.slice(6))) expect(serveHelp).toContain(f);
    expect(file).toMatch(/^STOPSIGNAL SIGTERM$/m);
    expect(file).toMatch(/HEALTHCHECK[\s\S]+\/readyz/);
    expect(read('server/hub/http-routes.ts')).toContain("'/readyz'");
  });
});

// `simulate` never outlives what started it: a signal (SIGTERM, SIGINT, SIGHUP) ends it cleanly,
// and when its parent is killed outright (SIGKILL: no signal is passed on) it notices and ends,
// together with everything it started (tsx's launcher, esbuild's service, socat where socat made
// the pty), whether it was started with node or through the tsx launcher as the README shows.

import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { descendants, isAlive, spawnTracked, stopAll, waitUntilGone } from '../support/processes';
import { canOpenPseudoTerminal } from '@epassport/hardware/sim/pty';
import { READ_TIMEOUT_MS, ROOT, SOURCE_NODE_ARGS, firmwareBundle, startSimulator } from '../support/virtual-reader';

// Not afterEach: the tests run concurrently, and each one's processes end by themselves.
afterAll(stopAll);

const SIMULATE = join(ROOT, 'hardware/bin/simulate.ts');
const TSX = join(ROOT, 'node_modules/.bin/tsx');

describe.skipIf(!canOpenPseudoTerminal())('simulate ends with its parent', () => {
  it.concurrent.each(['SIGTERM', 'SIGINT', 'SIGHUP'] as const)('exits 0 on %s and leaves no process behind', async (signal) => {
    const sim = await startSimulator('utopia-anna', 'pico');
    const tree = descendants(sim.process.pid);
    process.kill(sim.simulatorPid, signal);
    expect(await sim.process.exited, sim.process.output()).toEqual({ code: 0, signal: null });
    expect(await waitUntilGone([sim.process.pid, ...tree.map((t) => t.pid)]), 'still running').toEqual([]);
  }, READ_TIMEOUT_MS);

  const launchers: Record<string, (bundle: string) => string[]> = {
    'node --import tsx': (bundle) => [process.execPath, ...SOURCE_NODE_ARGS, SIMULATE, '--document', 'utopia-anna', '--bundle', bundle],
    'the tsx launcher': (bundle) => [TSX, '--conditions=@epassport/source', SIMULATE, '--document', 'utopia-anna', '--bundle', bundle],
  };
  it.concurrent.each(Object.keys(launchers))('ends when its parent is killed with SIGKILL (started by %s)', async (how) => {
    const [command, ...args] = launchers[how](await firmwareBundle());
    // A parent that starts simulate, passes its output on, and is then killed without warning.
    const parentScript = `const c = require('node:child_process').spawn(${JSON.stringify(command)}, ${JSON.stringify(args)}, { stdio: ['ignore', 'inherit', 'inherit'] }); setInterval(() => {}, 1000);`;
    const parent = spawnTracked(process.execPath, ['-e', parentScript], { cwd: ROOT });
    await parent.waitForLine('stdout', /^serial: \/dev\/pts\/\d+$/);
    const tree = descendants(parent.pid);
    expect(tree.length, JSON.stringify(tree)).toBeGreaterThan(0);
    process.kill(parent.pid, 'SIGKILL'); // the parent only, not its process group
    // Half a second of polling in simulate, then a clean close of the pty.
    expect(await waitUntilGone(tree.map((t) => t.pid), 10_000), 'still running: ' + JSON.stringify(tree.filter((t) => isAlive(t.pid)))).toEqual([]);
  }, READ_TIMEOUT_MS);
});

// `npm start` once, as a user runs it, on a PATH without socat (a fresh machine has only Node):
// it builds the firmware, starts simulate.ts on a pseudo-terminal, reads it with the CLI, and must
// say VERIFIED and save the files and the face; afterwards nothing of it may be left running.

import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { expectVerifiedOutDir } from '../support/expect-read';
import { descendants, spawnTracked, stopAll, waitUntilGone } from '../support/processes';
import { requireTool } from '../support/requires-tool';
import { READ_TIMEOUT_MS, ROOT } from '../support/virtual-reader';

const work = mkdtempSync(join(tmpdir(), 'e2e-demo-'));
afterEach(stopAll);
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A directory of links to every program on PATH except `missing`: PATH as it is, less one tool. */
function pathWithout(missing: string): string {
  const bin = join(work, 'bin');
  mkdirSync(bin, { recursive: true });
  for (const dir of (process.env.PATH ?? '').split(':')) {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of names) {
      if (name === missing || existsSync(join(bin, name))) continue;
      try {
        if (statSync(join(dir, name)).isFile()) symlinkSync(join(dir, name), join(bin, name));
      } catch {
        // a dangling link or a name taken by an earlier directory
      }
    }
  }
  return bin;
}

describe.skipIf(!requireTool(['pty', 'openssl'], 'e2e: npm start (demo.ts)'))('npm start', () => {
  it('reads the sample passport with no socat on PATH: exit 0, VERIFIED, files and face saved', async () => {
    const out = join(work, 'out');
    const PATH = pathWithout('socat');
    expect(existsSync(join(PATH, 'node')) && existsSync(join(PATH, 'npm')) && !existsSync(join(PATH, 'socat'))).toBe(true);
    const demo = spawnTracked('npm', ['start', '--', '--out', out], { cwd: ROOT, env: { ...process.env, PATH } });
    // While it runs, the virtual reader is its descendant; afterwards nothing of it may be left.
    await demo.waitForLine('stdout', /^Virtual reader on \/dev\/pts\/\d+$/, { timeoutMs: 4 * READ_TIMEOUT_MS });
    const tree = descendants(demo.pid);
    expect(tree.some((p) => p.command === 'socat')).toBe(false);
    const exit = await demo.exited;
    expect(exit, demo.output()).toEqual({ code: 0, signal: null });
    expect(demo.stdout).toContain('VERIFIED');
    expect(demo.stdout.at(-1)).toMatch(/^Data groups and face image saved in .*out\/$/);
    expectVerifiedOutDir(out, 'utopia-anna');
    expect([...readFileSync(join(out, 'face.jpg')).subarray(0, 2)]).toEqual([0xff, 0xd8]);
    expect(await waitUntilGone(tree.map((p) => p.pid)), 'still running').toEqual([]);
  }, 6 * READ_TIMEOUT_MS);
});

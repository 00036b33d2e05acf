// `npm start`'s script once, as a user runs it (after `npm run build -w firmware`, which `npm
// test` has done): it starts simulate.ts, reads it with the CLI, and must say VERIFIED and save
// the files and the face.

import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { expectVerifiedOutDir } from '../support/expect-read';
import { descendants, skipWithoutPty, spawnTracked, stopAll, waitUntilGone } from '../support/processes';
import { READ_TIMEOUT_MS, ROOT, TSX } from '../support/virtual-reader';

const work = mkdtempSync(join(tmpdir(), 'e2e-demo-'));
afterEach(stopAll);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe.skipIf(skipWithoutPty())('npm start (test/scripts/demo.ts)', () => {
  it('reads the sample passport through the virtual reader: exit 0, VERIFIED, files and face saved', async () => {
    const out = join(work, 'out');
    const demo = spawnTracked(TSX, [join(ROOT, 'test/scripts/demo.ts'), '--out', out], { cwd: ROOT });
    // While it runs, the virtual reader is its child; afterwards nothing of it may be left.
    await demo.waitForLine('stdout', /^Virtual reader on \/dev\/pts\/\d+$/);
    const tree = descendants(demo.pid);
    expect(tree.some((p) => p.command === 'socat')).toBe(true);
    const exit = await demo.exited;
    expect(exit, demo.output()).toEqual({ code: 0, signal: null });
    expect(demo.stdout).toContain('VERIFIED');
    expect(demo.stdout.at(-1)).toMatch(/^Data groups and face image saved in .*out\/$/);
    expectVerifiedOutDir(out, 'utopia-anna');
    expect(existsSync(join(out, 'face.jpg'))).toBe(true);
    expect([...readFileSync(join(out, 'face.jpg')).subarray(0, 2)]).toEqual([0xff, 0xd8]);
    expect(await waitUntilGone(tree.map((p) => p.pid)), 'still running').toEqual([]);
  }, READ_TIMEOUT_MS);
});

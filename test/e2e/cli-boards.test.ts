// The CLI as a user runs it, against the virtual reader as a user runs it (simulate.ts in its own
// process, on a real pseudo-terminal), over each PN532 wiring: HSU (pico), I2C (pico-i2c) and SPI
// (pico-spi), and the JPEG 2000 sample. The four run at the same time, each with its own simulator:
// a read mostly waits on the pty (~2-4 s of real time, well under a core), and vitest runs test
// files one after another on a 2-core machine.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PNG } from 'pngjs';
import { loadFixture } from '@epassport/hardware/fixtures/index';
import { expectVerifiedOutDir } from '../support/expect-read';
import { stopAll } from '../support/processes';
import { requireTool } from '../support/requires-tool';
import { cscaPath, mrzOf, READ_TIMEOUT_MS, runCli, startSimulator } from '../support/virtual-reader';

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'e2e-cli-'));
});
afterAll(async () => {
  await stopAll(); // whatever a failed test left running
  rmSync(work, { recursive: true, force: true });
});

function readArgs(path: string, document: string, out: string): string[] {
  return ['read', '--port', path, '--mrz', mrzOf(loadFixture(document)), '--trust', cscaPath(document), '--out', out];
}

describe.skipIf(!requireTool(['pty', 'openssl'], 'e2e: the CLI reading over HSU, I2C and SPI, and the JPEG 2000 sample')).concurrent('passport-reader read against simulate.ts on a pty', () => {
  for (const board of ['pico', 'pico-i2c', 'pico-spi']) {
    it(`reads, verifies and saves utopia-anna over ${board}`, async () => {
      const sim = await startSimulator('utopia-anna', board);
      const out = join(work, board);
      const cli = runCli(readArgs(sim.path, 'utopia-anna', out));
      const { code, stdout, stderr } = await cli.result;
      expect(code, stdout + stderr).toBe(0);
      expect(stdout.split('\n')).toContain('VERIFIED');
      // Progress (stderr, plain lines when not a terminal): every file, device and host agreeing.
      for (const line of ['authenticating (BAC)', 'read EF.COM (23 bytes)', 'read DG1 (93 bytes, hash match)', 'read DG15 (165 bytes, hash match)']) {
        expect(stderr.split('\n')).toContain(line);
      }
      expect(stderr).toMatch(/^read EF\.SOD \(\d+ bytes\)$/m);
      expect(stderr).toMatch(/^read DG2 \(\d+ bytes, hash match\)$/m);
      expectVerifiedOutDir(out, 'utopia-anna');
      const face = readFileSync(join(out, 'face.jpg'));
      expect([...face.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]); // a JPEG
      // The simulator stayed healthy: no uncaught firmware error.
      expect(sim.process.stderr.filter((l) => l.startsWith('firmware:'))).toEqual([]);
      expect(await sim.stop()).toEqual({ code: 0, signal: null });
    }, READ_TIMEOUT_MS);
  }

  it('reads the JPEG 2000 sample and writes a decodable face.png', async () => {
    const sim = await startSimulator('utopia-jp2', 'pico');
    const out = join(work, 'jp2');
    const { code, stdout, stderr } = await runCli(readArgs(sim.path, 'utopia-jp2', out)).result;
    expect(code, stdout + stderr).toBe(0);
    expect(stdout).toMatch(/^Face: +image\/jp2 240x320 .*viewable as image\/png$/m);
    expectVerifiedOutDir(out, 'utopia-jp2');
    const jp2 = readFileSync(join(out, 'face.jp2'));
    expect(jp2.subarray(4, 8).toString('latin1')).toBe('jP  '); // JP2 signature box
    const png = PNG.sync.read(readFileSync(join(out, 'face.png')));
    expect([png.width, png.height]).toEqual([240, 320]);
    expect(png.data.length).toBe(240 * 320 * 4);
    // A drawn face, not a blank page: the picture has contrast.
    let min = 255;
    let max = 0;
    for (let i = 0; i < png.data.length; i += 4) {
      min = Math.min(min, png.data[i]);
      max = Math.max(max, png.data[i]);
    }
    expect(max - min).toBeGreaterThan(64);
    expect(await sim.stop()).toEqual({ code: 0, signal: null });
  }, READ_TIMEOUT_MS);
});

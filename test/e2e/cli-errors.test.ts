// The CLI's failure paths against simulate.ts, each followed by a read that must succeed on the
// same reader: wrong MRZ (exit 4) and Ctrl-C (exit 130) on one reader (HSU), the passport taken
// away and put back mid-read on another (I2C), and that nothing is left running afterwards. The
// three groups run at the same time (each has its own simulator; vitest runs test files one
// after another on a 2-core machine, and a read mostly waits on the pty).

import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadFixture } from '@epassport/hardware/fixtures/index';
import { expectVerifiedOutDir } from '../support/expect-read';
import { descendants, stopAll, waitUntilGone } from '../support/processes';
import { requireTool } from '../support/requires-tool';
import { cscaPath, mrzOf, READ_TIMEOUT_MS, runCli, startSimulator, type CliRun, type Simulator } from '../support/virtual-reader';

const DOCUMENT = 'utopia-anna';
const anna = loadFixture(DOCUMENT);

/** A simulator for the enclosing describe block, and CLI runs against it that are ended after
 * each test (a failed expectation may leave one running). */
function useSimulator(board: string) {
  let sim: Simulator;
  let work: string;
  let runs: CliRun[] = [];
  let outs = 0;
  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), `e2e-cli-${board}-`));
    sim = await startSimulator(DOCUMENT, board);
  });
  afterEach(async () => {
    await Promise.all(runs.map((r) => r.stop()));
    runs = [];
  });
  afterAll(async () => {
    await sim?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  const cli = (args: string[]): CliRun => {
    const run = runCli(args);
    runs.push(run);
    return run;
  };
  const read = (mrz = mrzOf(anna)): { run: CliRun; out: string } => {
    const out = join(work, 'out-' + ++outs);
    return { run: cli(['read', '--port', sim.path, '--mrz', mrz, '--trust', cscaPath(DOCUMENT), '--out', out]), out };
  };
  const expectVerifiedRead = async (): Promise<void> => {
    const { run, out } = read();
    const { code, stdout, stderr } = await run.result;
    expect(code, stdout + stderr).toBe(0);
    expect(stdout.split('\n')).toContain('VERIFIED');
    expectVerifiedOutDir(out, DOCUMENT);
  };
  return { sim: () => sim, cli, read, expectVerifiedRead };
}

describe.skipIf(!requireTool(['pty', 'openssl'], 'e2e: the CLI failure paths (wrong MRZ, SIGINT, card taken away)'))('passport-reader failure paths against simulate.ts', () => {
  // Each group is `concurrent` with its siblings, its own tests `sequential` (one reader each).
  afterAll(stopAll);

  describe.concurrent('wrong MRZ and Ctrl-C (pico, HSU)', () => {
    const { sim, cli, read, expectVerifiedRead } = useSimulator('pico');

    it.sequential('info: firmware, board, PN532 and capabilities over the pty', async () => {
      const { code, stdout, stderr } = await cli(['info', '--port', sim().path, '--json']).result;
      expect(code, stderr).toBe(0);
      const info = JSON.parse(stdout);
      expect(info.board).toBe('PICO');
      expect(info.nfcFirmware).toBe(0x32010607); // PN532 v1.6, as the simulator reports it
      expect(info.capabilityNames).toEqual(expect.arrayContaining(['bac', 'sha256']));
    }, READ_TIMEOUT_MS);

    it.sequential('a wrong MRZ exits 4 (access-denied) without printing it, then the right one reads', async () => {
      const wrong = `UA7654321 ${anna.bac.dateOfBirth} ${anna.bac.dateOfExpiry}`;
      const { run, out } = read(wrong);
      const { code, stdout, stderr } = await run.result;
      expect(code, stdout + stderr).toBe(4);
      expect(stderr).toMatch(/\[access-denied\]$/m);
      expect(stdout + stderr).not.toContain('UA7654321');
      expect(stdout + stderr).not.toContain(anna.bac.dateOfBirth);
      expect(existsSync(out)).toBe(false); // nothing saved
      await expectVerifiedRead();
    }, 2 * READ_TIMEOUT_MS);

    it.sequential('Ctrl-C (SIGINT) mid-read cancels on the reader and exits 130, then a read succeeds', async () => {
      const { run } = read();
      await run.waitForLine('stderr', /^read EF\.SOD /); // DG1, DG2 still to come
      run.child.kill('SIGINT');
      const { code, stdout, stderr } = await run.result;
      expect(code, stdout + stderr).toBe(130);
      expect(stderr).toMatch(/\[cancelled\]$/m);
      expect(stdout).not.toContain('VERIFIED');
      await expectVerifiedRead();
    }, 2 * READ_TIMEOUT_MS);
  });

  describe.concurrent('the passport taken away (pico-i2c, I2C)', () => {
    const { sim, cli, read, expectVerifiedRead } = useSimulator('pico-i2c');

    it.sequential('mid-read and put back: a clean end (exit 3, or resumed and verified), then a read succeeds', async () => {
      const { code: infoCode, stdout: infoOut } = await cli(['info', '--port', sim().path, '--json']).result;
      expect(infoCode).toBe(0);
      const resumes: boolean = JSON.parse(infoOut).capabilityNames.includes('resume');

      const { run, out } = read();
      await run.waitForLine('stderr', /^read EF\.SOD /); // reading DG1/DG2 now
      expect(await sim().togglePassport()).toBe('removed');
      // Put it back once the reader has noticed: the read has ended (no resume) or the CLI says
      // the passport is gone (resume: the reader waits for it).
      const from = run.stderr.length;
      await Promise.race([run.exited, run.waitForLine('stderr', /lost|removed|put .*back/i, { from }).catch(() => null)]);
      expect(await sim().togglePassport()).toBe('placed');
      const { code, stdout, stderr } = await run.result;
      if (resumes) {
        // Every byte once, in order, across the interruption: the files equal the fixture's.
        expect(code, stdout + stderr).toBe(0);
        expect(stderr).toMatch(/lost|removed/i);
        expectVerifiedOutDir(out, DOCUMENT);
      } else {
        expect(code, stdout + stderr).toBe(3);
        expect(stderr).toMatch(/\[card-lost\]$/m);
      }
      expect(stderr).not.toContain(anna.bac.documentNumber); // progress and errors: no MRZ data
      await expectVerifiedRead();
    }, 3 * READ_TIMEOUT_MS);
  });

  it.concurrent('leaves no process behind: simulate and whatever it started (esbuild, socat where it makes the pty) end with it', async () => {
    const other = await startSimulator(DOCUMENT, 'pico-spi');
    const tree = descendants(other.process.pid);
    expect(other.simulatorPid).toBe(other.process.pid); // node itself, no tsx launcher between
    const exit = await other.stop();
    expect(exit).toEqual({ code: 0, signal: null }); // a clean shutdown on SIGTERM, no SIGKILL needed
    expect(await waitUntilGone([other.process.pid, ...tree.map((t) => t.pid)]), 'still running').toEqual([]);
  }, READ_TIMEOUT_MS);
});

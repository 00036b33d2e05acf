// The CLI's failure paths against one simulate.ts process (HSU), each followed by a read that
// must succeed on the same reader: wrong MRZ (exit 4), Ctrl-C (exit 130), the passport taken
// away and put back mid-read. And that nothing is left running afterwards.

import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { hasSocat } from '@epassport/hardware/sim/pty';
import { loadFixture } from '@epassport/hardware/fixtures/index';
import { expectVerifiedOutDir } from '../support/expect-read';
import { descendants, socatPids, stopAll, waitUntilGone } from '../support/processes';
import { cscaPath, mrzOf, READ_TIMEOUT_MS, runCli, startSimulator, type CliRun, type Simulator } from '../support/virtual-reader';

const DOCUMENT = 'utopia-anna';
const anna = loadFixture(DOCUMENT);

describe.skipIf(!hasSocat())('passport-reader failure paths against simulate.ts', () => {
  let sim: Simulator;
  let work: string;
  let runs: CliRun[] = [];
  let outs = 0;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'e2e-cli-errors-'));
    sim = await startSimulator(DOCUMENT, 'pico');
  });
  afterEach(async () => {
    // A CLI still running after its test (a failed expectation) is ended; the simulator stays.
    await Promise.all(runs.map((r) => r.stop()));
    runs = [];
  });
  afterAll(async () => {
    await stopAll();
    rmSync(work, { recursive: true, force: true });
  });

  function cli(args: string[]): CliRun {
    const run = runCli(args);
    runs.push(run);
    return run;
  }

  function read(mrz = mrzOf(anna)): { run: CliRun; out: string } {
    const out = join(work, 'out-' + ++outs);
    return { run: cli(['read', '--port', sim.path, '--mrz', mrz, '--trust', cscaPath(DOCUMENT), '--out', out]), out };
  }

  async function expectVerifiedRead(): Promise<void> {
    const { run, out } = read();
    const { code, stdout, stderr } = await run.result;
    expect(code, stdout + stderr).toBe(0);
    expect(stdout.split('\n')).toContain('VERIFIED');
    expectVerifiedOutDir(out, DOCUMENT);
  }

  it('info: firmware, board, PN532 and capabilities over the pty', async () => {
    const { code, stdout, stderr } = await cli(['info', '--port', sim.path, '--json']).result;
    expect(code, stderr).toBe(0);
    const info = JSON.parse(stdout);
    expect(info.board).toBe('PICO');
    expect(info.nfcFirmware).toBe(0x32010607); // PN532 v1.6, as the simulator reports it
    expect(info.capabilityNames).toEqual(expect.arrayContaining(['bac', 'sha256']));
  }, READ_TIMEOUT_MS);

  it('a wrong MRZ exits 4 (access-denied) without printing it, then the right one reads', async () => {
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

  it('Ctrl-C (SIGINT) mid-read cancels on the reader and exits 130, then a read succeeds', async () => {
    const { run } = read();
    await run.waitForLine('stderr', /^read EF\.SOD /); // DG1, DG2 still to come
    run.child.kill('SIGINT');
    const { code, stdout, stderr } = await run.result;
    expect(code, stdout + stderr).toBe(130);
    expect(stderr).toMatch(/\[cancelled\]$/m);
    expect(stdout).not.toContain('VERIFIED');
    await expectVerifiedRead();
  }, 2 * READ_TIMEOUT_MS);

  it('the passport taken away mid-read and put back: a clean end (exit 3, or resumed and verified), then a read succeeds', async () => {
    const { code: infoCode, stdout: infoOut } = await cli(['info', '--port', sim.path, '--json']).result;
    expect(infoCode).toBe(0);
    const resumes: boolean = JSON.parse(infoOut).capabilityNames.includes('resume');

    const { run, out } = read();
    await run.waitForLine('stderr', /^read EF\.SOD /); // reading DG1/DG2 now
    expect(await sim.togglePassport()).toBe('removed');
    // Put it back once the reader has noticed: the read has ended (no resume) or the CLI says the
    // passport is gone (resume: the reader waits for it).
    const from = run.stderr.length;
    await Promise.race([run.exited, run.waitForLine('stderr', /lost|removed|put .*back/i, { from }).catch(() => null)]);
    expect(await sim.togglePassport()).toBe('placed');
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

  it('leaves no process behind: simulate, its tsx child and its socat end with it', async () => {
    const before = socatPids();
    const other = await startSimulator(DOCUMENT, 'pico-spi');
    const tree = descendants(other.process.pid);
    const ours = tree.filter((p) => p.command === 'socat').map((p) => p.pid);
    expect(ours).toHaveLength(1);
    expect(before).not.toContain(ours[0]);
    expect(socatPids()).toContain(ours[0]);
    expect(tree.map((p) => p.pid)).toContain(other.simulatorPid);
    const exit = await other.stop();
    expect(exit).toEqual({ code: 0, signal: null }); // a clean shutdown on SIGTERM, no SIGKILL needed
    expect(await waitUntilGone([other.process.pid, ...tree.map((t) => t.pid)]), 'still running').toEqual([]);
    // Other test files run their own simulators meanwhile, so the machine-wide list is checked
    // for ours, not counted.
    expect(socatPids()).not.toContain(ours[0]);
  }, READ_TIMEOUT_MS);
});

// The two ways the end-to-end tests get a reader on a real pseudo-terminal:
// - `startSimulator`: `tsx hardware/bin/simulate.ts` as a separate process, as a user runs it
//   (the CLI tests);
// - `startInProcessReader`: the same parts (firmware bundle in the Espruino shim, PN532
//   simulator, virtual passport) built in the test process on a RealClock and served on a pty by
//   socat, so a test can swap the card at an exact point of a read (the SDK tests).
// And `runCli`: `node host-sdk/bin/passport-reader.mjs ...` as a separate process.

import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadBoard } from '@epassport/hardware/boards/index';
import type { Card } from '@epassport/hardware/sim/card';
import { RealClock } from '@epassport/hardware/sim/clock';
import { VirtualPassport } from '@epassport/hardware/sim/passport/virtual-passport';
import { createVirtualDevice, ensureFirmwareBundle, serveOnPty, type VirtualDevice } from '@epassport/hardware/sim/virtual-device';
import { FILE_NAMES, fixturePath, loadFixture, type Fixture } from '@epassport/hardware/fixtures/index';
import { spawnTracked, STOP_GRACE_MS, type Exit, type Tracked } from './processes';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
export const CLI = join(ROOT, 'host-sdk/bin/passport-reader.mjs');
/** Node arguments that run the workspace's TypeScript: @epassport packages from their sources
 * (the "@epassport/source" export condition), .ts files through tsx's loader. */
export const SOURCE_NODE_ARGS = ['--conditions=@epassport/source', '--import', 'tsx'];

/** Wall-clock budget of one read on the pty (a read takes ~2-4 s; CI machines are slower). */
export const READ_TIMEOUT_MS = 30_000;

/** The firmware bundle under test: $E2E_FIRMWARE (another build, e.g. to bisect), else
 * firmware/dist/firmware.js (built when missing; `npm test` builds it first). */
export async function firmwareBundle(): Promise<string> {
  return process.env.E2E_FIRMWARE || ensureFirmwareBundle();
}

export interface Simulator {
  /** The pty, e.g. /dev/pts/3. */
  readonly path: string;
  /** The tsx launcher (the process group leader). */
  readonly process: Tracked;
  /** The process running simulate.ts (takes SIGUSR1; under tsx it is a child of `process`). */
  readonly simulatorPid: number;
  /** SIGUSR1: removes the passport if it is on the reader, places it otherwise; resolves with
   * what simulate reports having done. */
  togglePassport(): Promise<'removed' | 'placed'>;
  stop(): Promise<Exit>;
}

/** `tsx hardware/bin/simulate.ts --document <fixture> --board <board>`; resolves once its
 * serial port is open. */
export async function startSimulator(document: string, board: string): Promise<Simulator> {
  const bundle = await firmwareBundle();
  const proc = spawnTracked(process.execPath, [...SOURCE_NODE_ARGS, join(ROOT, 'hardware/bin/simulate.ts'), '--document', document, '--board', board, '--bundle', bundle], { cwd: ROOT });
  const serial = await proc.waitForLine('stdout', /^serial: (\/dev\/pts\/\d+)$/);
  const pid = await proc.waitForLine('stdout', /^pid: (\d+)/);
  const simulatorPid = Number(pid[1]);
  return {
    path: serial[1],
    process: proc,
    simulatorPid,
    togglePassport: async () => {
      const from = proc.stderr.length;
      process.kill(simulatorPid, 'SIGUSR1');
      const m = await proc.waitForLine('stderr', /^card (removed|placed)$/, { from });
      return m[1] as 'removed' | 'placed';
    },
    // SIGTERM to the simulator itself (the pid it prints), as `kill <pid>` would: it closes its
    // pty and socat and exits 0, and a tsx launcher exits with its child's code. SIGTERM to the
    // whole group reaches a tsx launcher as well, which gives its child 30 ms to acknowledge the
    // signal before it kills it and exits 143 (tsx relaySignals): on a loaded 2-core machine,
    // three stops in four. The group is signalled only if the simulator does not end by itself.
    stop: async () => {
      try {
        process.kill(simulatorPid, 'SIGTERM');
      } catch {
        return proc.stop(); // already gone: whatever is left of its group goes
      }
      const fallback = setTimeout(() => void proc.stop(), STOP_GRACE_MS);
      const exit = await proc.exited;
      clearTimeout(fallback);
      return exit;
    },
  };
}

export interface InProcessReader {
  readonly path: string;
  readonly device: VirtualDevice;
  readonly fixture: Fixture;
  /** The fixture's passport (the card on the reader at the start). */
  readonly passport: VirtualPassport;
  close(): Promise<void>;
}

const openReaders = new Set<InProcessReader>();

/** The virtual reader in this process on a RealClock, its USB side on a pty. */
export async function startInProcessReader(document: string, board: string): Promise<InProcessReader> {
  const fixture = loadFixture(document);
  const passport = new VirtualPassport(fixture.files, fixture.bac, { activeAuthKey: fixture.activeAuthPrivateKey });
  const device = createVirtualDevice({ clock: new RealClock(), board: loadBoard(board), card: passport as Card, bundlePath: await firmwareBundle() });
  const server = await serveOnPty(device);
  const reader: InProcessReader = {
    path: server.path,
    device,
    fixture,
    passport,
    close: async () => {
      openReaders.delete(reader);
      await server.close();
    },
  };
  openReaders.add(reader);
  return reader;
}

/** Closes every in-process reader still open (afterEach/afterAll). */
export async function closeInProcessReaders(): Promise<void> {
  await Promise.all([...openReaders].map((r) => r.close()));
}

export interface CliRun extends Tracked {
  /** Exit code (128 + n for a signal) with everything printed. */
  readonly result: Promise<{ code: number; stdout: string; stderr: string }>;
}

/** `node host-sdk/bin/passport-reader.mjs <args>` (stderr is a pipe: progress as plain lines). */
export function runCli(args: string[]): CliRun {
  const proc = spawnTracked(process.execPath, [...SOURCE_NODE_ARGS, CLI, ...args], { cwd: ROOT, env: { ...process.env, HOME: join(tmpdir(), 'e2e-no-home') } });
  const result = proc.exited.then((e) => ({
    code: e.code ?? 128 + (e.signal === 'SIGINT' ? 2 : e.signal === 'SIGTERM' ? 15 : 9),
    stdout: proc.stdout.join('\n'),
    stderr: proc.stderr.join('\n'),
  }));
  return Object.assign(proc, { result });
}

/** `--mrz "NUMBER YYMMDD YYMMDD"` for a fixture. */
export function mrzOf(fixture: Pick<Fixture, 'bac'>): string {
  const { documentNumber, dateOfBirth, dateOfExpiry } = fixture.bac;
  return `${documentNumber} ${dateOfBirth} ${dateOfExpiry}`;
}

/** The fixture's CSCA certificate (PEM), the trust anchor of a read. */
export function cscaPath(document: string): string {
  return fixturePath(document, 'csca.pem');
}

/** The fixture's files on disk by name (EF.COM.bin, EF.SOD.bin, DG1.bin, ...). */
export function fixtureFiles(document: string): Map<string, Buffer> {
  const fixture = loadFixture(document);
  const out = new Map<string, Buffer>();
  for (const id of Object.keys(fixture.files)) {
    const name = FILE_NAMES[Number(id)];
    out.set(name, readFileSync(fixturePath(document, name)));
  }
  return out;
}

// The emulated Cortex-M4 that runs the blob's exact bytes for the shim: the emulator server of
// firmware/native/emu (Unicorn, Debian's python3-unicorn), one process per runtime, spoken to
// synchronously over FIFOs (sync-process.ts).

import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { NATIVE_BLOB_PATH, NativeCalls, type NativeExecutor } from './native-call';
import { SyncLineProcess } from './sync-process';

export const EMULATOR_PYTHON = '/usr/bin/python3';
export const EMULATOR_SERVER = fileURLToPath(new URL('../../firmware/native/emu/serve.py', import.meta.url));

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/** Why the emulator cannot run here, or null. */
export function emulatorMissing(): string | null {
  if (!existsSync(EMULATOR_PYTHON)) return `${EMULATOR_PYTHON} not found`;
  if (!existsSync(EMULATOR_SERVER)) return `${EMULATOR_SERVER} not found`;
  return null;
}

export class EmulatorExecutor implements NativeExecutor {
  readonly blob: Uint8Array;
  /** Calls made, their wall time (ms, the per-call overhead figure) and Thumb instructions. */
  calls = 0;
  wallMs = 0;
  lastInstructions = 0;
  private server: SyncLineProcess | null;
  private readonly blobPath: string;

  /** The server starts with the first call (a run that never calls the PACE blob starts none). */
  constructor(blobPath = NATIVE_BLOB_PATH) {
    const missing = emulatorMissing();
    if (missing) throw new Error(`native emulator unavailable: ${missing}`);
    this.blob = new Uint8Array(readFileSync(blobPath));
    this.blobPath = blobPath;
    this.server = null;
  }

  call(entry: number, args: number[], memory: { address: number; bytes: Uint8Array }[]): number {
    const t0 = performance.now();
    let line = `${entry} ${args.map((a) => a >>> 0).join(' ')}`;
    for (const m of memory) line += ` ${m.address}:${hex(m.bytes)}`;
    if (!this.server) this.server = new SyncLineProcess(EMULATOR_PYTHON, [EMULATOR_SERVER, this.blobPath]);
    const reply = this.server.request(line);
    if (reply.startsWith('!')) throw new Error(`native emulator: ${reply.slice(1).trim()}`);
    // serve.py: R0 INSTRUCTIONS [HEX ...], the regions read back in request order.
    const parts = reply.split(' ');
    this.lastInstructions = Number(parts[1]);
    for (let i = 0; i < memory.length; i++) memory[i].bytes.set(Buffer.from(parts[2 + i], 'hex'));
    this.calls++;
    this.wallMs += performance.now() - t0;
    return Number(parts[0]) | 0;
  }

  close(): void {
    this.server?.close();
    this.server = null;
  }
}

/** The PACE blob (Storage file `pace`, firmware/native/pace/ABI.md). */
export const PACE_BLOB_PATH = fileURLToPath(new URL('../../firmware/native/blob/pace.bin', import.meta.url));

/** Native calls for a runtime: with 'emulator' the blobs are Storage files `native` and `pace`
 * and run on the emulator (one server each); without, Storage starts empty and the firmware
 * takes its TypeScript path. */
export function nativeCallsFor(mode?: 'emulator'): NativeCalls {
  if (mode !== 'emulator') return new NativeCalls();
  const executor = new EmulatorExecutor();
  const paceExecutor = new EmulatorExecutor(PACE_BLOB_PATH);
  return new NativeCalls({ executor, paceExecutor, files: { native: executor.blob, pace: paceExecutor.blob } });
}

// The host side of E.nativeCall, E.getAddressOf and require('Storage') in the shim (the context
// side is native-call-api.js). With `native: 'emulator'` the Storage file `native` holds the
// committed blob (firmware/native/blob/native.bin) and every call runs those exact bytes on the
// emulated Cortex-M4 (firmware/native/emu, Unicorn); without it Storage is empty and the
// firmware's seams take their TypeScript path (the fast twin).
//
// Stricter than a board: each call is checked against the ABI (firmware/native/ABI.md): a
// context must lie in memory whose address was taken, be 4-byte aligned and big enough; a data
// pointer's whole range must lie in one such buffer. A board would silently corrupt memory.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

export const NATIVE_BLOB_PATH = fileURLToPath(new URL('../../firmware/native/blob/native.bin', import.meta.url));
const API_SOURCE = readFileSync(new URL('./native-call-api.js', import.meta.url), 'utf8');

/** Runs one entry of the blob on an emulated Cortex-M4. `memory` ranges are written to the
 * emulator's RAM at their addresses before the call and read back into `bytes` after it. */
export interface NativeExecutor {
  readonly blob: Uint8Array;
  /** Thumb instructions the last call executed. */
  readonly lastInstructions: number;
  call(entry: number, args: number[], memory: { address: number; bytes: Uint8Array }[]): number;
  close(): void;
}

interface ArgRule {
  /** A context block of at least this many bytes (4-byte aligned). */
  ctx?: number;
  /** A data pointer and the bytes it covers, from the call's arguments. */
  ptr?: (a: number[]) => number;
  /** The pointer may be 0 (ec_mul: 0 is the generator). */
  nullable?: boolean;
}

const LEN2 = (a: number[]): number => a[2];
const LEN1 = (a: number[]): number => a[1];

/** Entry i of ABI.md "Entries": name and what each argument is. */
export const ENTRIES: { name: string; args: ArgRule[] }[] = [
  { name: 'des_setkey', args: [{ ctx: 400 }, { ptr: LEN2 }] },
  { name: 'des_cbc', args: [{ ctx: 400 }, { ptr: LEN2 }] },
  { name: 'mac_update', args: [{ ctx: 400 }, { ptr: LEN2 }] },
  { name: 'mac_final', args: [{ ctx: 400 }, { ptr: () => 8 }] },
  { name: 'sha512_init', args: [{ ctx: 224 }] },
  { name: 'sha512_update', args: [{ ctx: 224 }, { ptr: LEN2 }] },
  { name: 'sha512_final', args: [{ ctx: 224 }, { ptr: () => 48 }] },
  { name: 'crc16', args: [{}, { ptr: LEN2 }] },
  { name: 'cobs_encode', args: [{ ptr: LEN1 }, {}, { ptr: (a) => a[1] + ((a[1] / 254) | 0) + 1 }] },
  { name: 'cobs_decode', args: [{ ptr: LEN1 }] },
  { name: 'pn532_dcs', args: [{ ptr: LEN1 }] },
  { name: 'wipe', args: [{ ptr: LEN1 }] },
  { name: 'sha256_init', args: [{ ctx: 112 }] },
  { name: 'sha256_update', args: [{ ctx: 112 }, { ptr: LEN2 }] },
  { name: 'sha256_final', args: [{ ctx: 112 }, { ptr: () => 28 }] },
  { name: 'sha1_init', args: [{ ctx: 104 }] },
  { name: 'sha1_update', args: [{ ctx: 104 }, { ptr: LEN2 }] },
  { name: 'sha1_final', args: [{ ctx: 104 }, { ptr: () => 20 }] },
  { name: 'sm_unwrap', args: [{ ctx: 808 }, { ptr: LEN2 }] },
];

const AES = 772, CMAC = 824, EC = 1764; // pace/ABI.md ctx sizes
const POINT = { ptr: () => 65 };
const NONE = { name: 'reserved', args: [] };
/** Entries of the PACE blob (Storage file `pace`, native/pace/ABI.md "Entries"). */
export const PACE_ENTRIES: { name: string; args: ArgRule[] }[] = [
  { name: 'aes_setkey', args: [{ ctx: AES }, { ptr: LEN2 }] },
  { name: 'aes_ecb', args: [{ ctx: AES }, { ptr: () => 16 }, { ptr: () => 16 }] },
  { name: 'aes_cbc', args: [{ ctx: AES }, { ptr: LEN2 }] },
  { name: 'cmac_init', args: [{ ctx: CMAC }, { ptr: LEN2 }] },
  { name: 'cmac_update', args: [{ ctx: CMAC }, { ptr: LEN2 }] },
  { name: 'cmac_final', args: [{ ctx: CMAC }, { ptr: () => 16 }] },
  NONE, NONE, NONE, NONE,
  { name: 'ec_mul', args: [{ ctx: EC }, { ptr: () => 32 }, { ptr: () => 65, nullable: true }, POINT] },
  { name: 'ec_add', args: [{ ctx: EC }, POINT, POINT, POINT] },
  { name: 'ec_check', args: [{ ctx: EC }, POINT] },
];

/** Storage file name -> its entries. */
const BLOB_ENTRIES: Record<string, { name: string; args: ArgRule[] }[]> = { native: ENTRIES, pace: PACE_ENTRIES };

/** Handles of the PACE blob's entries start here (the core blob's are their entry index). */
const PACE_HANDLE = 1000;

/** Emulator RAM where a call's buffers are laid out (below its stack; blob_emulator.py). */
const EMU_RAM = 0x20000000;
const EMU_RAM_SIZE = 0x30000;

export interface NativeCallOptions {
  /** Files in Storage at power-on (name -> bytes). */
  files?: Record<string, Uint8Array>;
  /** Runs the calls of Storage file `native`; null: E.nativeCall refuses to run code. */
  executor?: NativeExecutor | null;
  /** Runs the calls of Storage file `pace` (the PACE blob), when present. */
  paceExecutor?: NativeExecutor | null;
}

function latin1(s: string): Uint8Array {
  const u = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) u[i] = s.charCodeAt(i) & 0xff;
  return u;
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Native calls of one runtime: counts per entry, Storage contents. */
export class NativeCalls {
  /** Calls per entry name since start (the proof that the native path ran). */
  readonly counts: Record<string, number> = {};
  /** Thumb instructions executed per entry name (emulator count). */
  readonly instructions: Record<string, number> = {};
  /** Names of Storage files written by the firmware or the flash tool. */
  readonly written: string[] = [];
  /** Larger ArrayBuffers are not flat: a fragmented heap, where Espruino cannot find one free
   * block for a big array (the firmware must then copy through its stage or use TypeScript). */
  flatLimit = Infinity;
  private readonly executor: NativeExecutor | null;
  private readonly executors: Record<string, NativeExecutor | null>;
  private readonly files: Record<string, Uint8Array>;

  constructor(options: NativeCallOptions = {}) {
    this.executor = options.executor ?? null;
    this.executors = { native: this.executor, pace: options.paceExecutor ?? null };
    this.files = { ...(options.files ?? {}) };
    for (const e of ENTRIES.concat(PACE_ENTRIES)) {
      this.counts[e.name] = 0;
      this.instructions[e.name] = 0;
    }
  }

  /** Total native calls. */
  get total(): number {
    return Object.values(this.counts).reduce((a, b) => a + b, 0);
  }

  /** Installs E.getAddressOf, E.nativeCall and require('Storage') in `context` (before lockdown). */
  install(context: vm.Context): void {
    const install = vm.runInContext(API_SOURCE, context, { filename: 'native-call-api.js' }) as (g: unknown, h: unknown) => void;
    install(vm.runInContext('this', context), this.bridge());
  }

  close(): void {
    this.executor?.close();
    this.executors.pace?.close();
  }

  private bridge(): Record<string, (...args: never[]) => unknown> {
    return {
      initialFiles: () => Object.entries(this.files).flatMap(([name, bytes]) => [name, String.fromCharCode(...bytes)]),
      flatLimit: () => this.flatLimit,
      storageChanged: (name: string) => {
        this.written.push(name);
      },
      codeHandle: (name: string, offset: number, data: string) => this.codeHandle(name, offset, data),
      call: (entry: number, args: number[], bufs: (ArrayBuffer | null)[], bases: number[]) => this.call(entry, args, bufs, bases),
    };
  }

  /** The handle of entry `offset` of Storage file `name` (PACE_HANDLE + entry for `pace`); only
   * the blobs' entries run, each on the emulator that holds its bytes. */
  private codeHandle(name: string, offset: number, data: string): number {
    const ex = Object.prototype.hasOwnProperty.call(this.executors, name) ? this.executors[name] : null;
    if (!ex) throw new Error(`E.nativeCall: this shim run has no emulator for Storage file ${name} (native: "emulator" runs the blobs)`);
    if (!equalBytes(latin1(data), ex.blob)) throw new Error(`E.nativeCall: Storage file ${name} is not the blob the emulator runs`);
    const entry = (offset - 16) / 4;
    const table = BLOB_ENTRIES[name];
    if (!(entry >= 0 && entry < table.length && entry === Math.floor(entry))) throw new Error(`E.nativeCall: offset ${offset} is not an entry of the blob`);
    return name === 'pace' ? PACE_HANDLE + entry : entry;
  }

  private call(handle: number, argsIn: number[], bufs: (ArrayBuffer | null)[], bases: number[]): number {
    const pace = handle >= PACE_HANDLE;
    const entry = pace ? handle - PACE_HANDLE : handle;
    const rule = (pace ? PACE_ENTRIES : ENTRIES)[entry];
    const executor = (pace ? this.executors.pace : this.executor)!;
    const args = argsIn.slice(0, 4);
    // Each buffer once, laid out in emulator RAM with its alignment mod 4 kept.
    const memory: { address: number; bytes: Uint8Array }[] = [];
    const placed: ArrayBuffer[] = [];
    let next = EMU_RAM;
    for (let i = 0; i < 4; i++) {
      const r = rule.args[i] ?? {};
      const buf = bufs[i];
      const need = r.ctx ?? (r.ptr ? r.ptr(argsIn) : 0);
      if (!r.ctx && !r.ptr) continue; // a plain int, whatever its value
      if (!buf) {
        if (r.ptr && (need === 0 || (r.nullable && argsIn[i] === 0))) continue;
        throw new Error(`native ${rule.name}: argument ${i} (0x${(argsIn[i] >>> 0).toString(16)}) is not in memory whose address was taken`);
      }
      const offset = argsIn[i] - bases[i];
      if (r.ctx && (argsIn[i] & 3)) throw new Error(`native ${rule.name}: context not 4-byte aligned`);
      if (need < 0 || offset + need > buf.byteLength) throw new Error(`native ${rule.name}: argument ${i} covers ${need} bytes, past its buffer's end`);
      let k = placed.indexOf(buf);
      if (k < 0) {
        k = placed.length;
        placed.push(buf);
        memory.push({ address: next, bytes: new Uint8Array(buf) });
        next = (next + buf.byteLength + 16 + 3) & ~3;
        if (next > EMU_RAM + EMU_RAM_SIZE) throw new Error(`native ${rule.name}: buffers exceed the emulator's RAM window`);
      }
      args[i] = memory[k].address + offset;
    }
    this.counts[rule.name]++;
    const r0 = executor.call(entry, args, memory);
    this.instructions[rule.name] += executor.lastInstructions;
    return r0;
  }
}

// The native blob (firmware/native/ABI.md): Thumb-2 code in the Storage file `native`, run in
// place through E.nativeCall. This module finds and checks the file once, builds one function per
// entry, and moves bytes to where native code can reach them. Each seam (crypto/des-cbc.ts,
// crypto/mac.ts, crypto/hash.ts, pn532/checksum.ts, native/framing.ts, native/wipe.ts,
// native/native-sm.ts through icao/secure-messaging.ts) asks
// `nativeEntries()` and uses the TypeScript implementation when it gives null: no E.nativeCall
// (the real interpreter on Linux, Node), or no valid blob in Storage (the shim's fast TS twin).

/** Entry indices (ABI.md "Entries"); plain constants, which esbuild inlines. */
export const E_DES_SETKEY = 0;
export const E_DES_CBC = 1;
export const E_MAC_UPDATE = 2;
export const E_MAC_FINAL = 3;
export const E_SHA512_INIT = 4;
export const E_SHA512_UPDATE = 5;
export const E_SHA512_FINAL = 6;
export const E_CRC16 = 7;
export const E_COBS_ENCODE = 8;
export const E_COBS_DECODE = 9;
export const E_PN532_DCS = 10;
export const E_WIPE = 11;
export const E_SHA256_INIT = 12;
export const E_SHA256_UPDATE = 13;
export const E_SHA256_FINAL = 14;
export const E_SHA1_INIT = 15;
export const E_SHA1_UPDATE = 16;
export const E_SHA1_FINAL = 17;
export const E_SM_UNWRAP = 18;

export type NativeFn = (a: number, b: number, c: number, d: number) => number;

const ENTRY_COUNT = 19;
const ABI_VERSION = 1;
/** Every entry has this signature; unused arguments are 0 (ABI.md). */
const SIGNATURE = 'int(int,int,int,int)';

/** Address of the data of a flat typed array (or flat string), 0 when not flat. */
export function addressOf(a: Uint8Array | string): number {
  return E.getAddressOf(a, true);
}

let entries: NativeFn[] | null = null;
let probed = false;

function u32(s: string, o: number): number {
  return (s.charCodeAt(o) | (s.charCodeAt(o + 1) << 8) | (s.charCodeAt(o + 2) << 16) | (s.charCodeAt(o + 3) << 24)) >>> 0;
}

/** The entry functions, or null when native code cannot run here. Probed once per boot. */
export function nativeEntries(): NativeFn[] | null {
  if (probed) return entries;
  probed = true;
  if (typeof E === 'undefined' || typeof E.nativeCall !== 'function' || typeof espruinoModule !== 'function') return null;
  let blob: string | undefined;
  try {
    blob = espruinoModule('Storage').read('native');
  } catch (e) { // eslint-disable-line @typescript-eslint/no-unused-vars -- Espruino needs the binding
    return null;
  }
  if (!blob || blob.length < 16 + 4 * ENTRY_COUNT || blob.substr(0, 4) !== 'EPN1') return null;
  if (u32(blob, 4) !== ABI_VERSION || u32(blob, 8) > blob.length) return null;
  // Run in place: the flash string must be addressable and word aligned (PC-relative loads).
  const at = addressOf(blob);
  if (!at || (at & 3)) return null;
  const fns: NativeFn[] = [];
  for (let i = 0; i < ENTRY_COUNT; i++) fns.push(E.nativeCall((16 + 4 * i) | 1, SIGNATURE, blob) as NativeFn);
  // The stage and the SM ctx are allocated now, while memory is unfragmented, so that they are flat.
  if (!addressOf(stageBuffer())) return null;
  smCtxBuffer();
  entries = fns;
  return fns;
}

/** Address of a context block for a native call: flat and word aligned, taken just before the
 * call (E.defrag() may move it). Throws when neither holds: the state cannot be copied around. */
export function contextAddress(ctx: Uint8Array): number {
  const at = addressOf(ctx);
  if (!at || (at & 3)) throw new Error('native context not flat or not aligned');
  return at;
}

/** Staging area for data that is not flat (small arrays, views of chained buffers). 264 bytes:
 * a multiple of the DES block that holds any protected answer to a short READ BINARY (at most
 * 260 bytes, icao/file-reader.ts), which native-sm.ts opens in it; allocated with the probe. */
export const STAGE_SIZE = 264;
/** What `callOver` streams through the stage at a time: a multiple of the AES block too (an
 * AES-CBC chunk must end on a block). */
const STAGE_CHUNK = 256;
let stage: Uint8Array | null = null;

/** The staging buffer and its address. */
export function stageBuffer(): Uint8Array {
  if (!stage) stage = new Uint8Array(STAGE_SIZE);
  return stage;
}

/** Bytes of the 3DES SM ctx (ABI.md "SM ctx": KSenc's DES ctx, KSmac's, the SSC). */
export const SM_CTX = 808;
let smCtx: Uint8Array | null = null;

/** The one SM ctx (native-sm.ts hands it to one session at a time), allocated with the probe. */
export function smCtxBuffer(): Uint8Array {
  if (!smCtx) smCtx = new Uint8Array(SM_CTX);
  return smCtx;
}

/** Flags for `callOver`. */
export const COPY_BACK = 1;
/** Wipe the stage after use (keys, plaintext). */
export const SECRET = 4;

/**
 * Calls `fn(a, pointer to data[o, o+n), n, d)`: on `data` itself when it is flat, else chunk by
 * chunk through the stage (the entries that take a data pointer all stream). `a` is a context
 * address. Returns the last result.
 */
export function callOver(fn: NativeFn, a: number, data: Uint8Array, o: number, n: number, d: number, flags: number): number {
  const at = n ? addressOf(data) : 0;
  if (at || !n) return fn(a, at ? at + o : 0, n, d);
  const s = stageBuffer();
  const sAt = addressOf(s);
  let r = 0;
  for (let k = 0; k < n; k += STAGE_CHUNK) {
    const m = n - k < STAGE_CHUNK ? n - k : STAGE_CHUNK;
    s.set(data.subarray(o + k, o + k + m), 0);
    r = fn(a, sAt, m, d);
    if (flags & COPY_BACK) data.set(s.subarray(0, m), o + k);
  }
  if (flags & SECRET) s.fill(0);
  return r;
}

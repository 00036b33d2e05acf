// The device's CPU time for one read, low..high, from what it had to do (counted from the APDUs
// exactly as they crossed the air, and from the host messages):
//  - native: the blob's cost per KB / per call (firmware/native/blob/native-counts.json, its
//    cycle model, flash tables) for the bytes each primitive processed: 3DES-CBC, retail MAC,
//    key schedules, SHA, CRC-16 + COBS of the host frames, the PN532 DCS of the UART frames;
//  - interpreted JS around those calls: test/bench/device-cost.json (npm run bench:device,
//    callgrind on the real interpreter, scaled 1.3..2.1 / 84 MHz), per READ BINARY block (file
//    reader + SM + PN532/HSU + hash seam), per other protected APDU, per plain APDU, per host frame.
// Added to the modelled time with no overlap (the shim runs the JS in V8 in zero virtual time).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ApduRecord } from './recording-card';

export interface CryptoCounts {
  /** Single-DES block operations (retail MAC CBC with K1, and its final K2/K1 steps). */
  des: number;
  /** Triple-DES block operations (SM cryptograms, BAC's E.IFD / E.IC). */
  tdes: number;
  /** DES key schedules (each 8-byte key; a 16-byte 3DES key is two). */
  keySchedules: number;
  sha1: number;
  sha256: number;
  sha512: number;
}

export interface Range {
  low: number;
  high: number;
}

interface Cost {
  us: Range;
  instructions?: number;
  x86Instructions?: number;
}
interface NativeCounts {
  perKB: Record<string, Cost>;
  perCall: Record<string, Cost>;
}
interface DeviceCost {
  ops: Record<string, Cost>;
}

export const NATIVE_COUNTS: NativeCounts = JSON.parse(readFileSync(join(import.meta.dirname, '../../firmware/native/blob/native-counts.json'), 'utf8'));
export const DEVICE_COST: DeviceCost = JSON.parse(readFileSync(join(import.meta.dirname, 'device-cost.json'), 'utf8'));

/** The firmware's pure-TypeScript crypto interpreted on a Pico, µs per KB: callgrind figures of
 * ../shared/espruino/README.md (same scaling). Only these three were measured there. */
export const TS_INTERPRETED_US_PER_KB: Record<string, Range> = {
  '3des_cbc_decrypt': { low: 16e6, high: 27e6 },
  retail_mac_update: { low: 6e6, high: 10e6 },
  sha256_update: { low: 4e6, high: 7e6 },
};

function emptyCounts(): CryptoCounts {
  return { des: 0, tdes: 0, keySchedules: 0, sha1: 0, sha256: 0, sha512: 0 };
}

/** Retail MAC (ISO 9797-1 alg. 3, padding 2) over n bytes: CBC blocks with K1, then K2 and K1. */
function macDes(n: number): number {
  return Math.floor(n / 8) + 1 + 2;
}

/** Walks BER-TLV objects in buf[from, to): [tag, valueStart, valueEnd, objectStart]. */
function objects(buf: Uint8Array, from: number, to: number): [number, number, number, number][] {
  const out: [number, number, number, number][] = [];
  let p = from;
  while (p < to) {
    const start = p;
    const tag = buf[p++];
    let len = buf[p++];
    if (len & 0x80) {
      const k = len & 0x7f;
      len = 0;
      for (let i = 0; i < k; i++) len = len * 256 + buf[p++];
    }
    out.push([tag, p, p + len, start]);
    p += len;
  }
  return out;
}

/** Command data of a command APDU (short or extended), or null when it has none. */
function commandData(c: Uint8Array): [number, number] | null {
  if (c.length <= 5) return null;
  if (c[4] === 0 && c.length > 7) {
    const lc = (c[5] << 8) | c[6];
    return [7, 7 + lc];
  }
  return [5, 5 + c[4]];
}

/** Hash blocks for `n` bytes (padding 80 .. and the length field). */
function hashBlocks(n: number, blockSize: number): number {
  const lengthField = blockSize === 128 ? 16 : 8;
  return Math.floor((n + 1 + lengthField - 1) / blockSize) + 1;
}

/**
 * Counts from the APDU log of one read, plus the data groups the device hashed (`hashed`: byte
 * lengths) with EF.SOD's algorithm.
 */
export function countCrypto(log: ApduRecord[], hashAlgorithm: string, hashed: number[]): CryptoCounts {
  const n = emptyCounts();
  // The MRZ key: SHA-1 of MRZ_information (< 56 bytes), K_enc and K_mac (SHA-1 of 20 bytes each).
  n.sha1 += 3;
  for (const r of log) {
    const c = r.command;
    const resp = r.response;
    if (c.length >= 2 && c[1] === 0x82 && (c[0] & 0x0c) === 0) {
      // MUTUAL AUTHENTICATE: E.IFD (3DES-CBC, 4 blocks) and M.IFD; the keys are scheduled for it
      // (K_enc: 2, K_mac: 2), then again to check the answer (2 + 2).
      n.tdes += 4;
      n.des += macDes(32);
      n.keySchedules += 8;
      if (resp && resp.length === 42) {
        n.des += macDes(32);
        n.tdes += 4;
        // KS_enc and KS_mac (SHA-1 each), and the SM channel's schedules (3DES: 2, MAC: 2).
        n.sha1 += 2;
        n.keySchedules += 4;
      }
      continue;
    }
    if ((c[0] & 0x0c) !== 0x0c) continue;
    // Protected command: MAC over SSC || pad(header) || data objects before DO'8E'.
    const d = commandData(c);
    let before = 0;
    if (d) {
      for (const [tag, vs, ve, os] of objects(c, d[0], d[1])) {
        if (tag === 0x8e) {
          before = os - d[0];
          break;
        }
        if (tag === 0x87 || tag === 0x85) n.tdes += (ve - vs - (tag === 0x87 ? 1 : 0)) / 8;
      }
    }
    n.des += macDes(16 + before);
    if (!resp || resp.length <= 2) continue;
    // Protected response: MAC over SSC || objects before DO'8E', then the cryptogram decrypted.
    for (const [tag, vs, ve, os] of objects(resp, 0, resp.length - 2)) {
      if (tag === 0x8e) {
        n.des += macDes(8 + os);
        break;
      }
      if (tag === 0x87 || tag === 0x85) n.tdes += (ve - vs - (tag === 0x87 ? 1 : 0)) / 8;
    }
  }
  const algo = hashAlgorithm.toLowerCase().replace(/-/g, '');
  for (const len of hashed) {
    if (algo === 'sha1') n.sha1 += hashBlocks(len, 64);
    else if (algo === 'sha224' || algo === 'sha256') n.sha256 += hashBlocks(len, 64);
    else n.sha512 += hashBlocks(len, 128);
  }
  return n;
}

/** What the device did in one read, beyond the crypto counts. */
export interface DeviceWork {
  crypto: CryptoCounts;
  /** Plain bytes of each protected READ BINARY answer (one entry per block). */
  readBlocks: number[];
  /** Other protected APDUs (SELECT under SM, INTERNAL AUTHENTICATE) and plain APDUs. */
  otherProtected: number;
  plainApdus: number;
  /** Host frames sent and their bytes; bytes received from the host; PN532 UART bytes. */
  hostFrames: number;
  usbOutBytes: number;
  usbInBytes: number;
  uartBytes: number;
}

/** Plain length of a protected READ BINARY answer (DO87 value minus indicator and padding, taken
 * as the full cryptogram: at most 7 bytes high). */
export function readBlocks(log: ApduRecord[]): { blocks: number[]; otherProtected: number; plain: number } {
  const blocks: number[] = [];
  let otherProtected = 0;
  let plain = 0;
  for (const r of log) {
    const c = r.command;
    if ((c[0] & 0x0c) !== 0x0c) {
      plain++;
      continue;
    }
    const resp = r.response;
    let size = -1;
    if ((c[1] === 0xb0 || c[1] === 0xb1) && resp && resp.length > 2) {
      for (const [tag, vs, ve] of objects(resp, 0, resp.length - 2)) if (tag === 0x87) size = ve - vs - 1;
    }
    if (size >= 0) blocks.push(size);
    else otherProtected++;
  }
  return { blocks, otherProtected, plain };
}

const add = (a: Range, b: Range, k = 1): Range => ({ low: a.low + k * b.low, high: a.high + k * b.high });
const ZERO: Range = { low: 0, high: 0 };

/** Interpreted JS for one READ BINARY block of `n` plain bytes: linear between the two measured
 * sizes (239, 2,048), never below the short block's cost. */
export function readBlockJsUs(n: number): Range {
  const s = DEVICE_COST.ops['read-239'].us;
  const l = DEVICE_COST.ops['read-2048'].us;
  const f = Math.max(0, (n - 239) / (2048 - 239));
  return { low: s.low + f * (l.low - s.low), high: s.high + f * (l.high - s.high) };
}

/** Device CPU in ms, native and interpreted JS apart, low..high. */
export function deviceCpuMs(w: DeviceWork): { native: Range; js: Range; total: Range } {
  const kb = NATIVE_COUNTS.perKB;
  const call = NATIVE_COUNTS.perCall;
  const c = w.crypto;
  let native = ZERO;
  native = add(native, kb['3des_cbc_decrypt'].us, (c.tdes * 8) / 1024);
  native = add(native, kb.retail_mac_update.us, (c.des * 8) / 1024);
  native = add(native, call.des_setkey.us, c.keySchedules);
  native = add(native, kb.sha1_update.us, (c.sha1 * 64) / 1024);
  native = add(native, kb.sha256_update.us, (c.sha256 * 64) / 1024);
  native = add(native, kb.sha512_update.us, (c.sha512 * 128) / 1024);
  native = add(native, kb.crc16.us, (w.usbOutBytes + w.usbInBytes) / 1024);
  native = add(native, kb.cobs_encode.us, w.usbOutBytes / 1024);
  native = add(native, kb.cobs_decode.us, w.usbInBytes / 1024);
  native = add(native, kb.pn532_dcs.us, w.uartBytes / 1024);
  const ops = DEVICE_COST.ops;
  let js = ZERO;
  for (const n of w.readBlocks) js = add(js, readBlockJsUs(n));
  js = add(js, add(add(ops['sm-wrap'].us, ops['sm-unwrap-239'].us), ops['pn532-exchange'].us), w.otherProtected);
  js = add(js, ops['pn532-exchange'].us, w.plainApdus);
  js = add(js, ops['host-frame'].us, w.hostFrames);
  const ms = (r: Range): Range => ({ low: r.low / 1000, high: r.high / 1000 });
  return { native: ms(native), js: ms(js), total: ms(add(native, js)) };
}

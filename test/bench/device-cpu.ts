// An ESTIMATE of the firmware's crypto CPU time on the board, from what it had to compute: DES
// and 3DES blocks of secure messaging (counted from the APDUs exactly as they crossed the air),
// DES key schedules, and SHA blocks (the data-group hashes against EF.SOD, BAC's SHA-1s).
//
// The shim runs the bundle in V8, so the modelled time carries no CPU time; Espruino interprets
// the same source. Cost = blocks x (JS operators per block, counted by hand in firmware/src/crypto)
// x (µs per interpreted operator: the one assumption, a parameter). See test/bench/README.md.

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

/** JS operators the firmware evaluates per unit (hand count of des.ts, sha1/256/512.ts: see README). */
export const OPS_PER_UNIT: Record<keyof CryptoCounts, number> = {
  des: 950,
  tdes: 2_700,
  keySchedules: 11_000,
  sha1: 2_100,
  sha256: 3_900,
  sha512: 10_900,
};

/** Default µs per interpreted operator on an Espruino Pico (STM32F401, 84 MHz): see README. */
export const DEFAULT_MICROS_PER_OP = 10;

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

/** Estimated device seconds for `counts` at `microsPerOp`. */
export function cpuSeconds(counts: CryptoCounts, microsPerOp = DEFAULT_MICROS_PER_OP): number {
  let ops = 0;
  for (const k of Object.keys(OPS_PER_UNIT) as (keyof CryptoCounts)[]) ops += counts[k] * OPS_PER_UNIT[k];
  return (ops * microsPerOp) / 1e6;
}

// ISO/IEC 9797-1 MAC algorithm 3 ("retail MAC") with DES, block size 8, padding method 2 applied
// by the MAC itself: CBC-MAC with K1 over all blocks, then the last block is decrypted with K2
// and encrypted again with K1. This is the MAC of ICAO 9303 BAC and 3DES secure messaging.
// Incremental, so that the SM layer can MAC SSC || header || data objects without concatenating.

import { DesCipher } from './des';

export class RetailMac {
  private _k1: DesCipher;
  private _k2: DesCipher;
  /** Chaining value as two big-endian words. */
  private _cv: Int32Array;
  /** A partial block waiting for more bytes. */
  private _block: Uint8Array;
  private _used: number;

  /** `key`: 16 bytes, K1 || K2. */
  constructor(key: Uint8Array) {
    if (key.length !== 16) throw new Error('retail MAC key must be 16 bytes');
    this._k1 = new DesCipher(key.subarray(0, 8));
    this._k2 = new DesCipher(key.subarray(8, 16));
    this._cv = new Int32Array(2);
    this._block = new Uint8Array(8);
    this._used = 0;
  }

  /** Starts a new MAC with the same key. */
  reset(): this {
    this._cv.fill(0);
    this._block.fill(0);
    this._used = 0;
    return this;
  }

  update(data: Uint8Array, offset?: number, length?: number): this {
    let o = offset || 0;
    const end = length === undefined ? data.length : o + length;
    const block = this._block;
    if (this._used) {
      while (this._used < 8 && o < end) block[this._used++] = data[o++];
      if (this._used < 8) return this;
      this._k1.macBlocks(this._cv, block, 0, 1);
      this._used = 0;
    }
    // Whole blocks straight from `data`: the hot path of secure messaging.
    const whole = (end - o) >> 3;
    if (whole) {
      this._k1.macBlocks(this._cv, data, o, whole);
      o += whole << 3;
    }
    while (o < end) block[this._used++] = data[o++];
    return this;
  }

  /** Pads (method 2), finishes and returns the 8-byte MAC; then resets for the next message. */
  finish(out?: Uint8Array, outOffset?: number): Uint8Array {
    const dst = out || new Uint8Array(8);
    const o = outOffset || 0;
    const block = this._block;
    block[this._used] = 0x80;
    block.fill(0, this._used + 1);
    const cv = this._cv;
    this._k1.macBlocks(cv, block, 0, 1);
    this._k2.cryptWords(cv, false);
    this._k1.cryptWords(cv, true);
    for (let i = 0; i < 8; i++) dst[o + i] = cv[i >> 2] >>> (24 - ((i & 3) << 3));
    this.reset();
    return dst;
  }

  wipe(): void {
    this._k1.wipe();
    this._k2.wipe();
    this.reset();
  }
}

/** One-shot retail MAC of `data` (padding method 2 included). */
export function retailMac(key: Uint8Array, data: Uint8Array): Uint8Array {
  const mac = new RetailMac(key);
  mac.update(data);
  const out = mac.finish();
  mac.wipe();
  return out;
}

/** Constant-time comparison of `a[ao, ao+n)` and `b[bo, bo+n)`. */
export function equalBytes(a: Uint8Array, ao: number, b: Uint8Array, bo: number, n: number): boolean {
  if (ao + n > a.length || bo + n > b.length) return false;
  let diff = 0;
  for (let i = 0; i < n; i++) diff |= a[ao + i] ^ b[bo + i];
  return diff === 0;
}

// 3DES-CBC and the retail MAC on the native blob (ABI.md entries des_setkey, des_cbc,
// mac_update, mac_final, wipe). Same methods and results as crypto/des.ts and
// crypto/retail-mac.ts, which stay the reference; the seams in crypto/des-cbc.ts and
// crypto/mac.ts pick one. The key schedules live in a 400-byte context owned by the object.

import { addressOf, callOver, contextAddress, COPY_BACK, E_DES_CBC, E_DES_SETKEY, E_MAC_FINAL, E_MAC_UPDATE, E_WIPE, SECRET, stageBuffer, type NativeFn } from './blob';

export const DES_CTX = 400;
/** Chaining value / IV inside the context (ABI.md "Context sizes"). */
const IV_AT = 384;

function setKey(f: NativeFn[], ctx: Uint8Array, key: Uint8Array): void {
  const n = key.length;
  if (n !== 8 && n !== 16 && n !== 24) throw new Error('DES key must be 8, 16 or 24 bytes');
  const s = stageBuffer();
  s.set(key, 0);
  f[E_DES_SETKEY](contextAddress(ctx), addressOf(s), n, 0);
  s.fill(0, 0, n);
}

function wipeContext(f: NativeFn[], ctx: Uint8Array): void {
  f[E_WIPE](contextAddress(ctx), DES_CTX, 0, 0);
}

export class NativeDesCipher {
  private _f: NativeFn[];
  private _ctx: Uint8Array;

  /** `ctx`: a 400-byte view to key (the SM ctx's first half, native-sm.ts), else one of its own. */
  constructor(f: NativeFn[], key: Uint8Array, ctx?: Uint8Array) {
    this._f = f;
    this._ctx = ctx || new Uint8Array(DES_CTX);
    setKey(f, this._ctx, key);
  }

  cbcEncrypt(iv: Uint8Array | null, data: Uint8Array, out?: Uint8Array): Uint8Array {
    return this._cbc(iv, data, out, 0);
  }

  cbcDecrypt(iv: Uint8Array | null, data: Uint8Array, out?: Uint8Array): Uint8Array {
    return this._cbc(iv, data, out, 1);
  }

  private _cbc(iv: Uint8Array | null, data: Uint8Array, out: Uint8Array | undefined, decrypt: number): Uint8Array {
    const n = data.length;
    if (n & 7) throw new Error('CBC data must be a multiple of 8 bytes');
    const dst = out || new Uint8Array(n);
    if (dst !== data) dst.set(data, 0);
    const ctx = this._ctx;
    if (iv) ctx.set(iv.subarray(0, 8), IV_AT);
    else ctx.fill(0, IV_AT, IV_AT + 8);
    callOver(this._f[E_DES_CBC], contextAddress(ctx), dst, 0, n, decrypt, COPY_BACK | SECRET);
    return dst;
  }

  wipe(): void {
    wipeContext(this._f, this._ctx);
  }
}

/** ISO/IEC 9797-1 MAC algorithm 3 with padding method 2, incremental (see crypto/retail-mac.ts). */
export class NativeRetailMac {
  private _f: NativeFn[];
  private _ctx: Uint8Array;
  /** A partial block waiting for more bytes. */
  private _block: Uint8Array;
  private _used: number;

  /** `key`: 16 bytes, K1 || K2. `ctx`: as for NativeDesCipher (the SM ctx's second half). */
  constructor(f: NativeFn[], key: Uint8Array, ctx?: Uint8Array) {
    if (key.length !== 16) throw new Error('retail MAC key must be 16 bytes');
    this._f = f;
    this._ctx = ctx || new Uint8Array(DES_CTX);
    this._block = new Uint8Array(8);
    this._used = 0;
    setKey(f, this._ctx, key);
  }

  reset(): this {
    this._ctx.fill(0, IV_AT, IV_AT + 8);
    this._block.fill(0);
    this._used = 0;
    return this;
  }

  private _blocks(data: Uint8Array, o: number, n: number): void {
    callOver(this._f[E_MAC_UPDATE], contextAddress(this._ctx), data, o, n, 0, SECRET);
  }

  update(data: Uint8Array, offset?: number, length?: number): this {
    let o = offset || 0;
    const end = length === undefined ? data.length : o + length;
    const block = this._block;
    if (this._used) {
      while (this._used < 8 && o < end) block[this._used++] = data[o++];
      if (this._used < 8) return this;
      this._blocks(block, 0, 8);
      this._used = 0;
    }
    const whole = (end - o) & ~7;
    if (whole) {
      this._blocks(data, o, whole);
      o += whole;
    }
    while (o < end) block[this._used++] = data[o++];
    return this;
  }

  /** Pads (method 2), finishes and returns the 8-byte MAC; then resets for the next message. */
  finish(out?: Uint8Array, outOffset?: number): Uint8Array {
    const dst = out || new Uint8Array(8);
    const at = outOffset || 0;
    const block = this._block;
    block[this._used] = 0x80;
    block.fill(0, this._used + 1);
    this._blocks(block, 0, 8);
    const s = stageBuffer();
    this._f[E_MAC_FINAL](contextAddress(this._ctx), addressOf(s), 0, 0);
    dst.set(s.subarray(0, 8), at);
    s.fill(0, 0, 8);
    this.reset();
    return dst;
  }

  wipe(): void {
    wipeContext(this._f, this._ctx);
    this.reset();
  }
}

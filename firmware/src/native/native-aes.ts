// AES and AES-CMAC for PACE, Chip Authentication and AES secure messaging (pace/ABI.md "TypeScript
// API for AES"): pace.bin entries 0-5 when the Storage file `pace` runs here, else the TypeScript
// references (crypto/aes.ts, crypto/cmac.ts). Callers cannot tell which.

import { AesBlockCipher } from '../crypto/aes';
import { AesCmacReference } from '../crypto/cmac';
import { addressOf, callOver, contextAddress, COPY_BACK, SECRET, stageBuffer, type NativeFn } from './blob';
import { P_AES_CBC, P_AES_ECB, P_AES_SETKEY, P_CMAC_FINAL, P_CMAC_INIT, P_CMAC_UPDATE, paceEntries } from './pace-blob';

const AES_CTX = 772;
const CMAC_CTX = 824;
/** The CBC chaining value inside the ctx (aes.h). */
const IV_AT = 240;

function checkKey(key: Uint8Array): void {
  const n = key.length;
  if (n !== 16 && n !== 24 && n !== 32) throw new Error('AES key must be 16, 24 or 32 bytes');
}

/** Keys a native ctx through the stage (the key array may not be flat); the stage is wiped. */
function keyNative(fn: NativeFn, ctx: Uint8Array, key: Uint8Array): void {
  const s = stageBuffer();
  s.set(key, 0);
  const r = fn(contextAddress(ctx), addressOf(s), key.length, 0);
  s.fill(0, 0, key.length);
  if (r < 0) throw new Error('AES key schedule');
}

/** Wipes a native ctx (its key schedule) with plain stores: no call needed. */
function wipeCtx(ctx: Uint8Array | null): void {
  if (ctx) ctx.fill(0);
}

export class AesCipher {
  private _f: NativeFn[] | null;
  private _ctx: Uint8Array | null;
  private _ref: AesBlockCipher | null;

  constructor(key: Uint8Array) {
    checkKey(key);
    this._f = paceEntries();
    this._ctx = null;
    this._ref = null;
    if (this._f) {
      this._ctx = new Uint8Array(AES_CTX);
      keyNative(this._f[P_AES_SETKEY], this._ctx, key);
    } else if (typeof NATIVE_ONLY === 'undefined' || !NATIVE_ONLY) {
      this._ref = new AesBlockCipher(key); // left out of NATIVE_ONLY device bundles
    } else {
      throw new Error('PACE blob missing');
    }
  }

  private _block(input16: Uint8Array, output16: Uint8Array, decrypt: number): void {
    const s = stageBuffer();
    s.set(input16.subarray(0, 16), 0);
    const at = addressOf(s);
    this._f![P_AES_ECB](contextAddress(this._ctx!), at, at + 16, decrypt);
    output16.set(s.subarray(16, 32), 0);
    s.fill(0, 0, 32);
  }

  /** One block (ECB); input and output may be the same array. */
  encryptBlock(input16: Uint8Array, output16: Uint8Array): void {
    if (this._ref) this._ref.encryptBlock(input16, output16);
    else this._block(input16, output16, 0);
  }

  decryptBlock(input16: Uint8Array, output16: Uint8Array): void {
    if (this._ref) this._ref.decryptBlock(input16, output16);
    else this._block(input16, output16, 1);
  }

  /** CBC in place over whole blocks; iv16 is not modified. */
  cbc(iv16: Uint8Array, data: Uint8Array, decrypt: boolean): void {
    if (this._ref) {
      this._ref.cbc(iv16, data, decrypt);
      return;
    }
    if (data.length & 15) throw new Error('AES-CBC data must be a multiple of 16 bytes');
    const ctx = this._ctx!;
    ctx.set(iv16.subarray(0, 16), IV_AT);
    callOver(this._f![P_AES_CBC], contextAddress(ctx), data, 0, data.length, decrypt ? 1 : 0, COPY_BACK | SECRET);
    ctx.fill(0, IV_AT, IV_AT + 16);
  }

  /** Zeroes the key schedule; the object is dead after. */
  wipe(): void {
    if (this._ref) this._ref.wipe();
    wipeCtx(this._ctx);
  }
}

/** AES-CMAC (NIST SP 800-38B), incremental. */
export class AesCmac {
  private _f: NativeFn[] | null;
  private _ctx: Uint8Array | null;
  private _ref: AesCmacReference | null;

  constructor(key: Uint8Array) {
    checkKey(key);
    this._f = paceEntries();
    this._ctx = null;
    this._ref = null;
    if (this._f) {
      this._ctx = new Uint8Array(CMAC_CTX);
      keyNative(this._f[P_CMAC_INIT], this._ctx, key);
    } else if (typeof NATIVE_ONLY === 'undefined' || !NATIVE_ONLY) {
      this._ref = new AesCmacReference(key);
    } else {
      throw new Error('PACE blob missing');
    }
  }

  update(data: Uint8Array, offset?: number, length?: number): this {
    const o = offset || 0;
    const n = length === undefined ? data.length - o : length;
    if (this._ref) this._ref.update(data, o, n);
    else if (n) callOver(this._f![P_CMAC_UPDATE], contextAddress(this._ctx!), data, o, n, 0, SECRET);
    return this;
  }

  /** The full 16-byte tag; then ready for a new message with the same key. */
  final16(out?: Uint8Array, outOffset?: number): Uint8Array {
    const dst = out || new Uint8Array(16);
    const at = outOffset || 0;
    if (this._ref) return this._ref.final16(dst, at);
    const s = stageBuffer();
    this._f![P_CMAC_FINAL](contextAddress(this._ctx!), addressOf(s), 0, 0);
    dst.set(s.subarray(0, 16), at);
    s.fill(0, 0, 16);
    return dst;
  }

  /** The first 8 bytes of the tag (ICAO 9303-11 §9.8.6.2, PACE tokens). */
  final8(out?: Uint8Array, outOffset?: number): Uint8Array {
    const tag = this.final16();
    const dst = out || new Uint8Array(8);
    dst.set(tag.subarray(0, 8), outOffset || 0);
    tag.fill(0);
    return dst;
  }

  wipe(): void {
    if (this._ref) this._ref.wipe();
    wipeCtx(this._ctx);
  }
}

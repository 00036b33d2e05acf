// AES-CMAC (NIST SP 800-38B, RFC 4493), the TypeScript reference and fallback of pace/cmac.c:
// incremental; the last block of the message so far is held until final, which XORs in K1 (a
// complete block) or K2 (a block padded 80 00 ..) before the last encryption.

import { AesBlockCipher } from './aes';

/** SP 800-38B 6.1: dst = src doubled in GF(2^128) (R_128 = 0x87), without a secret branch. */
function double(src: Uint8Array, dst: Uint8Array): void {
  const carry = src[0] >> 7;
  for (let i = 0; i < 15; i++) dst[i] = ((src[i] << 1) | (src[i + 1] >> 7)) & 0xff;
  dst[15] = ((src[15] << 1) ^ (0x87 & -carry)) & 0xff;
}

export class AesCmacReference {
  private _aes: AesBlockCipher;
  /** 0-15 X (chaining value), 16-31 the last block, 32-47 K1, 48-63 K2. */
  private _b: Uint8Array;
  private _used: number;

  /** `key`: 16, 24 or 32 bytes. */
  constructor(key: Uint8Array) {
    this._aes = new AesBlockCipher(key);
    const b = (this._b = new Uint8Array(64));
    this._used = 0;
    this._aes.encryptBlock(b, b, 16, 16); // L = E(K, 0)
    double(b.subarray(16, 32), b.subarray(32, 48));
    double(b.subarray(32, 48), b.subarray(48, 64));
    b.fill(0, 16, 32);
  }

  private _absorb(data: Uint8Array, at: number): void {
    const b = this._b;
    for (let i = 0; i < 16; i++) b[i] ^= data[at + i];
    this._aes.encryptBlock(b, b, 0, 0);
  }

  update(data: Uint8Array, offset?: number, length?: number): this {
    let o = offset || 0;
    const end = length === undefined ? data.length : o + length;
    const b = this._b;
    while (o < end) {
      if (this._used === 16) {
        this._absorb(b, 16);
        this._used = 0;
      }
      if (this._used === 0) {
        for (; end - o > 16; o += 16) this._absorb(data, o);
      }
      while (o < end && this._used < 16) b[16 + this._used++] = data[o++];
    }
    return this;
  }

  /** The 16-byte tag into out[outOffset ...) (new array by default); then ready for a new message. */
  final16(out?: Uint8Array, outOffset?: number): Uint8Array {
    const b = this._b;
    const k = this._used === 16 ? 32 : 48;
    if (this._used < 16) {
      b[16 + this._used] = 0x80;
      b.fill(0, 17 + this._used, 32);
    }
    for (let i = 0; i < 16; i++) b[i] ^= b[16 + i] ^ b[k + i];
    const dst = out || new Uint8Array(16);
    this._aes.encryptBlock(b, dst, 0, outOffset || 0);
    this.reset();
    return dst;
  }

  /** Drops a message in progress. */
  reset(): this {
    this._b.fill(0, 0, 32);
    this._used = 0;
    return this;
  }

  wipe(): void {
    this._aes.wipe();
    this._b.fill(0);
    this._used = 0;
  }
}

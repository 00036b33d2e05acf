// The Merkle-Damgard frame shared by SHA-1 and the SHA-2 family (FIPS 180-4 §5.1, §6): buffer
// input into blocks, pad with 80 00 .. and the message length in bits, read the state out
// big-endian. Subclasses supply the initial state and `_compress`; one copy of this code in the
// bundle instead of three.

export abstract class MdHash {
  readonly outputLength: number;
  /** Chaining state as 32-bit words (SHA-512: hi, lo pairs), read out big-endian. */
  protected _h: Int32Array;
  protected _buf: Uint8Array;
  protected _used: number;
  protected _total: number;
  protected _done: boolean;

  /** `blockSize` 64 or 128 bytes; the length field is blockSize / 8 bytes at the block's end. */
  constructor(blockSize: number, outputLength: number, iv: ArrayLike<number>) {
    this.outputLength = outputLength;
    this._h = new Int32Array(iv);
    this._buf = new Uint8Array(blockSize);
    this._used = 0;
    this._total = 0;
    this._done = false;
  }

  /** Compresses the block at `src[o, o + blockSize)` into `_h`. */
  protected abstract _compress(src: Uint8Array, o: number): void;

  update(data: Uint8Array, offset?: number, length?: number): void {
    if (this._done) throw new Error('hash already finished');
    let o = offset || 0;
    const end = length === undefined ? data.length : o + length;
    this._total += end - o;
    const buf = this._buf;
    const bs = buf.length;
    while (o < end) {
      if (this._used === 0 && end - o >= bs) {
        this._compress(data, o);
        o += bs;
        continue;
      }
      const take = Math.min(bs - this._used, end - o);
      buf.set(data.subarray(o, o + take), this._used);
      this._used += take;
      o += take;
      if (this._used === bs) {
        this._compress(buf, 0);
        this._used = 0;
      }
    }
  }

  digest(): Uint8Array {
    if (this._done) throw new Error('hash already finished');
    this._done = true;
    const buf = this._buf;
    const bs = buf.length;
    buf[this._used++] = 0x80;
    if (this._used > bs - (bs >> 3)) {
      buf.fill(0, this._used);
      this._compress(buf, 0);
      this._used = 0;
    }
    buf.fill(0, this._used);
    // Bit length, big-endian, in the last 8 bytes (a 128-bit field's upper half stays zero).
    const bitsHi = Math.floor(this._total / 0x20000000);
    const bitsLo = (this._total * 8) >>> 0;
    for (let i = 0; i < 4; i++) {
      buf[bs - 8 + i] = bitsHi >>> (24 - 8 * i);
      buf[bs - 4 + i] = bitsLo >>> (24 - 8 * i);
    }
    this._compress(buf, 0);
    const n = this.outputLength;
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = this._h[i >> 2] >>> (24 - ((i & 3) << 3));
    this._h.fill(0);
    buf.fill(0);
    return out;
  }
}

// SHA-1 (FIPS 180-4 §6.1), incremental, Uint8Array only. Used by BAC key derivation and by
// EF.SOD files that name id-sha1.

/** Message schedule shared by all instances (compression is synchronous, never re-entered). */
const W = new Int32Array(80);

export class Sha1 {
  readonly outputLength: number;
  private h: Int32Array;
  private buf: Uint8Array;
  private used: number;
  private total: number;
  private done: boolean;

  constructor() {
    this.outputLength = 20;
    this.h = new Int32Array([0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0]);
    this.buf = new Uint8Array(64);
    this.used = 0;
    this.total = 0;
    this.done = false;
  }

  private compress(src: Uint8Array, o: number): void {
    const w = W;
    for (let i = 0; i < 16; i++, o += 4) w[i] = (src[o] << 24) | (src[o + 1] << 16) | (src[o + 2] << 8) | src[o + 3];
    for (let i = 16; i < 80; i++) {
      const x = w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16];
      w[i] = (x << 1) | (x >>> 31);
    }
    const h = this.h;
    let a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
    for (let i = 0; i < 80; i++) {
      let f: number;
      let k: number;
      if (i < 20) { f = (b & c) | (~b & d); k = 0x5a827999; }
      else if (i < 40) { f = b ^ c ^ d; k = 0x6ed9eba1; }
      else if (i < 60) { f = (b & c) | (b & d) | (c & d); k = 0x8f1bbcdc; }
      else { f = b ^ c ^ d; k = 0xca62c1d6; }
      const t = (((a << 5) | (a >>> 27)) + f + e + k + w[i]) | 0;
      e = d; d = c; c = (b << 30) | (b >>> 2); b = a; a = t;
    }
    h[0] = (h[0] + a) | 0; h[1] = (h[1] + b) | 0; h[2] = (h[2] + c) | 0; h[3] = (h[3] + d) | 0; h[4] = (h[4] + e) | 0;
  }

  update(data: Uint8Array, offset?: number, length?: number): void {
    if (this.done) throw new Error('hash already finished');
    let o = offset || 0;
    const end = length === undefined ? data.length : o + length;
    this.total += end - o;
    const buf = this.buf;
    while (o < end) {
      if (this.used === 0 && end - o >= 64) {
        this.compress(data, o);
        o += 64;
        continue;
      }
      const take = Math.min(64 - this.used, end - o);
      buf.set(data.subarray(o, o + take), this.used);
      this.used += take;
      o += take;
      if (this.used === 64) {
        this.compress(buf, 0);
        this.used = 0;
      }
    }
  }

  digest(): Uint8Array {
    if (this.done) throw new Error('hash already finished');
    this.done = true;
    const buf = this.buf;
    buf[this.used++] = 0x80;
    if (this.used > 56) {
      buf.fill(0, this.used);
      this.compress(buf, 0);
      this.used = 0;
    }
    buf.fill(0, this.used);
    const bitsHi = Math.floor(this.total / 0x20000000);
    const bitsLo = (this.total * 8) >>> 0;
    buf[56] = bitsHi >>> 24; buf[57] = bitsHi >>> 16; buf[58] = bitsHi >>> 8; buf[59] = bitsHi;
    buf[60] = bitsLo >>> 24; buf[61] = bitsLo >>> 16; buf[62] = bitsLo >>> 8; buf[63] = bitsLo;
    this.compress(buf, 0);
    const out = new Uint8Array(20);
    for (let i = 0; i < 5; i++) {
      const v = this.h[i];
      out[i * 4] = v >>> 24; out[i * 4 + 1] = v >>> 16; out[i * 4 + 2] = v >>> 8; out[i * 4 + 3] = v;
    }
    this.h.fill(0);
    buf.fill(0);
    return out;
  }
}

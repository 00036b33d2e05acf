// SHA-256 and SHA-224 (FIPS 180-4 §6.2, §6.3), incremental, Uint8Array only.

const K256 = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

const IV256 = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
const IV224 = [0xc1059ed8, 0x367cd507, 0x3070dd17, 0xf70e5939, 0xffc00b31, 0x68581511, 0x64f98fa7, 0xbefa4fa4];

/** Message schedule shared by all instances (compression is synchronous, never re-entered). */
const W = new Int32Array(64);

export class Sha256 {
  readonly outputLength: number;
  private h: Int32Array;
  private buf: Uint8Array;
  private used: number;
  private total: number;
  private done: boolean;

  /** `is224`: SHA-224 (other IV, 28-byte output). */
  constructor(is224?: boolean) {
    this.outputLength = is224 ? 28 : 32;
    this.h = new Int32Array(is224 ? IV224 : IV256);
    this.buf = new Uint8Array(64);
    this.used = 0;
    this.total = 0;
    this.done = false;
  }

  private compress(src: Uint8Array, o: number): void {
    const w = W;
    const k = K256;
    for (let i = 0; i < 16; i++, o += 4) w[i] = (src[o] << 24) | (src[o + 1] << 16) | (src[o + 2] << 8) | src[o + 3];
    for (let i = 16; i < 64; i++) {
      const x = w[i - 15];
      const y = w[i - 2];
      const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
      const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
      w[i] = (w[i - 16] + s0 + w[i - 7] + s1) | 0;
    }
    const h = this.h;
    let a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
    for (let i = 0; i < 64; i++) {
      const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
      const t1 = (hh + S1 + ((e & f) ^ (~e & g)) + k[i] + w[i]) | 0;
      const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
      const t2 = (S0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
      hh = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
    }
    h[0] = (h[0] + a) | 0; h[1] = (h[1] + b) | 0; h[2] = (h[2] + c) | 0; h[3] = (h[3] + d) | 0;
    h[4] = (h[4] + e) | 0; h[5] = (h[5] + f) | 0; h[6] = (h[6] + g) | 0; h[7] = (h[7] + hh) | 0;
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
    const n = this.outputLength;
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = this.h[i >> 2] >>> (24 - ((i & 3) << 3));
    this.h.fill(0);
    buf.fill(0);
    return out;
  }
}

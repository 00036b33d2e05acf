// AES-128/192/256 (FIPS 197), the TypeScript reference and fallback of the native blob's
// pace/aes.c, written the same way: column words, the S-box by bytes, MixColumns on whole words.
// Espruino-safe: Uint8Array / Int32Array only, no Buffer, no BigInt; nothing allocated per block.

let sbox: Uint8Array | null = null;
let invSbox: Uint8Array | null = null;

/** FIPS 197 5.1.1, computed once from the definition: the inverse in GF(2^8) (from powers of
 * the generator 3), then the affine map. 512 bytes of RAM, built on first use. */
function tables(): void {
  const exp = new Uint8Array(256), log = new Uint8Array(256);
  let x = 1;
  for (let i = 0; i < 255; i++) {
    exp[i] = x;
    log[x] = i;
    x ^= (x << 1) ^ (x & 0x80 ? 0x11b : 0); // x * 3
  }
  sbox = new Uint8Array(256);
  invSbox = new Uint8Array(256);
  for (let i = 0; i < 256; i++) {
    const inv = i ? exp[(255 - log[i]) % 255] : 0;
    let b = inv;
    for (let k = 1; k < 5; k++) b ^= ((inv << k) | (inv >> (8 - k))) & 0xff;
    b ^= 0x63;
    sbox[i] = b;
    invSbox[b] = i;
  }
}

function ror(x: number, n: number): number {
  return (x >>> n) | (x << (32 - n));
}

/** xtime of the four bytes of w at once (FIPS 197 4.2.1). */
function xtime4(w: number): number {
  return ((w & 0x7f7f7f7f) << 1) ^ (((w >>> 7) & 0x01010101) * 0x1b);
}

function mixColumn(c: number): number {
  const r = ror(c, 8);
  return xtime4(c ^ r) ^ r ^ ror(c, 16) ^ ror(c, 24);
}

/** InvMixColumns as MixColumns after a_i ^= 4(a_i ^ a_i+2) (FIPS 197 5.3.3 factored). */
function invMixColumn(c: number): number {
  return mixColumn(c ^ xtime4(xtime4(c ^ ror(c, 16))));
}

/** One column of (Inv)SubBytes + (Inv)ShiftRows: row r from the r-th word given. */
function subColumn(s: Uint8Array, r0: number, r1: number, r2: number, r3: number): number {
  return s[r0 & 0xff] | (s[(r1 >>> 8) & 0xff] << 8) | (s[(r2 >>> 16) & 0xff] << 16) | (s[r3 >>> 24] << 24);
}

function load(b: Uint8Array, o: number): number {
  return b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24);
}

function store(b: Uint8Array, o: number, w: number): void {
  b[o] = w & 0xff;
  b[o + 1] = (w >>> 8) & 0xff;
  b[o + 2] = (w >>> 16) & 0xff;
  b[o + 3] = w >>> 24;
}

/** An expanded AES key: one-block encrypt and decrypt. */
export class AesBlockCipher {
  private _rk: Int32Array;
  private _rounds: number;
  private _state: Int32Array;

  /** `key`: 16, 24 or 32 bytes. */
  constructor(key: Uint8Array) {
    const nk = key.length >> 2;
    if (key.length !== 16 && key.length !== 24 && key.length !== 32) throw new Error('AES key must be 16, 24 or 32 bytes');
    if (!sbox) tables();
    const s = sbox!;
    const total = 4 * (nk + 7);
    const rk = new Int32Array(total);
    for (let i = 0; i < nk; i++) rk[i] = load(key, 4 * i);
    let rcon = 1;
    for (let i = nk, k = nk - 1; i < total; i++) {
      let t = rk[i - 1];
      if (++k === nk) k = 0; // k = i mod nk without a division
      if (k === 0) {
        const r = ror(t, 8);
        t = subColumn(s, r, r, r, r) ^ rcon;
        rcon = xtime4(rcon);
      } else if (nk === 8 && k === 4) {
        t = subColumn(s, t, t, t, t);
      }
      rk[i] = rk[i - nk] ^ t;
    }
    this._rk = rk;
    this._rounds = nk + 6;
    this._state = new Int32Array(4);
  }

  /** Encrypts input[inAt, inAt + 16) into output[outAt, ...); the two may be the same. */
  encryptBlock(input: Uint8Array, output: Uint8Array, inAt?: number, outAt?: number): void {
    const i = inAt || 0, o = outAt || 0, rk = this._rk, s = sbox!, st = this._state;
    let s0 = load(input, i) ^ rk[0], s1 = load(input, i + 4) ^ rk[1];
    let s2 = load(input, i + 8) ^ rk[2], s3 = load(input, i + 12) ^ rk[3];
    let k = 0;
    for (let r = 1; ; r++) {
      k += 4;
      const t0 = subColumn(s, s0, s1, s2, s3), t1 = subColumn(s, s1, s2, s3, s0);
      const t2 = subColumn(s, s2, s3, s0, s1), t3 = subColumn(s, s3, s0, s1, s2);
      if (r === this._rounds) {
        st[0] = t0; st[1] = t1; st[2] = t2; st[3] = t3;
        break;
      }
      s0 = mixColumn(t0) ^ rk[k];
      s1 = mixColumn(t1) ^ rk[k + 1];
      s2 = mixColumn(t2) ^ rk[k + 2];
      s3 = mixColumn(t3) ^ rk[k + 3];
    }
    for (let c = 0; c < 4; c++) store(output, o + 4 * c, st[c] ^ rk[k + c]);
  }

  /** Decrypts one block (the inverse cipher, FIPS 197 5.3); input and output may be the same. */
  decryptBlock(input: Uint8Array, output: Uint8Array, inAt?: number, outAt?: number): void {
    const i = inAt || 0, o = outAt || 0, rk = this._rk, s = invSbox!;
    let k = 4 * this._rounds;
    let s0 = load(input, i) ^ rk[k], s1 = load(input, i + 4) ^ rk[k + 1];
    let s2 = load(input, i + 8) ^ rk[k + 2], s3 = load(input, i + 12) ^ rk[k + 3];
    for (;;) {
      k -= 4;
      const t0 = subColumn(s, s0, s3, s2, s1) ^ rk[k], t1 = subColumn(s, s1, s0, s3, s2) ^ rk[k + 1];
      const t2 = subColumn(s, s2, s1, s0, s3) ^ rk[k + 2], t3 = subColumn(s, s3, s2, s1, s0) ^ rk[k + 3];
      if (k === 0) {
        store(output, o, t0);
        store(output, o + 4, t1);
        store(output, o + 8, t2);
        store(output, o + 12, t3);
        return;
      }
      s0 = invMixColumn(t0);
      s1 = invMixColumn(t1);
      s2 = invMixColumn(t2);
      s3 = invMixColumn(t3);
    }
  }

  /** CBC in place over `data` (a multiple of 16 bytes) from `iv` (16 bytes, not modified). */
  cbc(iv: Uint8Array, data: Uint8Array, decrypt: boolean): void {
    const n = data.length;
    if (n & 15) throw new Error('AES-CBC data must be a multiple of 16 bytes');
    if (iv.length !== 16) throw new Error('AES-CBC IV must be 16 bytes');
    const chain = new Uint8Array(32); // chaining value, then the saved ciphertext block
    chain.set(iv, 0);
    for (let o = 0; o < n; o += 16) {
      if (decrypt) {
        for (let j = 0; j < 16; j++) chain[16 + j] = data[o + j];
        this.decryptBlock(data, data, o, o);
        for (let j = 0; j < 16; j++) {
          data[o + j] ^= chain[j];
          chain[j] = chain[16 + j];
        }
      } else {
        for (let j = 0; j < 16; j++) data[o + j] ^= chain[j];
        this.encryptBlock(data, data, o, o);
        for (let j = 0; j < 16; j++) chain[j] = data[o + j];
      }
    }
    chain.fill(0);
  }

  /** Zeroes the key schedule; the object is useless afterwards. */
  wipe(): void {
    this._rk.fill(0);
    this._state.fill(0);
    this._rounds = 0;
  }
}

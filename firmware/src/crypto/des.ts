// DES and Triple DES (FIPS 46-3, ANSI X9.52), CBC (one block with a zero IV is ECB) and CBC-MAC steps, in plain code that Espruino runs.
//
// Layout (the classic fast software DES, as in Outerbridge's d3des and libdes):
// - the initial and final permutations are five masked swaps each (no bit loops);
// - the S-boxes and the P permutation are merged into eight 64-entry SP tables (Int32Array),
//   built once from the FIPS tables the first time a key is set;
// - the expansion E is two rotations of the right half: w1 = R rotated right by 1 holds the
//   6-bit inputs of S1, S3, S5, S7 at bit offsets 26, 18, 10, 2; w2 = R rotated left by 3 holds
//   those of S2, S4, S6, S8 at the same offsets. Each round key is stored pre-arranged the same
//   way as two 32-bit words, so a round is two XORs and eight table look-ups;
// - key schedules are computed once per key (32 words per DES key) and reused; no block
//   allocates.
// Cross-checked against node:crypto in des.test.ts.

/** S1..S8, row-major, one hex digit per entry (FIPS 46-3, appendix 1). */
const SBOX_HEX =
  'e4d12fb83a6c59070f74e2d1a6cb953841e8d62bfc973a50fc8249175b3ea06d' +
  'f18e6b34972dc05a3d47f28ec01a69b50e7ba4d158c6932fd8a13f42b67c05e9' +
  'a09e63f51dc7b428d709346a285ecbf1d6498f30b12c5ae71ad069874fe3b52c' +
  '7de3069a1285bc4fd8b56f03472c1ae9a690cb7df13e52843f06a1d8945bc72e' +
  '2c417ab6853fd0e9eb2c47d150fa3986421bad78f9c5630eb8c71e2d6f09a453' +
  'c1af92680d34e75baf427c9561de0b389ef528c3704a1db6432c95fabe17608d' +
  '4b2ef08d3c975a61d0b7491ae35c2f8614bdc37eaf6805926bd814a7950fe23c' +
  'd2846fb1a93e50c71fd8a374c56b0e927b419ce206adf35821e74a8dfc90356b';

/** P: output bit i (1-based, MSB first) takes input bit P[i]. */
const P_TABLE = new Uint8Array([16, 7, 20, 21, 29, 12, 28, 17, 1, 15, 23, 26, 5, 18, 31, 10, 2, 8, 24, 14, 32, 27, 3, 9, 19, 13, 30, 6, 22, 11, 4, 25]);

// The tables are Uint8Arrays, not arrays: on Espruino an array of numbers holds a variable per
// element for the whole session (152 here), a Uint8Array packs them into a few.

/** PC-1: 56 key bits (1-based, MSB of byte 0 is bit 1) into C (first 28) and D. */
const PC1_TABLE = new Uint8Array([
  57, 49, 41, 33, 25, 17, 9, 1, 58, 50, 42, 34, 26, 18, 10, 2, 59, 51, 43, 35, 27, 19, 11, 3, 60, 52, 44, 36,
  63, 55, 47, 39, 31, 23, 15, 7, 62, 54, 46, 38, 30, 22, 14, 6, 61, 53, 45, 37, 29, 21, 13, 5, 28, 20, 12, 4,
]);

/** PC-2: 48 round-key bits taken from C||D (1-based). */
const PC2_TABLE = new Uint8Array([
  14, 17, 11, 24, 1, 5, 3, 28, 15, 6, 21, 10, 23, 19, 12, 4, 26, 8, 16, 7, 27, 20, 13, 2,
  41, 52, 31, 37, 47, 55, 30, 40, 51, 45, 33, 48, 44, 49, 39, 56, 34, 53, 46, 42, 50, 36, 29, 32,
]);

/** Left rotations of C and D before each round. */
const KEY_SHIFTS = new Uint8Array([1, 1, 2, 2, 2, 2, 2, 2, 1, 2, 2, 2, 2, 2, 2, 1]);

let SP1: Int32Array, SP2: Int32Array, SP3: Int32Array, SP4: Int32Array;
let SP5: Int32Array, SP6: Int32Array, SP7: Int32Array, SP8: Int32Array;
let tablesReady = false;

function buildSpTable(box: number): Int32Array {
  const t = new Int32Array(64);
  // Where each of the box's four output bits lands after P.
  const masks = [0, 0, 0, 0];
  for (let i = 0; i < 32; i++) {
    const src = P_TABLE[i] - 1; // 0-based input bit
    if ((src >> 2) === box) masks[src & 3] |= 1 << (31 - i);
  }
  for (let j = 0; j < 64; j++) {
    const row = ((j >> 4) & 2) | (j & 1);
    const col = (j >> 1) & 15;
    const s = parseInt(SBOX_HEX.charAt(box * 64 + row * 16 + col), 16);
    t[j] = (s & 8 ? masks[0] : 0) | (s & 4 ? masks[1] : 0) | (s & 2 ? masks[2] : 0) | (s & 1 ? masks[3] : 0);
  }
  return t;
}

function ensureTables(): void {
  if (tablesReady) return;
  SP1 = buildSpTable(0); SP2 = buildSpTable(1); SP3 = buildSpTable(2); SP4 = buildSpTable(3);
  SP5 = buildSpTable(4); SP6 = buildSpTable(5); SP7 = buildSpTable(6); SP8 = buildSpTable(7);
  tablesReady = true;
}

/** The 16 round keys of one 8-byte DES key, two words per round (parity bits ignored). */
function desKeySchedule(key: Uint8Array, offset: number, out: Int32Array): void {
  let c = 0;
  let d = 0;
  for (let i = 0; i < 56; i++) {
    const b = PC1_TABLE[i] - 1;
    const bit = (key[offset + (b >> 3)] >> (7 - (b & 7))) & 1;
    if (i < 28) c = (c << 1) | bit;
    else d = (d << 1) | bit;
  }
  for (let round = 0; round < 16; round++) {
    const s = KEY_SHIFTS[round];
    c = ((c << s) | (c >>> (28 - s))) & 0x0fffffff;
    d = ((d << s) | (d >>> (28 - s))) & 0x0fffffff;
    let ka = 0;
    let kb = 0;
    for (let j = 0; j < 48; j++) {
      const b = PC2_TABLE[j] - 1;
      const bit = b < 28 ? (c >>> (27 - b)) & 1 : (d >>> (55 - b)) & 1;
      if (!bit) continue;
      const chunk = (j / 6) | 0; // S-box index 0..7
      const shift = 26 - ((chunk >> 1) << 3) + (5 - (j - chunk * 6));
      if (chunk & 1) kb |= 1 << shift;
      else ka |= 1 << shift;
    }
    out[round * 2] = ka;
    out[round * 2 + 1] = kb;
  }
}

/** Block state shared by the round function (left, right halves), reused, never reallocated. */
const LR = new Int32Array(2);

function initialPermutation(): void {
  let l = LR[0];
  let r = LR[1];
  let t = ((l >>> 4) ^ r) & 0x0f0f0f0f; r ^= t; l ^= t << 4;
  t = ((l >>> 16) ^ r) & 0x0000ffff; r ^= t; l ^= t << 16;
  t = ((r >>> 2) ^ l) & 0x33333333; l ^= t; r ^= t << 2;
  t = ((r >>> 8) ^ l) & 0x00ff00ff; l ^= t; r ^= t << 8;
  t = ((l >>> 1) ^ r) & 0x55555555; r ^= t; l ^= t << 1;
  LR[0] = l;
  LR[1] = r;
}

function finalPermutation(): void {
  let l = LR[0];
  let r = LR[1];
  let t = ((l >>> 1) ^ r) & 0x55555555; r ^= t; l ^= t << 1;
  t = ((r >>> 8) ^ l) & 0x00ff00ff; l ^= t; r ^= t << 8;
  t = ((r >>> 2) ^ l) & 0x33333333; l ^= t; r ^= t << 2;
  t = ((l >>> 16) ^ r) & 0x0000ffff; r ^= t; l ^= t << 16;
  t = ((l >>> 4) ^ r) & 0x0f0f0f0f; r ^= t; l ^= t << 4;
  LR[0] = l;
  LR[1] = r;
}

/** Sixteen rounds on LR (already through IP); leaves the pre-output R16 L16 in LR. */
function desRounds(ks: Int32Array, decrypt: boolean): void {
  let l = LR[0];
  let r = LR[1];
  let k = decrypt ? 30 : 0;
  const step = decrypt ? -2 : 2;
  for (let i = 0; i < 16; i++) {
    const w1 = ((r >>> 1) | (r << 31)) ^ ks[k];
    const w2 = ((r << 3) | (r >>> 29)) ^ ks[k + 1];
    const t = l ^ (SP1[(w1 >>> 26) & 63] | SP3[(w1 >>> 18) & 63] | SP5[(w1 >>> 10) & 63] | SP7[(w1 >>> 2) & 63] |
      SP2[(w2 >>> 26) & 63] | SP4[(w2 >>> 18) & 63] | SP6[(w2 >>> 10) & 63] | SP8[(w2 >>> 2) & 63]);
    l = r;
    r = t;
    k += step;
  }
  LR[0] = r;
  LR[1] = l;
}

function loadBlock(src: Uint8Array, o: number): void {
  LR[0] = (src[o] << 24) | (src[o + 1] << 16) | (src[o + 2] << 8) | src[o + 3];
  LR[1] = (src[o + 4] << 24) | (src[o + 5] << 16) | (src[o + 6] << 8) | src[o + 7];
}

function storeBlock(dst: Uint8Array, o: number): void {
  const l = LR[0];
  const r = LR[1];
  dst[o] = l >>> 24; dst[o + 1] = l >>> 16; dst[o + 2] = l >>> 8; dst[o + 3] = l;
  dst[o + 4] = r >>> 24; dst[o + 5] = r >>> 16; dst[o + 6] = r >>> 8; dst[o + 7] = r;
}

/**
 * DES with an 8-byte key, or Triple DES (EDE) with a 16-byte (two-key: K1 K2 K1, as ICAO 9303
 * uses) or 24-byte (three-key) key. Parity bits are ignored, as FIPS 46-3 allows.
 */
export class DesCipher {
  private _ks1: Int32Array;
  private _ks2: Int32Array | null;
  private _ks3: Int32Array | null;

  constructor(key: Uint8Array) {
    const n = key.length;
    if (n !== 8 && n !== 16 && n !== 24) throw new Error('DES key must be 8, 16 or 24 bytes');
    ensureTables();
    this._ks1 = new Int32Array(32);
    desKeySchedule(key, 0, this._ks1);
    this._ks2 = null;
    this._ks3 = null;
    if (n > 8) {
      this._ks2 = new Int32Array(32);
      desKeySchedule(key, 8, this._ks2);
      if (n === 24) {
        this._ks3 = new Int32Array(32);
        desKeySchedule(key, 16, this._ks3);
      } else {
        this._ks3 = this._ks1;
      }
    }
  }

  /** Encrypts or decrypts the block held in LR (raw, through IP and FP). */
  private _cryptLr(encrypt: boolean): void {
    initialPermutation();
    if (this._ks2 === null) {
      desRounds(this._ks1, !encrypt);
    } else if (encrypt) {
      // FP then IP between the stages cancel out, so the three stages run back to back.
      desRounds(this._ks1, false);
      desRounds(this._ks2, true);
      desRounds(this._ks3!, false);
    } else {
      desRounds(this._ks3!, true);
      desRounds(this._ks2, false);
      desRounds(this._ks1, true);
    }
    finalPermutation();
  }

  /**
   * CBC encryption of `data` (a multiple of 8 bytes; pad first) into `out` (may be `data`).
   * `iv` null means eight zero bytes, as in ICAO 9303.
   */
  cbcEncrypt(iv: Uint8Array | null, data: Uint8Array, out?: Uint8Array): Uint8Array {
    const n = data.length;
    if (n & 7) throw new Error('CBC data must be a multiple of 8 bytes');
    const dst = out || new Uint8Array(n);
    let pl = 0;
    let pr = 0;
    if (iv) {
      loadBlock(iv, 0);
      pl = LR[0];
      pr = LR[1];
    }
    for (let o = 0; o < n; o += 8) {
      loadBlock(data, o);
      LR[0] ^= pl;
      LR[1] ^= pr;
      this._cryptLr(true);
      pl = LR[0];
      pr = LR[1];
      storeBlock(dst, o);
    }
    return dst;
  }

  /** CBC decryption; `out` may be `data`. Padding is the caller's business. */
  cbcDecrypt(iv: Uint8Array | null, data: Uint8Array, out?: Uint8Array): Uint8Array {
    const n = data.length;
    if (n & 7) throw new Error('CBC data must be a multiple of 8 bytes');
    const dst = out || new Uint8Array(n);
    let pl = 0;
    let pr = 0;
    if (iv) {
      loadBlock(iv, 0);
      pl = LR[0];
      pr = LR[1];
    }
    for (let o = 0; o < n; o += 8) {
      loadBlock(data, o);
      const cl = LR[0];
      const cr = LR[1];
      this._cryptLr(false);
      LR[0] ^= pl;
      LR[1] ^= pr;
      pl = cl;
      pr = cr;
      storeBlock(dst, o);
    }
    return dst;
  }

  /**
   * CBC-MAC step on whole blocks, chaining value as two words: for each 8-byte block of
   * `src[o, o + 8 * blocks)`, cv = E(cv XOR block). No byte copies, no allocation.
   */
  macBlocks(cv: Int32Array, src: Uint8Array, o: number, blocks: number): void {
    for (let end = o + 8 * blocks; o < end; o += 8) {
      loadBlock(src, o);
      LR[0] ^= cv[0];
      LR[1] ^= cv[1];
      this._cryptLr(true);
      cv[0] = LR[0];
      cv[1] = LR[1];
    }
  }

  /** Encrypts (or decrypts) the block held as two words in `cv`, in place. */
  cryptWords(cv: Int32Array, encrypt: boolean): void {
    LR[0] = cv[0];
    LR[1] = cv[1];
    this._cryptLr(encrypt);
    cv[0] = LR[0];
    cv[1] = LR[1];
  }

  /** Overwrites the key schedules with zeros; the object is useless afterwards. */
  wipe(): void {
    this._ks1.fill(0);
    if (this._ks2) this._ks2.fill(0);
    if (this._ks3) this._ks3.fill(0);
    LR[0] = 0;
    LR[1] = 0;
  }
}

/** Sets the low bit of each byte so that every byte has odd parity (DES key convention). */
export function adjustDesParity(key: Uint8Array): Uint8Array {
  for (let i = 0; i < key.length; i++) {
    let b = key[i] & 0xfe;
    let ones = 0;
    for (let x = b; x; x >>= 1) ones += x & 1;
    if (!(ones & 1)) b |= 1;
    key[i] = b;
  }
  return key;
}

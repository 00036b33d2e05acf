// A JavaScript stand-in for the native blob (firmware/native/ABI.md) on the real Linux interpreter,
// where E.nativeCall would run x86: loaded before dist/firmware-pico.js, it answers the bundle's
// E.nativeCall with one function per entry, with the ABI's semantics, so that the Pico's own
// bundle (NATIVE_ONLY: no TypeScript crypto in it) runs its native code paths and its memory can
// be measured. Bundled for Espruino by oracle-read.ts; its outputs are checked against
// node:crypto in native-oracle.test.ts, and a read's UART bytes against the shim's recording.
//
// Addresses: on these builds E.getAddressOf returns a JsVarInt (32 bits; the 64-bit build's heap
// pointer is truncated) and peek8 reads through jshFlashGetMemMapAddress, which is 0 on Linux
// (peek8 of any address segfaults on both builds). So E.getAddressOf is replaced: for a flat
// array (the real call's answer is non-zero) it hands out a handle, a slot's tag << 20 plus the real
// address's low two bits (alignment checks see what this interpreter gives), and the bundle adds
// its offsets to that. The slots hold arrays only from the first E.getAddressOf after a native
// call until the next one (a call's arguments are taken just before it; callOver reuses them over
// its chunks with no E.getAddressOf in between), and `release()` empties them at every UART and USB
// write, where memory is sampled: the oracle holds no array of the firmware at a sample.
//
// Memory: every table and scratch array is allocated when the file loads, measured then and
// subtracted; a call allocates nothing (native-oracle.test.ts checks it). The oracle is written
// for few variables, not for reuse: on this interpreter each function costs ~7 variables, so the
// algorithms are ported from the firmware's references (crypto/des.ts, sha1.ts, sha256.ts,
// sha512.ts, md-hash.ts; sm.c for the unwrap) into a few functions over shared scratch words.
// The ctx and state layouts are the oracle's own (the ABI leaves them to the implementation),
// within the ABI's sizes; the IV at DES ctx byte 384 and the SSC at SM ctx byte 800 are the ABI's.

import { IV384, IV512, K512 } from '../../src/crypto/sha2-tables';

const SIGNATURE = 'int(int,int,int,int)';
/** ABI.md's entries (blob.ts ENTRY_COUNT). */
export const ENTRY_COUNT = 19;
const SLOTS = 8;
const SLOT_SHIFT = 20;
/** What E.getAddressOf gives for the blob string (the only string a BAC bundle asks about). */
const BLOB_HANDLE = 0x7ff00000;

// ---- handles ----

const slotArray: (Uint8Array | null)[] = [];
const slotSkew = new Uint8Array(SLOTS);
/** Per slot, the tag its handles carry: (generation * SLOTS + slot + 1), so that a handle kept
 * past its release is refused rather than read as the slot's next array. */
const slotTag = new Uint16Array(SLOTS);
for (let i = 0; i < SLOTS; i++) slotArray.push(null);
let generation = 0;
let called = false;
let realGetAddressOf: (v: unknown, flat: boolean) => number;
/** decode(): the array and offset of a handle (module fields: no allocation). */
let dArr: Uint8Array;
let dOff = 0;

function release(): void {
  for (let i = 0; i < SLOTS; i++) slotArray[i] = null;
  called = false;
}

function getAddressOf(v: unknown, flat: boolean): number {
  if (flat && typeof v === 'string') return BLOB_HANDLE;
  const real = realGetAddressOf(v, flat);
  if (!flat || !real) return real;
  if (called) release();
  let free = -1;
  for (let i = 0; i < SLOTS; i++) {
    if (slotArray[i] === v) return (slotTag[i] << SLOT_SHIFT) + slotSkew[i];
    if (free < 0 && !slotArray[i]) free = i;
  }
  if (free < 0) throw new Error('oracle: more than ' + SLOTS + ' arrays between native calls');
  generation = (generation + 1) & 127;
  slotArray[free] = v as Uint8Array;
  slotSkew[free] = real & 3;
  slotTag[free] = generation * SLOTS + free + 1;
  return (slotTag[free] << SLOT_SHIFT) + (real & 3);
}

/** Sets dArr/dOff from a handle plus offset; throws for a handle whose array was released. */
function decode(h: number): void {
  const tag = h >> SLOT_SHIFT;
  const slot = (tag - 1) & (SLOTS - 1);
  const a = tag > 0 && slotTag[slot] === tag ? slotArray[slot] : null;
  if (!a) throw new Error('oracle: stale or foreign address ' + h);
  dArr = a;
  dOff = (h & ((1 << SLOT_SHIFT) - 1)) - slotSkew[slot];
}

function u32(a: Uint8Array, o: number): number {
  return a[o] | (a[o + 1] << 8) | (a[o + 2] << 16) | (a[o + 3] << 24);
}

function put32(a: Uint8Array, o: number, v: number): void {
  a[o] = v; a[o + 1] = v >> 8; a[o + 2] = v >> 16; a[o + 3] = v >>> 24;
}

/** A big-endian word. */
function be(a: Uint8Array, o: number): number {
  return (a[o] << 24) | (a[o + 1] << 16) | (a[o + 2] << 8) | a[o + 3];
}

function putBe(a: Uint8Array, o: number, v: number): void {
  a[o] = v >>> 24; a[o + 1] = v >> 16; a[o + 2] = v >> 8; a[o + 3] = v;
}

// ---- DES (crypto/des.ts's layout: SP tables, two pre-arranged words per round key). DES ctx:
// K1, K2, K3 schedules (32 words LE each) at 0, 128, 256; CV at 384 (big-endian); key length at
// 392 ----

const IV_AT = 384;
const KEYLEN_AT = 392;
/** SP1..SP8 (S-box then P), 64 words each. */
const SP = new Int32Array(512);
/** The schedules of the ctx in use. */
const KS = new Int32Array(96);
const PC1 = new Uint8Array([
  57, 49, 41, 33, 25, 17, 9, 1, 58, 50, 42, 34, 26, 18, 10, 2, 59, 51, 43, 35, 27, 19, 11, 3, 60, 52, 44, 36,
  63, 55, 47, 39, 31, 23, 15, 7, 62, 54, 46, 38, 30, 22, 14, 6, 61, 53, 45, 37, 29, 21, 13, 5, 28, 20, 12, 4,
]);
const PC2 = new Uint8Array([
  14, 17, 11, 24, 1, 5, 3, 28, 15, 6, 21, 10, 23, 19, 12, 4, 26, 8, 16, 7, 27, 20, 13, 2,
  41, 52, 31, 37, 47, 55, 30, 40, 51, 45, 33, 48, 44, 49, 39, 56, 34, 53, 46, 42, 50, 36, 29, 32,
]);
const SHIFTS = new Uint8Array([1, 1, 2, 2, 2, 2, 2, 2, 1, 2, 2, 2, 2, 2, 2, 1]);
/** The block being processed (two words), and the CBC-MAC chaining value. */
let L = 0;
let R = 0;
let ML = 0;
let MR = 0;

// The SP tables, built once (the S-boxes and P are needed only here).
(function () {
  const sbox = 'e4d12fb83a6c59070f74e2d1a6cb953841e8d62bfc973a50fc8249175b3ea06d' +
    'f18e6b34972dc05a3d47f28ec01a69b50e7ba4d158c6932fd8a13f42b67c05e9' +
    'a09e63f51dc7b428d709346a285ecbf1d6498f30b12c5ae71ad069874fe3b52c' +
    '7de3069a1285bc4fd8b56f03472c1ae9a690cb7df13e52843f06a1d8945bc72e' +
    '2c417ab6853fd0e9eb2c47d150fa3986421bad78f9c5630eb8c71e2d6f09a453' +
    'c1af92680d34e75baf427c9561de0b389ef528c3704a1db6432c95fabe17608d' +
    '4b2ef08d3c975a61d0b7491ae35c2f8614bdc37eaf6805926bd814a7950fe23c' +
    'd2846fb1a93e50c71fd8a374c56b0e927b419ce206adf35821e74a8dfc90356b';
  const p = [16, 7, 20, 21, 29, 12, 28, 17, 1, 15, 23, 26, 5, 18, 31, 10, 2, 8, 24, 14, 32, 27, 3, 9, 19, 13, 30, 6, 22, 11, 4, 25];
  for (let box = 0; box < 8; box++) {
    const masks = [0, 0, 0, 0];
    for (let i = 0; i < 32; i++) if (((p[i] - 1) >> 2) === box) masks[(p[i] - 1) & 3] |= 1 << (31 - i);
    for (let j = 0; j < 64; j++) {
      const v = parseInt(sbox.charAt(box * 64 + (((j >> 4) & 2) | (j & 1)) * 16 + ((j >> 1) & 15)), 16);
      SP[box * 64 + j] = (v & 8 ? masks[0] : 0) | (v & 4 ? masks[1] : 0) | (v & 2 ? masks[2] : 0) | (v & 1 ? masks[3] : 0);
    }
  }
})();

/** The 32 round-key words of the DES key k[o, o + 8) into ctx bytes at w. */
function schedule(k: Uint8Array, o: number, ctx: Uint8Array, w: number): void {
  let c = 0;
  let d = 0;
  for (let i = 0; i < 56; i++) {
    const b = PC1[i] - 1;
    const bit = (k[o + (b >> 3)] >> (7 - (b & 7))) & 1;
    if (i < 28) c = (c << 1) | bit;
    else d = (d << 1) | bit;
  }
  for (let round = 0; round < 16; round++) {
    const s = SHIFTS[round];
    c = ((c << s) | (c >>> (28 - s))) & 0x0fffffff;
    d = ((d << s) | (d >>> (28 - s))) & 0x0fffffff;
    let ka = 0;
    let kb = 0;
    for (let j = 0; j < 48; j++) {
      const b = PC2[j] - 1;
      if (!(b < 28 ? (c >>> (27 - b)) & 1 : (d >>> (55 - b)) & 1)) continue;
      const chunk = (j / 6) | 0;
      const shift = 26 - ((chunk >> 1) << 3) + (5 - (j - chunk * 6));
      if (chunk & 1) kb |= 1 << shift;
      else ka |= 1 << shift;
    }
    put32(ctx, w + 8 * round, ka);
    put32(ctx, w + 8 * round + 4, kb);
  }
}

function loadSchedules(ctx: Uint8Array, o: number): void {
  for (let i = 0; i < 96; i++) KS[i] = u32(ctx, o + 4 * i);
}

/** Sixteen rounds on L, R with the schedule at word k (reversed to decrypt). */
function rounds(k: number, decrypt: boolean): void {
  let l = L;
  let r = R;
  let i = decrypt ? k + 30 : k;
  const step = decrypt ? -2 : 2;
  for (let n = 0; n < 16; n++) {
    const w1 = ((r >>> 1) | (r << 31)) ^ KS[i];
    const w2 = ((r << 3) | (r >>> 29)) ^ KS[i + 1];
    const t = l ^ (SP[(w1 >>> 26) & 63] | SP[128 + ((w1 >>> 18) & 63)] | SP[256 + ((w1 >>> 10) & 63)] | SP[384 + ((w1 >>> 2) & 63)] |
      SP[64 + ((w2 >>> 26) & 63)] | SP[192 + ((w2 >>> 18) & 63)] | SP[320 + ((w2 >>> 10) & 63)] | SP[448 + ((w2 >>> 2) & 63)]);
    l = r;
    r = t;
    i += step;
  }
  L = r;
  R = l;
}

/** The block in L, R through IP, the stages of `mode`, FP. Modes: 0 E(K1), 1 D(K2), 2 3DES
 * encrypt (E K1, D K2, E K3), 3 3DES decrypt, 4 D(K1). */
function crypt(mode: number): void {
  let l = L;
  let r = R;
  let t = ((l >>> 4) ^ r) & 0x0f0f0f0f; r ^= t; l ^= t << 4;
  t = ((l >>> 16) ^ r) & 0x0000ffff; r ^= t; l ^= t << 16;
  t = ((r >>> 2) ^ l) & 0x33333333; l ^= t; r ^= t << 2;
  t = ((r >>> 8) ^ l) & 0x00ff00ff; l ^= t; r ^= t << 8;
  t = ((l >>> 1) ^ r) & 0x55555555; r ^= t; l ^= t << 1;
  L = l;
  R = r;
  if (mode === 0) rounds(0, false);
  else if (mode === 1) rounds(32, true);
  else if (mode === 4) rounds(0, true);
  else if (mode === 2) {
    rounds(0, false);
    rounds(32, true);
    rounds(64, false);
  } else {
    rounds(64, true);
    rounds(32, false);
    rounds(0, true);
  }
  l = L;
  r = R;
  t = ((l >>> 1) ^ r) & 0x55555555; r ^= t; l ^= t << 1;
  t = ((r >>> 8) ^ l) & 0x00ff00ff; l ^= t; r ^= t << 8;
  t = ((r >>> 2) ^ l) & 0x33333333; l ^= t; r ^= t << 2;
  t = ((l >>> 16) ^ r) & 0x0000ffff; r ^= t; l ^= t << 16;
  t = ((l >>> 4) ^ r) & 0x0f0f0f0f; r ^= t; l ^= t << 4;
  L = l;
  R = r;
}

/** CBC over buf[o, o + n) in place from the ctx's CV, which is left as the last ciphertext. */
function cbc(ctx: Uint8Array, co: number, buf: Uint8Array, o: number, n: number, decrypt: boolean): void {
  loadSchedules(ctx, co);
  const single = u32(ctx, co + KEYLEN_AT) === 8;
  const mode = decrypt ? (single ? 4 : 3) : single ? 0 : 2;
  let cl = be(ctx, co + IV_AT);
  let cr = be(ctx, co + IV_AT + 4);
  for (const end = o + n; o < end; o += 8) {
    const bl = be(buf, o);
    const br = be(buf, o + 4);
    if (decrypt) {
      L = bl;
      R = br;
      crypt(mode);
      L ^= cl;
      R ^= cr;
      cl = bl;
      cr = br;
    } else {
      L = bl ^ cl;
      R = br ^ cr;
      crypt(mode);
      cl = L;
      cr = R;
    }
    putBe(buf, o, L);
    putBe(buf, o + 4, R);
  }
  putBe(ctx, co + IV_AT, cl);
  putBe(ctx, co + IV_AT + 4, cr);
  L = R = 0;
}

/** CBC-MAC with K1 (schedules loaded) over data[o, o + n) into ML, MR. */
function macBlocks(data: Uint8Array, o: number, n: number): void {
  for (const end = o + n; o < end; o += 8) {
    L = ML ^ be(data, o);
    R = MR ^ be(data, o + 4);
    crypt(0);
    ML = L;
    MR = R;
  }
}

/** ML, MR -> D(K2) -> E(K1), left in L, R. */
function macFinish(): void {
  L = ML;
  R = MR;
  crypt(1);
  crypt(0);
  ML = MR = 0;
}

function desSetkey(ctxH: number, keyH: number, n: number): number {
  called = true;
  if (n !== 8 && n !== 16 && n !== 24) return -1;
  decode(keyH);
  const key = dArr;
  const ko = dOff;
  decode(ctxH);
  schedule(key, ko, dArr, dOff);
  schedule(key, n > 8 ? ko + 8 : ko, dArr, dOff + 128);
  schedule(key, n > 16 ? ko + 16 : ko, dArr, dOff + 256);
  dArr.fill(0, dOff + IV_AT, dOff + IV_AT + 8);
  put32(dArr, dOff + KEYLEN_AT, n);
  return 0;
}

function desCbc(ctxH: number, bufH: number, n: number, flags: number): number {
  called = true;
  if (n & 7) return -1;
  if (!n) return 0;
  decode(ctxH);
  const ctx = dArr;
  const co = dOff;
  decode(bufH);
  cbc(ctx, co, dArr, dOff, n, (flags & 1) === 1);
  return 0;
}

function macUpdate(ctxH: number, dataH: number, n: number): number {
  called = true;
  decode(ctxH);
  const ctx = dArr;
  const co = dOff;
  if ((n & 7) || u32(ctx, co + KEYLEN_AT) === 8) return -1;
  if (!n) return 0;
  decode(dataH);
  loadSchedules(ctx, co);
  ML = be(ctx, co + IV_AT);
  MR = be(ctx, co + IV_AT + 4);
  macBlocks(dArr, dOff, n);
  putBe(ctx, co + IV_AT, ML);
  putBe(ctx, co + IV_AT + 4, MR);
  ML = MR = 0;
  return 0;
}

function macFinal(ctxH: number, outH: number): number {
  called = true;
  decode(ctxH);
  const ctx = dArr;
  const co = dOff;
  loadSchedules(ctx, co);
  ML = be(ctx, co + IV_AT);
  MR = be(ctx, co + IV_AT + 4);
  macFinish();
  ctx.fill(0, co + IV_AT, co + IV_AT + 8);
  decode(outH);
  putBe(dArr, dOff, L);
  putBe(dArr, dOff + 4, R);
  L = R = 0;
  return 0;
}

// ---- SHA-1, SHA-224/256, SHA-384/512 (family f 0, 1, 2). State: H words LE at 0, the partial
// block at bufAt (20, 32, 64), bytes so far at bufAt + block, output length 4 bytes later ----

const H = new Int32Array(16);
const SHA1_IV = new Int32Array([0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0]);
const W = new Int32Array(160);

function bufAt(f: number): number {
  return f === 0 ? 20 : f === 1 ? 32 : 64;
}

/** The block at src[o, o + 64 or 128) into H (crypto/sha1.ts, sha256.ts, sha512.ts). */
function compress(f: number, src: Uint8Array, o: number): void {
  const w = W;
  const h = H;
  if (f === 0) {
    for (let i = 0; i < 16; i++, o += 4) w[i] = be(src, o);
    for (let i = 16; i < 80; i++) {
      const x = w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16];
      w[i] = (x << 1) | (x >>> 31);
    }
    let a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
    for (let i = 0; i < 80; i++) {
      const fk = i < 20 ? ((b & c) | (~b & d)) + 0x5a827999 : i < 40 ? (b ^ c ^ d) + 0x6ed9eba1 : i < 60 ? ((b & c) | (b & d) | (c & d)) + 0x8f1bbcdc : (b ^ c ^ d) + 0xca62c1d6;
      const t = (((a << 5) | (a >>> 27)) + fk + e + w[i]) | 0;
      e = d; d = c; c = (b << 30) | (b >>> 2); b = a; a = t;
    }
    h[0] = (h[0] + a) | 0; h[1] = (h[1] + b) | 0; h[2] = (h[2] + c) | 0; h[3] = (h[3] + d) | 0; h[4] = (h[4] + e) | 0;
    return;
  }
  const k = K512;
  if (f === 1) {
    // SHA-256's constants are the high words of SHA-512's first 64 (sha2-tables.ts K256).
    for (let i = 0; i < 16; i++, o += 4) w[i] = be(src, o);
    for (let i = 16; i < 64; i++) {
      const x = w[i - 15];
      const y = w[i - 2];
      const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
      const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
      w[i] = (w[i - 16] + s0 + w[i - 7] + s1) | 0;
    }
    let a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], ff = h[5], g = h[6], hh = h[7];
    for (let i = 0; i < 64; i++) {
      const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
      const t1 = (hh + S1 + ((e & ff) ^ (~e & g)) + k[2 * i] + w[i]) | 0;
      const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
      const t2 = (S0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
      hh = g; g = ff; ff = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
    }
    h[0] = (h[0] + a) | 0; h[1] = (h[1] + b) | 0; h[2] = (h[2] + c) | 0; h[3] = (h[3] + d) | 0;
    h[4] = (h[4] + e) | 0; h[5] = (h[5] + ff) | 0; h[6] = (h[6] + g) | 0; h[7] = (h[7] + hh) | 0;
    return;
  }
  // SHA-512: 64-bit words as hi, lo pairs; a sum's carry out of the low halves is (sum / 2^32) | 0.
  const C32 = 0x100000000;
  for (let i = 0; i < 32; i++, o += 4) w[i] = be(src, o);
  for (let i = 32; i < 160; i += 2) {
    let xh = w[i - 30], xl = w[i - 29];
    const s0h = ((xh >>> 1) | (xl << 31)) ^ ((xh >>> 8) | (xl << 24)) ^ (xh >>> 7);
    const s0l = ((xl >>> 1) | (xh << 31)) ^ ((xl >>> 8) | (xh << 24)) ^ ((xl >>> 7) | (xh << 25));
    xh = w[i - 4]; xl = w[i - 3];
    const s1h = ((xh >>> 19) | (xl << 13)) ^ ((xl >>> 29) | (xh << 3)) ^ (xh >>> 6);
    const s1l = ((xl >>> 19) | (xh << 13)) ^ ((xh >>> 29) | (xl << 3)) ^ ((xl >>> 6) | (xh << 26));
    const lo = (s0l >>> 0) + (s1l >>> 0) + (w[i - 13] >>> 0) + (w[i - 31] >>> 0);
    w[i] = (s0h + s1h + w[i - 14] + w[i - 32] + ((lo / C32) | 0)) | 0;
    w[i + 1] = lo | 0;
  }
  let ah = h[0], al = h[1], bh = h[2], bl = h[3], ch = h[4], cl = h[5], dh = h[6], dl = h[7];
  let eh = h[8], el = h[9], fh = h[10], fl = h[11], gh = h[12], gl = h[13], hh = h[14], hl = h[15];
  for (let i = 0; i < 160; i += 2) {
    const S1h = ((eh >>> 14) | (el << 18)) ^ ((eh >>> 18) | (el << 14)) ^ ((el >>> 9) | (eh << 23));
    const S1l = ((el >>> 14) | (eh << 18)) ^ ((el >>> 18) | (eh << 14)) ^ ((eh >>> 9) | (el << 23));
    const chh = (eh & fh) ^ (~eh & gh);
    const chl = (el & fl) ^ (~el & gl);
    const t1l = (hl >>> 0) + (S1l >>> 0) + (chl >>> 0) + (k[i + 1] >>> 0) + (w[i + 1] >>> 0);
    const t1h = (hh + S1h + chh + k[i] + w[i] + ((t1l / C32) | 0)) | 0;
    const S0h = ((ah >>> 28) | (al << 4)) ^ ((al >>> 2) | (ah << 30)) ^ ((al >>> 7) | (ah << 25));
    const S0l = ((al >>> 28) | (ah << 4)) ^ ((ah >>> 2) | (al << 30)) ^ ((ah >>> 7) | (al << 25));
    const majh = (ah & bh) ^ (ah & ch) ^ (bh & ch);
    const majl = (al & bl) ^ (al & cl) ^ (bl & cl);
    const t2l = (S0l >>> 0) + (majl >>> 0);
    const t2h = (S0h + majh + ((t2l / C32) | 0)) | 0;
    hh = gh; hl = gl; gh = fh; gl = fl; fh = eh; fl = el;
    const el2 = (dl >>> 0) + (t1l >>> 0);
    eh = (dh + t1h + ((el2 / C32) | 0)) | 0; el = el2 | 0;
    dh = ch; dl = cl; ch = bh; cl = bl; bh = ah; bl = al;
    const al2 = (t1l >>> 0) + (t2l >>> 0);
    ah = (t1h + t2h + ((al2 / C32) | 0)) | 0; al = al2 | 0;
  }
  w[0] = ah; w[1] = al; w[2] = bh; w[3] = bl; w[4] = ch; w[5] = cl; w[6] = dh; w[7] = dl;
  w[8] = eh; w[9] = el; w[10] = fh; w[11] = fl; w[12] = gh; w[13] = gl; w[14] = hh; w[15] = hl;
  for (let i = 0; i < 16; i += 2) {
    const l = (h[i + 1] >>> 0) + (w[i + 1] >>> 0);
    h[i] = (h[i] + w[i] + ((l / C32) | 0)) | 0;
    h[i + 1] = l | 0;
  }
}

/** *_init: the IV (SHA-256/224: the high/low words of SHA-512/384's, sha2-tables.ts). */
function hashInit(f: number, stateH: number, bits: number): number {
  called = true;
  const iv = f === 0 ? null : bits === 512 || bits === 256 ? IV512 : IV384;
  if (f === 1 ? bits !== 256 && bits !== 224 : f === 2 && bits !== 512 && bits !== 384) return -1;
  decode(stateH);
  const at = bufAt(f);
  const end = at + (f === 2 ? 128 : 64);
  dArr.fill(0, dOff, dOff + end + 8);
  const words = f === 0 ? 5 : f === 1 ? 8 : 16;
  for (let i = 0; i < words; i++) {
    const v = !iv ? SHA1_IV[i] : f === 2 ? iv[i] : iv[2 * i + (bits === 224 ? 1 : 0)];
    put32(dArr, dOff + 4 * i, v);
  }
  put32(dArr, dOff + end + 4, f === 0 ? 20 : bits >> 3);
  return 0;
}

function hashUpdate(f: number, stateH: number, dataH: number, n: number): number {
  called = true;
  if (!n) return 0;
  decode(stateH);
  const st = dArr;
  const so = dOff;
  decode(dataH);
  const data = dArr;
  let o = dOff;
  const bs = f === 2 ? 128 : 64;
  const at = so + bufAt(f);
  const words = f === 0 ? 5 : f === 1 ? 8 : 16;
  const total = u32(st, at + bs) >>> 0;
  for (let i = 0; i < words; i++) H[i] = u32(st, so + 4 * i);
  let used = total % bs;
  for (const end = o + n; o < end;) {
    if (!used && end - o >= bs) {
      compress(f, data, o);
      o += bs;
      continue;
    }
    st[at + used++] = data[o++];
    if (used === bs) {
      compress(f, st, at);
      used = 0;
    }
  }
  for (let i = 0; i < words; i++) put32(st, so + 4 * i, H[i]);
  put32(st, at + bs, total + n);
  H.fill(0);
  return 0;
}

/** *_final: pads as crypto/md-hash.ts digest() does, writes the output big-endian, wipes. */
function hashFinal(f: number, stateH: number, outH: number): number {
  called = true;
  decode(stateH);
  const st = dArr;
  const so = dOff;
  const bs = f === 2 ? 128 : 64;
  const at = so + bufAt(f);
  const words = f === 0 ? 5 : f === 1 ? 8 : 16;
  const total = u32(st, at + bs) >>> 0;
  const outLength = u32(st, at + bs + 4);
  for (let i = 0; i < words; i++) H[i] = u32(st, so + 4 * i);
  let used = total % bs;
  st[at + used++] = 0x80;
  if (used > bs - (bs >> 3)) {
    st.fill(0, at + used, at + bs);
    compress(f, st, at);
    used = 0;
  }
  st.fill(0, at + used, at + bs);
  putBe(st, at + bs - 8, Math.floor(total / 0x20000000));
  putBe(st, at + bs - 4, (total * 8) >>> 0);
  compress(f, st, at);
  st.fill(0, so, at + bs + 8);
  decode(outH);
  for (let i = 0; i < outLength; i++) dArr[dOff + i] = H[i >> 2] >>> (24 - ((i & 3) << 3));
  H.fill(0);
  return outLength;
}

function sha512Init(s: number, bits: number): number { return hashInit(2, s, bits); }
function sha512Update(s: number, d: number, n: number): number { return hashUpdate(2, s, d, n); }
function sha512Final(s: number, o: number): number { return hashFinal(2, s, o); }
function sha256Init(s: number, bits: number): number { return hashInit(1, s, bits); }
function sha256Update(s: number, d: number, n: number): number { return hashUpdate(1, s, d, n); }
function sha256Final(s: number, o: number): number { return hashFinal(1, s, o); }
function sha1Init(s: number): number { return hashInit(0, s, 0); }
function sha1Update(s: number, d: number, n: number): number { return hashUpdate(0, s, d, n); }
function sha1Final(s: number, o: number): number { return hashFinal(0, s, o); }

// ---- framing, PN532, wipe (crc16.c, cobs.c, pn532-checksum.c, wipe.c) ----

function crc16(crc: number, dataH: number, n: number): number {
  called = true;
  let c = crc & 0xffff;
  if (!n) return c;
  decode(dataH);
  for (let i = 0; i < n; i++) {
    let x = ((c >> 8) ^ dArr[dOff + i]) & 0xff;
    x ^= x >> 4;
    c = ((c << 8) ^ (x << 12) ^ (x << 5) ^ x) & 0xffff;
  }
  return c;
}

function cobsEncode(srcH: number, n: number, dstH: number): number {
  called = true;
  let src: Uint8Array | null = null;
  let so = 0;
  if (n) {
    decode(srcH);
    src = dArr;
    so = dOff;
  }
  decode(dstH);
  const dst = dArr;
  const d0 = dOff;
  let codeAt = d0;
  let out = d0 + 1;
  let code = 1;
  for (let i = 0; i < n; i++) {
    const b = src![so + i];
    if (b === 0) {
      dst[codeAt] = code;
      codeAt = out++;
      code = 1;
      continue;
    }
    dst[out++] = b;
    if (++code === 0xff) {
      dst[codeAt] = code;
      codeAt = out++;
      code = 1;
    }
  }
  dst[codeAt] = code;
  return out - d0;
}

function cobsDecode(bufH: number, n: number): number {
  called = true;
  if (!n) return 0;
  decode(bufH);
  const b = dArr;
  const o = dOff;
  let read = 0;
  let write = 0;
  while (read < n) {
    const code = b[o + read++];
    if (code === 0) return -1;
    const end = read + code - 1;
    if (end > n) return -1;
    while (read < end) b[o + write++] = b[o + read++];
    if (code !== 0xff && read < n) b[o + write++] = 0;
  }
  return write;
}

function pn532Dcs(dataH: number, n: number): number {
  called = true;
  let sum = 0;
  if (n) {
    decode(dataH);
    for (let i = 0; i < n; i++) sum += dArr[dOff + i];
  }
  return (0x100 - (sum & 0xff)) & 0xff;
}

function wipe(h: number, n: number): number {
  called = true;
  if (!n) return 0;
  decode(h);
  dArr.fill(0, dOff, dOff + n);
  return 0;
}

// ---- sm_unwrap (sm.c: SM ctx = KSenc's DES ctx at 0, KSmac's at 400, SSC at 800) ----

const MAC_AT = 400;
const SSC_AT = 800;
/** The MAC's last, padded block. */
const LAST = new Uint8Array(8);

function smUnwrap(smH: number, respH: number, len: number): number {
  called = true;
  decode(smH);
  const sm = dArr;
  const mo = dOff;
  if (len < 3 || len > 0x7fffff || u32(sm, mo + MAC_AT + KEYLEN_AT) === 8) return -1;
  decode(respH);
  const r = dArr;
  const ro = dOff;
  for (let i = 7; i >= 0; i--) if ((sm[mo + SSC_AT + i] = (sm[mo + SSC_AT + i] + 1) & 0xff)) break;
  const end = len - 2;
  let pos = 0, crypto = 0, cryptoEnd = 0, swAt = end, macAt = 0;
  let cryptoTag = 0, haveSw = false, haveMac = false;
  while (pos < end) {
    const start = pos;
    let tag = r[ro + pos++];
    if ((tag & 0x1f) === 0x1f) {
      let extra = 0;
      do {
        if (pos >= end || ++extra > 2) return -2;
        tag = (tag << 8) | r[ro + pos];
      } while (r[ro + pos++] & 0x80);
    }
    if (pos >= end) return -2;
    let n = r[ro + pos++];
    if (n & 0x80) {
      let k = n & 0x7f;
      if (k === 0 || k > 4 || k > end - pos) return -2;
      for (n = 0; k; k--) {
        if (n >= 0x1000000) return -2;
        n = n * 256 + r[ro + pos++];
      }
    }
    if (n > end - pos) return -2;
    if (haveMac) return -3;
    if (tag === 0x87 || tag === 0x85) {
      if (cryptoTag || haveSw) return -3;
      cryptoTag = tag;
      crypto = pos;
      cryptoEnd = pos + n;
    } else if (tag === 0x99) {
      if (haveSw) return -3;
      if (n !== 2) return -4;
      haveSw = true;
      swAt = pos;
    } else if (tag === 0x8e) {
      if (n !== 8) return -5;
      haveMac = true;
      macAt = start;
    } else {
      return -6;
    }
    pos += n;
  }
  if (!haveMac) return -7;
  if (!haveSw && (r[ro + end] !== 0x90 || r[ro + end + 1] !== 0x00)) return -8;

  // Retail MAC of SSC || resp[0, macAt) || padding, compared in full before anything is decided.
  loadSchedules(sm, mo + MAC_AT);
  const whole = macAt & ~7;
  ML = MR = 0;
  macBlocks(sm, mo + SSC_AT, 8);
  macBlocks(r, ro, whole);
  LAST.fill(0);
  for (let i = whole; i < macAt; i++) LAST[i - whole] = r[ro + i];
  LAST[macAt - whole] = 0x80;
  macBlocks(LAST, 0, 8);
  LAST.fill(0);
  macFinish();
  let diff = 0;
  for (let i = 0; i < 8; i++) diff |= r[ro + macAt + 2 + i] ^ (((i < 4 ? L : R) >>> (24 - 8 * (i & 3))) & 0xff);
  L = R = 0;
  if (diff) return -9;

  const sw1 = r[ro + swAt];
  const sw2 = r[ro + swAt + 1];
  let plain = 0;
  let plainLen = 0;
  if (cryptoTag) {
    if (cryptoTag === 0x87) {
      if (crypto >= cryptoEnd || r[ro + crypto] !== 0x01) return -10;
      crypto++;
    }
    const clen = cryptoEnd - crypto;
    if (clen < 8 || (clen & 7)) return -11;
    sm.fill(0, mo + IV_AT, mo + IV_AT + 8);
    cbc(sm, mo, r, ro + crypto, clen, true);
    sm.fill(0, mo + IV_AT, mo + IV_AT + 8);
    let i = cryptoEnd - 1;
    const stop = cryptoEnd - 8;
    while (i > stop && r[ro + i] === 0) i--;
    if (r[ro + i] !== 0x80) {
      r.fill(0, ro + crypto, ro + cryptoEnd);
      return -12;
    }
    plain = crypto;
    plainLen = i - crypto;
  }
  r[ro + plain + plainLen] = sw1;
  r[ro + plain + plainLen + 1] = sw2;
  return (plainLen << 8) | plain;
}

// ---- entries ----

/** Entry i of ABI.md's table, handed out as they are by E.nativeCall. Each marks the slots for
 * release at the next E.getAddressOf. */
const ENTRIES: ((a: number, b: number, c: number, d: number) => number)[] = [
  desSetkey, desCbc, macUpdate, macFinal, sha512Init, sha512Update, sha512Final, crc16, cobsEncode, cobsDecode,
  pn532Dcs, wipe, sha256Init, sha256Update, sha256Final, sha1Init, sha1Update, sha1Final, smUnwrap,
];

function nativeCall(offset: number, signature: string): (a: number, b: number, c: number, d: number) => number {
  const i = (offset - 17) / 4;
  if (signature !== SIGNATURE || i < 0 || i >= ENTRY_COUNT || i !== (i | 0)) throw new Error('oracle: no entry at ' + offset);
  return ENTRIES[i];
}

/** Replaces E.getAddressOf and E.nativeCall; `release` empties the address slots. */
export function install(): void {
  realGetAddressOf = E.getAddressOf;
  E.getAddressOf = getAddressOf;
  (E as unknown as { nativeCall: typeof nativeCall }).nativeCall = nativeCall;
}

export { release };

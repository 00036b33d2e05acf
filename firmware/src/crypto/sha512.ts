// SHA-512 and SHA-384 (FIPS 180-4 §6.4, §6.5) without BigInt: every 64-bit word is a pair of
// 32-bit halves (hi, lo) in Int32Arrays, additions carry from lo to hi by hand.

import { MdHash } from './md-hash';
import { IV384, IV512, K512 } from './sha2-tables';

/** Message schedule, hi/lo pairs, shared by all instances (compression is never re-entered). */
const W = new Int32Array(160);

/** hi + lo*2^-32 arithmetic: the carry out of a sum of unsigned low halves. */
function carry(sumLo: number): number {
  return (sumLo / 0x100000000) | 0;
}

/** h[i..i+1] += (hi, lo) modulo 2^64. */
function add64(h: Int32Array, i: number, hi: number, lo: number): void {
  const l = (h[i + 1] >>> 0) + (lo >>> 0);
  h[i] = (h[i] + hi + carry(l)) | 0;
  h[i + 1] = l | 0;
}

export class Sha512 extends MdHash {
  /** `is384`: SHA-384 (other IV, 48-byte output). */
  constructor(is384?: boolean) {
    super(128, is384 ? 48 : 64, is384 ? IV384 : IV512);
  }

  protected _compress(src: Uint8Array, o: number): void {
    const w = W;
    const k = K512;
    for (let i = 0; i < 32; i++, o += 4) w[i] = (src[o] << 24) | (src[o + 1] << 16) | (src[o + 2] << 8) | src[o + 3];
    for (let i = 32; i < 160; i += 2) {
      // sigma0 of W[t-15]: rotr 1 ^ rotr 8 ^ shr 7
      let xh = w[i - 30], xl = w[i - 29];
      const s0h = ((xh >>> 1) | (xl << 31)) ^ ((xh >>> 8) | (xl << 24)) ^ (xh >>> 7);
      const s0l = ((xl >>> 1) | (xh << 31)) ^ ((xl >>> 8) | (xh << 24)) ^ ((xl >>> 7) | (xh << 25));
      // sigma1 of W[t-2]: rotr 19 ^ rotr 61 ^ shr 6
      xh = w[i - 4]; xl = w[i - 3];
      const s1h = ((xh >>> 19) | (xl << 13)) ^ ((xl >>> 29) | (xh << 3)) ^ (xh >>> 6);
      const s1l = ((xl >>> 19) | (xh << 13)) ^ ((xh >>> 29) | (xl << 3)) ^ ((xl >>> 6) | (xh << 26));
      const lo = (s0l >>> 0) + (s1l >>> 0) + (w[i - 13] >>> 0) + (w[i - 31] >>> 0);
      w[i] = (s0h + s1h + w[i - 14] + w[i - 32] + carry(lo)) | 0;
      w[i + 1] = lo | 0;
    }
    const h = this._h;
    let ah = h[0], al = h[1], bh = h[2], bl = h[3], ch = h[4], cl = h[5], dh = h[6], dl = h[7];
    let eh = h[8], el = h[9], fh = h[10], fl = h[11], gh = h[12], gl = h[13], hh = h[14], hl = h[15];
    for (let i = 0; i < 160; i += 2) {
      // Sigma1(e): rotr 14 ^ rotr 18 ^ rotr 41
      const S1h = ((eh >>> 14) | (el << 18)) ^ ((eh >>> 18) | (el << 14)) ^ ((el >>> 9) | (eh << 23));
      const S1l = ((el >>> 14) | (eh << 18)) ^ ((el >>> 18) | (eh << 14)) ^ ((eh >>> 9) | (el << 23));
      const chh = (eh & fh) ^ (~eh & gh);
      const chl = (el & fl) ^ (~el & gl);
      const t1l = (hl >>> 0) + (S1l >>> 0) + (chl >>> 0) + (k[i + 1] >>> 0) + (w[i + 1] >>> 0);
      const t1h = (hh + S1h + chh + k[i] + w[i] + carry(t1l)) | 0;
      // Sigma0(a): rotr 28 ^ rotr 34 ^ rotr 39
      const S0h = ((ah >>> 28) | (al << 4)) ^ ((al >>> 2) | (ah << 30)) ^ ((al >>> 7) | (ah << 25));
      const S0l = ((al >>> 28) | (ah << 4)) ^ ((ah >>> 2) | (al << 30)) ^ ((ah >>> 7) | (al << 25));
      const majh = (ah & bh) ^ (ah & ch) ^ (bh & ch);
      const majl = (al & bl) ^ (al & cl) ^ (bl & cl);
      const t2l = (S0l >>> 0) + (majl >>> 0);
      const t2h = (S0h + majh + carry(t2l)) | 0;
      hh = gh; hl = gl; gh = fh; gl = fl; fh = eh; fl = el;
      const el2 = (dl >>> 0) + (t1l >>> 0);
      eh = (dh + t1h + carry(el2)) | 0; el = el2 | 0;
      dh = ch; dl = cl; ch = bh; cl = bl; bh = ah; bl = al;
      const al2 = (t1l >>> 0) + (t2l >>> 0);
      ah = (t1h + t2h + carry(al2)) | 0; al = al2 | 0;
    }
    add64(h, 0, ah, al); add64(h, 2, bh, bl); add64(h, 4, ch, cl); add64(h, 6, dh, dl);
    add64(h, 8, eh, el); add64(h, 10, fh, fl); add64(h, 12, gh, gl); add64(h, 14, hh, hl);
  }
}

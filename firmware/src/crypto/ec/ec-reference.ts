// Elliptic curves in plain TypeScript: the reference for, and the fallback of, the PACE blob's
// ec_mul / ec_add / ec_check (firmware/native/pace/). Same algorithm as the C (Montgomery
// multiplication, Jacobian coordinates, fixed 4-bit window with masked table selection), with
// 16 limbs of 16 bits in plain numbers (no BigInt on Espruino). Slow; correct first.

const L = 16; // limbs of 16 bits: 256-bit field

export type EcParams = { id: number; p: number[]; pinv: number; rr: number[]; one: number[]; a: number[]; b: number[]; gx: number[]; gy: number[]; n: number[] };

/** Little-endian 16-bit limbs of a 64-digit hex string. */
export function limbs(hex: string): number[] {
  const r: number[] = [];
  for (let i = 0; i < L; i++) r.push(parseInt(hex.substr(64 - 4 * (i + 1), 4), 16));
  return r;
}

function fmul(a: number[], b: number[], c: EcParams): number[] {
  const t: number[] = [];
  for (let j = 0; j < L + 2; j++) t.push(0);
  const p = c.p;
  for (let i = 0; i < L; i++) {
    const ai = a[i];
    let carry = 0;
    for (let j = 0; j < L; j++) {
      const s = ai * b[j] + t[j] + carry; // < 2^33: exact in a double
      t[j] = s & 0xffff;
      carry = Math.floor(s / 65536);
    }
    let s2 = t[L] + carry;
    t[L] = s2 & 0xffff;
    t[L + 1] += Math.floor(s2 / 65536);
    const m = (t[0] * c.pinv) & 0xffff;
    carry = Math.floor((m * p[0] + t[0]) / 65536);
    for (let j = 1; j < L; j++) {
      const s = m * p[j] + t[j] + carry;
      t[j - 1] = s & 0xffff;
      carry = Math.floor(s / 65536);
    }
    s2 = t[L] + carry;
    t[L - 1] = s2 & 0xffff;
    t[L] = t[L + 1] + Math.floor(s2 / 65536);
    t[L + 1] = 0;
  }
  return reduceOnce(t, p);
}

/** t (L + 1 limbs, < 2p) minus p when t >= p, by mask. */
function reduceOnce(t: number[], p: number[]): number[] {
  const d: number[] = [];
  let borrow = 0;
  for (let j = 0; j < L; j++) {
    const x = t[j] - p[j] - borrow;
    d.push(x & 0xffff);
    borrow = x < 0 ? 1 : 0;
  }
  const keep = borrow & ~t[L] & 1 ? 0xffff : 0;
  const r: number[] = [];
  for (let j = 0; j < L; j++) r.push((t[j] & keep) | (d[j] & ~keep & 0xffff));
  return r;
}

function fadd(a: number[], b: number[], c: EcParams): number[] {
  const s: number[] = [];
  let carry = 0;
  for (let j = 0; j < L; j++) {
    const x = a[j] + b[j] + carry;
    s.push(x & 0xffff);
    carry = x >> 16;
  }
  s.push(carry);
  return reduceOnce(s, c.p);
}

function fsub(a: number[], b: number[], c: EcParams): number[] {
  const d: number[] = [];
  let borrow = 0;
  for (let j = 0; j < L; j++) {
    const x = a[j] - b[j] - borrow;
    d.push(x & 0xffff);
    borrow = x < 0 ? 1 : 0;
  }
  const mask = borrow ? 0xffff : 0;
  let carry = 0;
  for (let j = 0; j < L; j++) {
    const x = d[j] + (c.p[j] & mask) + carry;
    d[j] = x & 0xffff;
    carry = x >> 16;
  }
  return d;
}

function isZero(a: number[]): boolean {
  let acc = 0;
  for (let j = 0; j < L; j++) acc |= a[j];
  return acc === 0;
}

function less(a: number[], b: number[]): boolean {
  let borrow = 0;
  for (let j = 0; j < L; j++) borrow = a[j] - b[j] - borrow < 0 ? 1 : 0;
  return borrow === 1;
}

function finv(a: number[], c: EcParams): number[] {
  const e = fsubPlain(c.p, 2);
  let x = c.one;
  for (let bit = 16 * L - 1; bit >= 0; bit--) {
    x = fmul(x, x, c);
    if ((e[bit >> 4] >> (bit & 15)) & 1) x = fmul(x, a, c);
  }
  return x;
}

function fsubPlain(a: number[], v: number): number[] {
  const r = a.slice();
  let borrow = v;
  for (let j = 0; j < L && borrow; j++) {
    const x = r[j] - borrow;
    r[j] = x & 0xffff;
    borrow = x < 0 ? 1 : 0;
  }
  return r;
}

type Pt = number[][]; // [X, Y, Z], Z all zero: infinity

function dbl(P: Pt, c: EcParams): Pt {
  const xx = fmul(P[0], P[0], c), yy = fmul(P[1], P[1], c), yyyy = fmul(yy, yy, c), zz = fmul(P[2], P[2], c);
  let s = fadd(P[0], yy, c);
  s = fsub(fsub(fmul(s, s, c), xx, c), yyyy, c);
  s = fadd(s, s, c);
  const m = fadd(fadd(fadd(fmul(fmul(zz, zz, c), c.a, c), xx, c), xx, c), xx, c);
  let t = fadd(P[1], P[2], c);
  const z3 = fsub(fsub(fmul(t, t, c), yy, c), zz, c);
  t = fmul(m, m, c);
  const x3 = fsub(fsub(t, s, c), s, c);
  let y8 = fadd(yyyy, yyyy, c);
  y8 = fadd(y8, y8, c);
  y8 = fadd(y8, y8, c);
  const y3 = fsub(fmul(m, fsub(s, x3, c), c), y8, c);
  return [x3, y3, z3];
}

/** P + Q; `same` set when P = Q (neither infinity), where the formula does not apply. */
function add(P: Pt, Q: Pt, c: EcParams, same: boolean[]): Pt {
  const pInf = isZero(P[2]), qInf = isZero(Q[2]);
  const z1z1 = fmul(P[2], P[2], c), z2z2 = fmul(Q[2], Q[2], c);
  const u1 = fmul(P[0], z2z2, c), u2 = fmul(Q[0], z1z1, c);
  let s1 = fmul(fmul(P[1], Q[2], c), z2z2, c);
  const s2 = fmul(fmul(Q[1], P[2], c), z1z1, c);
  const h = fsub(u2, u1, c);
  let i = fadd(h, h, c);
  i = fmul(i, i, c);
  const j = fmul(h, i, c);
  let r = fsub(s2, s1, c);
  r = fadd(r, r, c);
  let v = fmul(u1, i, c);
  const x3 = fsub(fsub(fsub(fmul(r, r, c), j, c), v, c), v, c);
  v = fmul(r, fsub(v, x3, c), c);
  s1 = fmul(s1, j, c);
  const y3 = fsub(v, fadd(s1, s1, c), c);
  let z3 = fadd(P[2], Q[2], c);
  z3 = fmul(fsub(fsub(fmul(z3, z3, c), z1z1, c), z2z2, c), h, c);
  same[0] = isZero(h) && isZero(r) && !pInf && !qInf;
  if (pInf) return Q;
  if (qInf) return P;
  return [x3, y3, z3];
}

function decode(c: EcParams, b: Uint8Array): Pt | null {
  if (b.length !== 65 || b[0] !== 4) return null;
  const x: number[] = [], y: number[] = [];
  for (let i = 0; i < L; i++) {
    x.push((b[31 - 2 * i] << 8) | b[32 - 2 * i]);
    y.push((b[63 - 2 * i] << 8) | b[64 - 2 * i]);
  }
  if (!less(x, c.p) || !less(y, c.p)) return null;
  const xm = fmul(x, c.rr, c), ym = fmul(y, c.rr, c);
  const rhs = fadd(fmul(fadd(fmul(xm, xm, c), c.a, c), xm, c), c.b, c);
  return isZero(fsub(rhs, fmul(ym, ym, c), c)) ? [xm, ym, c.one] : null;
}

function encode(c: EcParams, P: Pt): Uint8Array | null {
  if (isZero(P[2])) return null;
  const zi = finv(P[2], c), zi2 = fmul(zi, zi, c);
  const one: number[] = [1];
  for (let j = 1; j < L; j++) one.push(0);
  const x = fmul(fmul(P[0], zi2, c), one, c), y = fmul(fmul(P[1], fmul(zi2, zi, c), c), one, c);
  const out = new Uint8Array(65);
  out[0] = 4;
  for (let i = 0; i < L; i++) {
    out[31 - 2 * i] = x[i] >> 8; out[32 - 2 * i] = x[i] & 0xff;
    out[63 - 2 * i] = y[i] >> 8; out[64 - 2 * i] = y[i] & 0xff;
  }
  return out;
}

/** k·P (P null: G), fixed window over all 64 digits, the table entry chosen by masks. */
export function refMultiply(c: EcParams, scalar: Uint8Array, point: Uint8Array | null): Uint8Array | null {
  if (scalar.length !== 32) return null;
  const P = point ? decode(c, point) : [c.gx, c.gy, c.one];
  if (!P) return null;
  let k: number[] = [];
  for (let i = 0; i < L; i++) k.push((scalar[30 - 2 * i] << 8) | scalar[31 - 2 * i]);
  if (!less(k, c.n)) { // k - n (n > 2^255: once suffices)
    const d: number[] = [];
    let borrow = 0;
    for (let j = 0; j < L; j++) { const x = k[j] - c.n[j] - borrow; d.push(x & 0xffff); borrow = x < 0 ? 1 : 0; }
    k = d;
  }
  const same = [false];
  const table: Pt[] = [P, dbl(P, c)];
  for (let i = 2; i < 15; i++) table.push(add(table[i - 1], P, c, same));
  const zero: number[] = [];
  for (let j = 0; j < L; j++) zero.push(0);
  let acc: Pt = [zero, zero, zero];
  for (let w = 63; w >= 0; w--) {
    for (let d = 0; d < 4; d++) acc = dbl(acc, c);
    const digit = (k[w >> 2] >> ((w & 3) * 4)) & 15;
    const sel: Pt = [zero.slice(), zero.slice(), zero.slice()];
    for (let i = 0; i < 15; i++) {
      const mask = digit === i + 1 ? 0xffff : 0;
      for (let q = 0; q < 3; q++) for (let j = 0; j < L; j++) sel[q][j] |= table[i][q][j] & mask;
    }
    acc = add(acc, sel, c, same);
  }
  return encode(c, acc);
}

export function refAdd(c: EcParams, p: Uint8Array, q: Uint8Array): Uint8Array | null {
  const P = decode(c, p), Q = decode(c, q);
  if (!P || !Q) return null;
  const same = [false];
  const S = add(P, Q, c, same);
  return encode(c, same[0] ? dbl(P, c) : S);
}

export function refCheck(c: EcParams, p: Uint8Array): boolean {
  return decode(c, p) !== null;
}

/** Parameters (FIPS 186-4 D.1.2.3; RFC 5639 §3.4) with their Montgomery forms (R = 2^256),
 * the same values as the blob's ec-curves.c. */
function params(id: number, hex: string[], pinv: number): EcParams {
  return { id, p: limbs(hex[0]), pinv, rr: limbs(hex[1]), one: limbs(hex[2]), a: limbs(hex[3]), b: limbs(hex[4]), gx: limbs(hex[5]), gy: limbs(hex[6]), n: limbs(hex[7]) };
}

/** The group orders n (hex) of P-256 and brainpoolP256r1: all that a NATIVE_ONLY device bundle
 * keeps of a curve (native-ec.ts; the blob holds the rest). Plain constants: a property read
 * would keep the pure tables below in every bundle. */
export const ORDER_P256 = 'ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551';
export const ORDER_BP256 = 'a9fb57dba1eea9bc3e660a909d838d718c397aa3b561a6f7901e0e82974856a7';

/** ICAO 9303 Part 11 §9.5.1 ids 12 (NIST P-256) and 13 (brainpoolP256r1); hex: p, R^2, R, aR, bR, GxR, GyR, n (mod p).
 * Pure: a bundle that does not read them (NATIVE_ONLY) leaves the tables out. */
export const EC_PARAMS: EcParams[] = [
  /* @__PURE__ */ params(12, [
    'ffffffff00000001000000000000000000000000ffffffffffffffffffffffff',
    '00000004fffffffdfffffffffffffffefffffffbffffffff0000000000000003',
    '00000000fffffffeffffffffffffffffffffffff000000000000000000000001',
    'fffffffc00000004000000000000000000000003fffffffffffffffffffffffc',
    'dc30061d04874834e5a220abf7212ed6acf005cd78843090d89cdf6229c4bddf',
    '18905f76a53755c679fb732b7762251075ba95fc5fedb60179e730d418a9143c',
    '8571ff1825885d85d2e88688dd21f3258b4ab8e4ba19e45cddf25357ce95560a',
    ORDER_P256,
  ], 0x0001),
  /* @__PURE__ */ params(13, [
    'a9fb57dba1eea9bc3e660a909d838d726e3bf623d52620282013481d1f6e5377',
    '4717aa21e5957fa8a1ecdacd6b1ac8075cce4c26614d4f4d8cfedf7ba6465b6c',
    '5604a8245e115643c199f56f627c728d91c409dc2ad9dfd7dfecb7e2e091ac89',
    '1e4676abd666bc1795ec1e5e6398556ea68123f1c1d20c64d5d18edf69696261',
    '1634f57646a3c93e64ca989357f2e9d90ac34a49cc51bf5905d24d72c0c0f36f',
    '8e1f767a9e119bdf704c311d6b892ad380de4d9ab97cf30a27c0d92d351fd10c',
    '14eb78c6026eb0a216fdf6e8dfbd8b03a618f259cd9501629a4fe948a0917a17',
    ORDER_BP256,
  ], 0x89b9),
];

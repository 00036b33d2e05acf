// Elliptic-curve arithmetic for the virtual chip's PACE Generic Mapping and Chip Authentication
// (host side only, BigInt, not constant time: a simulator, not a product). node:crypto does ECDH
// only on the standard generator; PACE-GM needs points on a mapped generator G~ = s*G + H
// (ICAO 9303 Part 11 §4.4.3.3.1), hence this small affine implementation.
// Curve constants: brainpoolP256r1 from RFC 5639 §3.4, NIST P-256 from FIPS 186-4 D.1.2.3 (the
// tests check each generator against node:crypto's createECDH public keys).

export interface Curve {
  name: 'brainpoolP256r1' | 'prime256v1';
  /** ICAO 9303 Part 11 §9.5.1 standardized domain parameter identifier. */
  parameterId: number;
  p: bigint;
  a: bigint;
  b: bigint;
  gx: bigint;
  gy: bigint;
  /** Order of the generator. */
  n: bigint;
  /** Field size in bytes. */
  size: number;
}

export interface Point {
  x: bigint;
  y: bigint;
}

/** The point at infinity. */
export type MaybePoint = Point | null;

export const BRAINPOOL_P256R1: Curve = {
  name: 'brainpoolP256r1',
  parameterId: 13,
  p: 0xa9fb57dba1eea9bc3e660a909d838d726e3bf623d52620282013481d1f6e5377n,
  a: 0x7d5a0975fc2c3057eef67530417affe7fb8055c126dc5c6ce94a4b44f330b5d9n,
  b: 0x26dc5c6ce94a4b44f330b5d9bbd77cbf958416295cf7e1ce6bccdc18ff8c07b6n,
  gx: 0x8bd2aeb9cb7e57cb2c4b482ffc81b7afb9de27e1e3bd23c23a4453bd9ace3262n,
  gy: 0x547ef835c3dac4fd97f8461a14611dc9c27745132ded8e545c1d54c72f046997n,
  n: 0xa9fb57dba1eea9bc3e660a909d838d718c397aa3b561a6f7901e0e82974856a7n,
  size: 32,
};

export const NIST_P256: Curve = {
  name: 'prime256v1',
  parameterId: 12,
  p: 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn,
  a: 0xffffffff00000001000000000000000000000000fffffffffffffffffffffffcn,
  b: 0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604bn,
  gx: 0x6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296n,
  gy: 0x4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5n,
  n: 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n,
  size: 32,
};

/** The curves by standardized domain parameter ID (9303-11 §9.5.1 table). */
export const CURVES_BY_PARAMETER_ID: { [id: number]: Curve } = { 12: NIST_P256, 13: BRAINPOOL_P256R1 };

function mod(v: bigint, m: bigint): bigint {
  const r = v % m;
  return r < 0n ? r + m : r;
}

function inverse(v: bigint, m: bigint): bigint {
  // Fermat: m is prime.
  let result = 1n;
  let base = mod(v, m);
  let e = m - 2n;
  while (e > 0n) {
    if (e & 1n) result = (result * base) % m;
    base = (base * base) % m;
    e >>= 1n;
  }
  return result;
}

export function generator(c: Curve): Point {
  return { x: c.gx, y: c.gy };
}

export function isOnCurve(c: Curve, q: Point): boolean {
  if (q.x < 0n || q.x >= c.p || q.y < 0n || q.y >= c.p) return false;
  return mod(q.y * q.y - (q.x * q.x * q.x + c.a * q.x + c.b), c.p) === 0n;
}

export function add(c: Curve, p1: MaybePoint, p2: MaybePoint): MaybePoint {
  if (!p1) return p2;
  if (!p2) return p1;
  let lambda: bigint;
  if (p1.x === p2.x) {
    if (mod(p1.y + p2.y, c.p) === 0n) return null;
    lambda = mod((3n * p1.x * p1.x + c.a) * inverse(2n * p1.y, c.p), c.p);
  } else {
    lambda = mod((p2.y - p1.y) * inverse(p2.x - p1.x, c.p), c.p);
  }
  const x = mod(lambda * lambda - p1.x - p2.x, c.p);
  return { x, y: mod(lambda * (p1.x - x) - p1.y, c.p) };
}

export function multiply(c: Curve, k: bigint, q: MaybePoint): MaybePoint {
  let result: MaybePoint = null;
  let addend = q;
  let e = mod(k, c.n);
  while (e > 0n) {
    if (e & 1n) result = add(c, result, addend);
    addend = add(c, addend, addend);
    e >>= 1n;
  }
  return result;
}

export function bytesToBigInt(b: Uint8Array): bigint {
  let v = 0n;
  for (const x of b) v = (v << 8n) | BigInt(x);
  return v;
}

export function bigIntToBytes(v: bigint, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let r = v;
  for (let i = length - 1; i >= 0; i--) {
    out[i] = Number(r & 0xffn);
    r >>= 8n;
  }
  return out;
}

/** Uncompressed SEC 1 encoding 04 || x || y. */
export function encodePoint(c: Curve, q: Point): Uint8Array {
  const out = new Uint8Array(1 + 2 * c.size);
  out[0] = 0x04;
  out.set(bigIntToBytes(q.x, c.size), 1);
  out.set(bigIntToBytes(q.y, c.size), 1 + c.size);
  return out;
}

/** Decodes an uncompressed point; null unless it is 04 || x || y of the right size and on the curve. */
export function decodePoint(c: Curve, b: Uint8Array): Point | null {
  if (b.length !== 1 + 2 * c.size || b[0] !== 0x04) return null;
  const q = { x: bytesToBigInt(b.subarray(1, 1 + c.size)), y: bytesToBigInt(b.subarray(1 + c.size)) };
  return isOnCurve(c, q) ? q : null;
}

/** A private key in [1, n-1] from random bytes (reduced; the tiny bias is irrelevant in a simulator). */
export function privateKeyFrom(c: Curve, random: Uint8Array): bigint {
  return mod(bytesToBigInt(random), c.n - 1n) + 1n;
}

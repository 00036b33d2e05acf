// A PaceCrypto for unit tests, independent of the device code: AES from node:crypto, AES-CMAC
// (NIST SP 800-38B) written out over node's AES-ECB, and EC arithmetic in BigInt affine
// coordinates with the base point taken from node:crypto (checked against node in the tests).
// Curve constants: NIST FIPS 186-4 §D.1.2.3 (P-256), RFC 5639 §3.4 (brainpoolP256r1); ids from
// ICAO 9303-11 §9.5.1 (12 = P-256, 13 = brainpoolP256r1).

import { createCipheriv, createDecipheriv, createECDH, randomBytes } from 'node:crypto';
import type { PaceBlockCipher, PaceCmac, PaceCrypto, PaceEc } from '../../src/pace/pace-crypto';

interface Curve { name: string; p: bigint; a: bigint; b: bigint; n: bigint; bytes: number; g: [bigint, bigint] }

const h = (s: string): bigint => BigInt('0x' + s);
const CURVES: Record<number, Curve> = {};

function defineCurve(id: number, name: string, p: string, a: string, b: string, n: string): void {
  const ecdh = createECDH(name);
  const one = Buffer.alloc(32);
  one[31] = 1;
  ecdh.setPrivateKey(one);
  const g = ecdh.getPublicKey();
  CURVES[id] = { name, p: h(p), a: h(a), b: h(b), n: h(n), bytes: 32, g: [h(g.subarray(1, 33).toString('hex')), h(g.subarray(33).toString('hex'))] };
}

defineCurve(12, 'prime256v1',
  'FFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFF',
  'FFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFC',
  '5AC635D8AA3A93E7B3EBBD55769886BC651D06B0CC53B0F63BCE3C3E27D2604B',
  'FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551');
defineCurve(13, 'brainpoolP256r1',
  'A9FB57DBA1EEA9BC3E660A909D838D726E3BF623D52620282013481D1F6E5377',
  '7D5A0975FC2C3057EEF67530417AFFE7FB8055C126DC5C6CE94A4B44F330B5D9',
  '26DC5C6CE94A4B44F330B5D9BBD77CBF958416295CF7E1CE6BCCDC18FF8C07B6',
  'A9FB57DBA1EEA9BC3E660A909D838D718C397AA3B561A6F7901E0E82974856A7');

type Pt = [bigint, bigint] | null;

const mod = (x: bigint, p: bigint): bigint => ((x % p) + p) % p;
function inv(x: bigint, p: bigint): bigint {
  let r = 1n, b = mod(x, p), e = p - 2n;
  while (e > 0n) { if (e & 1n) r = (r * b) % p; b = (b * b) % p; e >>= 1n; }
  return r;
}
function addPt(c: Curve, P: Pt, Q: Pt): Pt {
  if (!P) return Q;
  if (!Q) return P;
  const p = c.p;
  let l: bigint;
  if (P[0] === Q[0]) {
    if (mod(P[1] + Q[1], p) === 0n) return null;
    l = mod((3n * P[0] * P[0] + c.a) * inv(2n * P[1], p), p);
  } else {
    l = mod((Q[1] - P[1]) * inv(Q[0] - P[0], p), p);
  }
  const x = mod(l * l - P[0] - Q[0], p);
  return [x, mod(l * (P[0] - x) - P[1], p)];
}
function mulPt(c: Curve, k: bigint, P: Pt): Pt {
  let r: Pt = null;
  let q = P;
  while (k > 0n) { if (k & 1n) r = addPt(c, r, q); q = addPt(c, q, q); k >>= 1n; }
  return r;
}
const big = (a: Uint8Array): bigint => (a.length ? h(Buffer.from(a).toString('hex')) : 0n);
function decode(c: Curve, a: Uint8Array): Pt {
  if (a.length !== 1 + 2 * c.bytes || a[0] !== 4) return null;
  const x = big(a.subarray(1, 1 + c.bytes));
  const y = big(a.subarray(1 + c.bytes));
  if (x >= c.p || y >= c.p || mod(y * y - (x * x * x + c.a * x + c.b), c.p) !== 0n) return null;
  return [x, y];
}
function encode(c: Curve, P: Pt, out: Uint8Array): boolean {
  if (!P) return false;
  out[0] = 4;
  out.set(Buffer.from(P[0].toString(16).padStart(2 * c.bytes, '0'), 'hex'), 1);
  out.set(Buffer.from(P[1].toString(16).padStart(2 * c.bytes, '0'), 'hex'), 1 + c.bytes);
  return true;
}

/** Scalar multiplications done (the bench counts them). */
export const ecCounts = { multiply: 0 };

export const nodeEc: PaceEc = {
  fieldBytes: (id) => (CURVES[id] ? CURVES[id].bytes : 0),
  order: (id) => new Uint8Array(Buffer.from(CURVES[id].n.toString(16).padStart(64, '0'), 'hex')),
  multiply(id, k, point, out) {
    const c = CURVES[id];
    const P = decode(c, point);
    ecCounts.multiply++;
    return P !== null && encode(c, mulPt(c, mod(big(k), c.n), P), out);
  },
  multiplyBase(id, k, out) {
    const c = CURVES[id];
    ecCounts.multiply++;
    return encode(c, mulPt(c, mod(big(k), c.n), c.g), out);
  },
  add(id, p, q, out) {
    const c = CURVES[id];
    const P = decode(c, p);
    const Q = decode(c, q);
    return P !== null && Q !== null && encode(c, addPt(c, P, Q), out);
  },
};

function ecb(key: Uint8Array, decrypt: boolean): (input: Uint8Array) => Buffer {
  return (input) => {
    const name = `aes-${key.length * 8}-ecb`;
    const c = decrypt ? createDecipheriv(name, key, null) : createCipheriv(name, key, null);
    c.setAutoPadding(false);
    return Buffer.concat([c.update(input), c.final()]);
  };
}

export function nodeAes(key: Uint8Array): PaceBlockCipher {
  let k = new Uint8Array(key);
  const enc = (b: Uint8Array): Buffer => ecb(k, false)(b);
  const dec = (b: Uint8Array): Buffer => ecb(k, true)(b);
  return {
    encryptBlock: (i, o) => o.set(enc(i.subarray(0, 16))),
    decryptBlock: (i, o) => o.set(dec(i.subarray(0, 16))),
    cbc(iv, data, decrypt) {
      if (data.length % 16) throw new Error('CBC length');
      let chain = new Uint8Array(iv);
      for (let i = 0; i < data.length; i += 16) {
        const block = data.slice(i, i + 16);
        if (decrypt) {
          const p = dec(block);
          for (let j = 0; j < 16; j++) data[i + j] = p[j] ^ chain[j];
          chain = block;
        } else {
          for (let j = 0; j < 16; j++) block[j] ^= chain[j];
          chain = new Uint8Array(enc(block));
          data.set(chain, i);
        }
      }
    },
    wipe: () => { k.fill(0); k = new Uint8Array(0); },
  };
}

function dbl(b: Uint8Array): Uint8Array {
  const o = new Uint8Array(16);
  for (let i = 0; i < 16; i++) o[i] = ((b[i] << 1) | (i < 15 ? b[i + 1] >> 7 : 0)) & 0xff;
  if (b[0] & 0x80) o[15] ^= 0x87;
  return o;
}

export function nodeCmac(key: Uint8Array): PaceCmac {
  const k = new Uint8Array(key);
  let msg: number[] = [];
  return {
    update(data, offset = 0, length = data.length - offset) {
      for (let i = 0; i < length; i++) msg.push(data[offset + i]);
      return this;
    },
    final8(out, outOffset = 0) {
      const x = cmac16(k, new Uint8Array(msg));
      msg = [];
      const tag = out || new Uint8Array(8);
      tag.set(x.subarray(0, 8), out ? outOffset : 0);
      return tag;
    },
    wipe: () => { k.fill(0); msg = []; },
  };
}

/** `random` defaults to node's randomBytes; tests pass scripted scalars. */
export function nodePaceCrypto(random?: (n: number) => Uint8Array): PaceCrypto {
  return { aes: nodeAes, cmac: nodeCmac, ec: nodeEc, random: random || ((n) => new Uint8Array(randomBytes(n))) };
}

/** The full 16-byte CMAC (tests of the CMAC itself against RFC 4493). */
export function cmac16(key: Uint8Array, data: Uint8Array): Uint8Array {
  const enc = ecb(key, false);
  const k1 = dbl(new Uint8Array(enc(new Uint8Array(16))));
  const k2 = dbl(k1);
  const n = Math.max(1, Math.ceil(data.length / 16));
  const full = data.length > 0 && data.length % 16 === 0;
  const m = new Uint8Array(n * 16);
  m.set(data);
  if (!full) m[data.length] = 0x80;
  const sub = full ? k1 : k2;
  for (let j = 0; j < 16; j++) m[(n - 1) * 16 + j] ^= sub[j];
  let x: Uint8Array = new Uint8Array(16);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < 16; j++) x[j] ^= m[i * 16 + j];
    x = new Uint8Array(enc(x));
  }
  return x;
}

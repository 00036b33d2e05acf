// The elliptic curves of PACE and Chip Authentication (pace/ABI.md "TypeScript API for elliptic
// curves"): pace.bin entries 10-12 (ec_mul, ec_add, ec_check; constant time, exact bytes tested
// under the emulator) when the Storage file `pace` runs here, else the TypeScript reference
// (crypto/ec/). Callers see one API.

import { EC_PARAMS, limbs, ORDER_BP256, ORDER_P256, refAdd, refCheck, refMultiply, type EcParams } from '../crypto/ec/ec-reference';
import { addressOf, contextAddress, stageBuffer, type NativeFn } from './blob';
import { P_EC_ADD, P_EC_CHECK, P_EC_MUL, paceEntries } from './pace-blob';

/** The native EC ctx (pace/ABI.md "EC ctx"): word 0 the curve id, then scratch. */
const EC_CTX = 1764;

export interface EcCurve {
  ref: EcParams;
  /** The native ctx, null on the TypeScript path. */
  ctx: Uint8Array | null;
  f: NativeFn[] | null;
}

const curves: EcCurve[] = [];
/** The curves' parameters. A NATIVE_ONLY device bundle keeps only each curve's id and group
 * order (the blob holds the rest), not the reference's tables: ~1 KB less on the Espruino WiFi.
 * (Only the TypeScript path, absent there, reads the other fields.) The test of NATIVE_ONLY is
 * written out at each use, not kept in a const: esbuild then drops the dead branch and with it
 * the whole reference (~2.9 KB). */
const CURVES: EcParams[] = typeof NATIVE_ONLY === 'undefined' || !NATIVE_ONLY ? EC_PARAMS : [
  { id: 12, n: limbs(ORDER_P256) } as EcParams,
  { id: 13, n: limbs(ORDER_BP256) } as EcParams,
];

/** ICAO 9303 Part 11 §9.5.1 standardized domain parameter id: 12 = P-256, 13 = brainpoolP256r1;
 * null for any other. One object per curve, kept. */
export function ecCurve(id: number): EcCurve | null {
  for (let i = 0; i < curves.length; i++) if (curves[i].ref.id === id) return curves[i];
  for (let i = 0; i < CURVES.length; i++) {
    if (CURVES[i].id !== id) continue;
    const f = paceEntries();
    let ctx: Uint8Array | null = null;
    if (f) {
      ctx = new Uint8Array(EC_CTX);
      ctx[0] = id;
    }
    const c: EcCurve = { ref: CURVES[i], ctx, f };
    curves.push(c);
    return c;
  }
  return null;
}

export function ecCurveFieldBytes(curve: EcCurve): number {
  return curve ? 32 : 0;
}

/** The group order n, 32 bytes big-endian (private keys are drawn below it). */
export function ecCurveOrder(curve: EcCurve): Uint8Array {
  const n = curve.ref.n;
  const out = new Uint8Array(32);
  for (let i = 0; i < 16; i++) {
    out[30 - 2 * i] = n[i] >> 8;
    out[31 - 2 * i] = n[i] & 0xff;
  }
  return out;
}

/** Stage layout of a native call: a at 0 (32 or 65 bytes), b at 68, out at 136. */
function callNative(c: EcCurve, entry: number, a: Uint8Array, b: Uint8Array | null): Uint8Array | null {
  const s = stageBuffer();
  const at = addressOf(s);
  s.set(a, 0);
  if (b) s.set(b, 68);
  const r = c.f![entry](contextAddress(c.ctx!), at, b ? at + 68 : 0, at + 136);
  const out = r === 0 ? new Uint8Array(s.subarray(136, 201)) : null;
  s.fill(0, 0, 201);
  return out;
}

function point65(p: Uint8Array): boolean {
  return p.length === 65 && p[0] === 4;
}

/** k·P as 04 || x || y; null when P is invalid or k·P is infinity. */
export function ecMultiply(curve: EcCurve, scalar32: Uint8Array, point65In: Uint8Array): Uint8Array | null {
  if (!curve.f) return typeof NATIVE_ONLY === 'undefined' || !NATIVE_ONLY ? refMultiply(curve.ref, scalar32, point65In) : null;
  if (scalar32.length !== 32 || !point65(point65In)) return null;
  return callNative(curve, P_EC_MUL, scalar32, point65In);
}

/** k·G. */
export function ecBaseMultiply(curve: EcCurve, scalar32: Uint8Array): Uint8Array | null {
  if (!curve.f) return typeof NATIVE_ONLY === 'undefined' || !NATIVE_ONLY ? refMultiply(curve.ref, scalar32, null) : null;
  if (scalar32.length !== 32) return null;
  return callNative(curve, P_EC_MUL, scalar32, null);
}

/** P + Q (public points; not constant time). */
export function ecAdd(curve: EcCurve, p65: Uint8Array, q65: Uint8Array): Uint8Array | null {
  if (!curve.f) return typeof NATIVE_ONLY === 'undefined' || !NATIVE_ONLY ? refAdd(curve.ref, p65, q65) : null;
  if (!point65(p65) || !point65(q65)) return null;
  return callNative(curve, P_EC_ADD, p65, q65);
}

export function ecCheck(curve: EcCurve, p65: Uint8Array): boolean {
  if (!curve.f) return typeof NATIVE_ONLY === 'undefined' || !NATIVE_ONLY ? refCheck(curve.ref, p65) : false;
  if (!point65(p65)) return false;
  const s = stageBuffer();
  s.set(p65, 0);
  const r = curve.f[P_EC_CHECK](contextAddress(curve.ctx!), addressOf(s), 0, 0);
  s.fill(0, 0, 65);
  return r === 0;
}

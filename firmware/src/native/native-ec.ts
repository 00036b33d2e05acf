// The elliptic curves of PACE and Chip Authentication (pace/ABI.md "TypeScript API for elliptic
// curves"). Callers see one API; the TypeScript reference (crypto/ec/) runs here. The native
// path (pace.bin entries 10-12: ec_mul, ec_add, ec_check, exact bytes tested under the emulator)
// plugs in behind these same functions once the PACE blob is loaded on the board.

import { EC_PARAMS, refAdd, refCheck, refMultiply, type EcParams } from '../crypto/ec/ec-reference';

export type EcCurve = EcParams;

/** ICAO 9303 Part 11 §9.5.1 standardized domain parameter id: 12 = P-256, 13 = brainpoolP256r1. */
export function ecCurve(id: number): EcCurve | null {
  for (let i = 0; i < EC_PARAMS.length; i++) if (EC_PARAMS[i].id === id) return EC_PARAMS[i];
  return null;
}

export function ecCurveFieldBytes(curve: EcCurve): number {
  return curve ? 32 : 0;
}

/** k·P as 04 || x || y; null when P is invalid or k·P is infinity. */
export function ecMultiply(curve: EcCurve, scalar32: Uint8Array, point65: Uint8Array): Uint8Array | null {
  return refMultiply(curve, scalar32, point65);
}

export function ecBaseMultiply(curve: EcCurve, scalar32: Uint8Array): Uint8Array | null {
  return refMultiply(curve, scalar32, null);
}

export function ecAdd(curve: EcCurve, p65: Uint8Array, q65: Uint8Array): Uint8Array | null {
  return refAdd(curve, p65, q65);
}

export function ecCheck(curve: EcCurve, p65: Uint8Array): boolean {
  return refCheck(curve, p65);
}

// The PaceCrypto of the device: the native seams (native-aes.ts, native-ec.ts; pace.bin when the
// board stores it, TypeScript otherwise) and the board's hardware random source.

import { AesCipher, AesCmac } from '../native/native-aes';
import { paceEntries } from '../native/pace-blob';
import { ecAdd, ecBaseMultiply, ecCurve, ecCurveOrder, ecMultiply, type EcCurve } from '../native/native-ec';
import type { PaceCrypto, PaceEc } from './pace-crypto';

function copyOut(p: Uint8Array | null, out: Uint8Array): boolean {
  if (!p) return false;
  out.set(p, 0);
  p.fill(0);
  return true;
}

function curve(id: number): EcCurve {
  const c = ecCurve(id);
  if (!c) throw new Error('unsupported curve');
  return c;
}

const DEVICE_EC: PaceEc = {
  fieldBytes: (id) => (ecCurve(id) ? 32 : 0),
  order: (id) => ecCurveOrder(curve(id)),
  multiply: (id, k, p, out) => copyOut(ecMultiply(curve(id), k, p), out),
  multiplyBase: (id, k, out) => copyOut(ecBaseMultiply(curve(id), k), out),
  add: (id, p, q, out) => copyOut(ecAdd(curve(id), p, q), out),
};

/** PACE's crypto when this board can run it: the PACE blob, or the TypeScript references in a
 * bundle that has them (not NATIVE_ONLY device bundles); else null (the reader does BAC only). */
export function paceCryptoIfAvailable(random: (n: number) => Uint8Array): PaceCrypto | null {
  if (paceEntries() || typeof NATIVE_ONLY === 'undefined' || !NATIVE_ONLY) return devicePaceCrypto(random);
  return null;
}

/** `random(n)`: n bytes of the board's hardware source (E.hwRand). */
export function devicePaceCrypto(random: (n: number) => Uint8Array): PaceCrypto {
  return {
    aes: (key) => new AesCipher(key),
    cmac: (key) => new AesCmac(key),
    ec: DEVICE_EC,
    random,
  };
}

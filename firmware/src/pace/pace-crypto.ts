// The crypto that PACE, Chip Authentication and AES secure messaging need, as one small injected
// interface: the unit tests pass a node:crypto provider, the device the native seams
// (native-aes.ts, native-ec.ts). Points are uncompressed, 04 || X || Y, big-endian.

import { hashWhole } from '../crypto/hash';
import { IcaoError } from '../icao/errors';

/** AES with its key schedule kept (native-aes.ts AesCipher). */
export interface PaceBlockCipher {
  encryptBlock(input16: Uint8Array, output16: Uint8Array): void;
  decryptBlock(input16: Uint8Array, output16: Uint8Array): void;
  /** CBC in place over whole 16-byte blocks; iv16 is not modified. */
  cbc(iv16: Uint8Array, data: Uint8Array, decrypt: boolean): void;
  wipe(): void;
}

/** AES-CMAC, incremental (native-aes.ts AesCmac). */
export interface PaceCmac {
  update(data: Uint8Array, offset?: number, length?: number): unknown;
  /** The first 8 bytes of the tag; ready for a new message (same key) after. */
  final8(out?: Uint8Array, outOffset?: number): Uint8Array;
  wipe(): void;
}

/** Elliptic-curve arithmetic on a standardized domain parameter id (9303-11 §9.5.1). Each
 * operation returns false for a point not on the curve or a result at infinity. */
export interface PaceEc {
  /** Field size in bytes, 0 when the curve is not supported. */
  fieldBytes(curveId: number): number;
  /** The group order n (big-endian, fieldBytes long): scalars are drawn below it. */
  order(curveId: number): Uint8Array;
  multiply(curveId: number, scalar: Uint8Array, point: Uint8Array, out: Uint8Array): boolean;
  multiplyBase(curveId: number, scalar: Uint8Array, out: Uint8Array): boolean;
  add(curveId: number, p: Uint8Array, q: Uint8Array, out: Uint8Array): boolean;
}

export interface PaceCrypto {
  aes(key: Uint8Array): PaceBlockCipher;
  cmac(key: Uint8Array): PaceCmac;
  ec: PaceEc;
  /** n bytes from the board's hardware source (E.hwRand), never Math.random. */
  random(n: number): Uint8Array;
}

/** Key derivation of 9303-11 §9.7.1 for AES: H(secret || counter32), SHA-1 for 16-byte keys,
 * SHA-256 for 24 and 32 (first keyLength bytes). Counter 1: KSenc, 2: KSmac, 3: PACE K_pi. */
export function deriveAesKey(secret: Uint8Array, counter: number, keyLength: number): Uint8Array {
  const n = secret.length;
  const input = new Uint8Array(n + 4);
  input.set(secret, 0);
  input[n + 3] = counter;
  const h = hashWhole(keyLength === 16 ? 'sha1' : 'sha256', input);
  input.fill(0);
  const key = new Uint8Array(h.subarray(0, keyLength));
  h.fill(0);
  return key;
}

/** A private key in [1, n-1] from the random source (rejection sampling: no modular bias). */
export function randomScalar(crypto: PaceCrypto, curveId: number): Uint8Array {
  const order = crypto.ec.order(curveId);
  for (let tries = 0; tries < 64; tries++) {
    const k = crypto.random(order.length);
    let below = false;
    let any = 0;
    for (let i = 0; i < k.length; i++) any |= k[i];
    for (let i = 0; i < k.length; i++) {
      if (k[i] !== order[i]) {
        below = k[i] < order[i];
        break;
      }
    }
    if (below && any) return k;
    k.fill(0);
  }
  throw new IcaoError('internal', 'random source');
}

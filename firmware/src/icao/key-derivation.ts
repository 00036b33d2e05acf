// 9303-11 §9.7.1 key derivation for 3DES: K = first 16 bytes of SHA-1(K_seed || c) with the
// 32-bit counter c = 1 (encryption) or 2 (MAC), each byte adjusted to odd DES parity.

import { adjustDesParity } from '../crypto/des';
import { hashWhole } from '../crypto/hash';

export const KDF_ENC = 1;
export const KDF_MAC = 2;

export function deriveKey(keySeed: Uint8Array, counter: number): Uint8Array {
  const input = new Uint8Array(keySeed.length + 4);
  input.set(keySeed, 0);
  const n = keySeed.length;
  input[n] = counter >>> 24; input[n + 1] = counter >>> 16; input[n + 2] = counter >>> 8; input[n + 3] = counter;
  const h = hashWhole('sha1', input);
  input.fill(0);
  const key = adjustDesParity(new Uint8Array(h.subarray(0, 16)));
  h.fill(0);
  return key;
}

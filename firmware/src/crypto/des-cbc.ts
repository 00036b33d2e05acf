// Seam: 3DES-CBC for BAC and secure messaging. The native blob when the board has it
// (native/blob.ts), else the TypeScript DesCipher (des.ts, the reference), which device
// bundles built NATIVE_ONLY leave out.

import { nativeEntries } from '../native/blob';
import { NativeDesCipher } from '../native/native-des';
import { DesCipher } from './des';

export interface CbcCipher {
  /** CBC over `data` (a multiple of 8 bytes) into `out` (may be `data`); `iv` null = zeros. */
  cbcEncrypt(iv: Uint8Array | null, data: Uint8Array, out?: Uint8Array): Uint8Array;
  cbcDecrypt(iv: Uint8Array | null, data: Uint8Array, out?: Uint8Array): Uint8Array;
  /** Zeroes the key schedules; the object is useless afterwards. */
  wipe(): void;
}

/** DES (8-byte key) or 3DES EDE (16 or 24 bytes). */
export function createDesCipher(key: Uint8Array): CbcCipher {
  const f = nativeEntries();
  if (f) return new NativeDesCipher(f, key);
  if (typeof NATIVE_ONLY === 'undefined' || !NATIVE_ONLY) return new DesCipher(key);
  throw new Error('native blob missing');
}

// Seam: the ISO 9797-1 algorithm 3 retail MAC for BAC and secure messaging. The native blob
// when the board has it (native/blob.ts), else the TypeScript RetailMac (retail-mac.ts, the
// reference), which device bundles built NATIVE_ONLY leave out.

import { nativeEntries } from '../native/blob';
import { NativeRetailMac } from '../native/native-des';
import { RetailMac } from './retail-mac';

export interface Mac {
  update(data: Uint8Array, offset?: number, length?: number): Mac;
  /** Pads (method 2), finishes, writes 8 bytes to `out` at `outOffset` (or a new array); resets. */
  finish(out?: Uint8Array, outOffset?: number): Uint8Array;
  reset(): Mac;
  wipe(): void;
}

/** `key`: 16 bytes, K1 || K2. */
export function createRetailMac(key: Uint8Array): Mac {
  const f = nativeEntries();
  if (f) return new NativeRetailMac(f, key);
  if (typeof NATIVE_ONLY === 'undefined' || !NATIVE_ONLY) return new RetailMac(key);
  throw new Error('native blob missing');
}

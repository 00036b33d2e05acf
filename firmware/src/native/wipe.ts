// Seam: zeroing key material. The blob's `wipe` entry (a store the compiler cannot drop) on
// flat arrays, fill(0) on the others and where there is no blob.

import { addressOf, E_WIPE, nativeEntries } from './blob';

export function wipeBytes(a: Uint8Array): void {
  const f = nativeEntries();
  const at = f && a.length ? addressOf(a) : 0;
  if (at) f![E_WIPE](at, a.length, 0, 0);
  else a.fill(0);
}

// sm_unwrap (ABI.md entry 18): a whole protected 3DES secure-messaging response checked and
// opened in one native call, so the interpreter runs none of its per-byte work (issue #13).
// SecureMessagingChannel (icao/secure-messaging.ts) owns the 808-byte SM ctx it works on (ABI.md
// "SM ctx": KSenc's DES ctx, KSmac's, the SSC) when the blob is present.

import { addressOf, contextAddress, E_SM_UNWRAP, type NativeFn } from './blob';

export const SM_CTX = 808;

/**
 * sm_unwrap on a copy of `response` (3 bytes or more; the caller's array is left as it is):
 * plain data || SW, a view of that copy, or the blob's negative failure code (the SSC has moved,
 * as in the TypeScript path). null when the copy is not flat (small arrays, a fragmented heap):
 * nothing has happened, the caller takes the TypeScript path.
 */
export function nativeUnwrap(f: NativeFn[], ctx: Uint8Array, response: Uint8Array): Uint8Array | number | null {
  const n = response.length;
  const buf = new Uint8Array(n);
  const at = addressOf(buf);
  if (!at) return null;
  buf.set(response, 0);
  const r = f[E_SM_UNWRAP](contextAddress(ctx), at, n, 0);
  return r < 0 ? r : buf.subarray(r & 0xff, (r & 0xff) + (r >> 8) + 2);
}

// sm_unwrap (ABI.md entry 18): a whole protected 3DES secure-messaging response checked and
// opened in one native call, so the interpreter runs none of its per-byte work (issue #13).
// SecureMessagingChannel (icao/secure-messaging.ts) takes the 808-byte SM ctx it works on (ABI.md
// "SM ctx": KSenc's DES ctx, KSmac's, the SSC) from here when the blob is present.

import { addressOf, contextAddress, E_SM_UNWRAP, smCtxBuffer, STAGE_SIZE, stageBuffer, type NativeFn } from './blob';

export { SM_CTX } from './blob';

let holder: { wipe(): void } | null = null;

/**
 * The SM ctx for a new session, or null when it is not flat. There is one, allocated at the probe
 * while the heap is unfragmented (a fresh 808 bytes at BAC time may not be flat, and a device
 * bundle has no other way to open answers): the session that held it is wiped first.
 */
export function takeSmContext(session: { wipe(): void }): Uint8Array | null {
  const ctx = smCtxBuffer();
  const at = addressOf(ctx);
  if (!at || (at & 3)) return null;
  if (holder && holder !== session) holder.wipe();
  holder = session;
  return ctx;
}

/** A session's wipe: the ctx is free. */
export function releaseSmContext(session: { wipe(): void }): void {
  if (holder === session) holder = null;
}

/**
 * sm_unwrap on a flat copy of `response` (3 bytes or more; the caller's array is left as it is):
 * in the stage when it fits (small arrays are not flat; the answer is copied out and the stage
 * wiped), else in a new array. Returns plain data || SW, or the blob's negative failure code (the
 * SSC has moved, as in the TypeScript path); null when no flat copy could be had (a long answer
 * on a fragmented heap): nothing has happened.
 */
export function nativeUnwrap(f: NativeFn[], ctx: Uint8Array, response: Uint8Array): Uint8Array | number | null {
  const n = response.length;
  const staged = n <= STAGE_SIZE;
  const buf = staged ? stageBuffer() : new Uint8Array(n);
  const at = addressOf(buf);
  if (!at) return null;
  buf.set(response, 0);
  const r = f[E_SM_UNWRAP](contextAddress(ctx), at, n, 0);
  const out = r < 0 ? r : buf.subarray(r & 0xff, (r & 0xff) + (r >> 8) + 2);
  if (!staged) return out;
  // A new array filled by set(): new Uint8Array(view) copies element by element through the
  // interpreter's generic iterator, ~4x the instructions (callgrind: 0.46 M vs 0.12 M x86 for 241 B).
  let copy: Uint8Array | number = r;
  if (r >= 0) {
    copy = new Uint8Array((out as Uint8Array).length);
    copy.set(out as Uint8Array);
  }
  buf.fill(0, 0, n); // plaintext
  return copy;
}

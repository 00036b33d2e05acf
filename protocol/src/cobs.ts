// Consistent Overhead Byte Stuffing. Chosen over SLIP because its overhead is bounded
// (one byte per 254, so the worst case is known when buffers are preallocated; SLIP can double
// a frame of 0xC0 bytes) and because 0x00 never appears inside a frame, a receiver that lost
// sync simply drops bytes up to the next 0x00.

import { ACCELERATORS, NOT_ACCELERATED } from './framing-accelerators.js';

/** Worst-case COBS output size for `n` input bytes (without the trailing delimiter). */
export function cobsMaxEncodedLength(n: number): number {
  return n + ((n / 254) | 0) + 1;
}

/** Encodes src[0, n) into dst at `at`; returns the index after the last byte written. */
export function cobsEncode(src: Uint8Array, n: number, dst: Uint8Array, at: number): number {
  const fast = ACCELERATORS.cobsEncode;
  if (fast) {
    const r = fast(src, n, dst, at);
    if (r >= 0) return r;
  }
  let codeIndex = at;
  let code = 1;
  let out = at + 1;
  for (let i = 0; i < n; i++) {
    const b = src[i];
    if (b === 0) {
      dst[codeIndex] = code;
      codeIndex = out++;
      code = 1;
    } else {
      dst[out++] = b;
      code++;
      if (code === 0xff) {
        dst[codeIndex] = code;
        codeIndex = out++;
        code = 1;
      }
    }
  }
  dst[codeIndex] = code;
  return out;
}

/**
 * Decodes buf[0, n) in place (the output never outruns the input). Returns the decoded
 * length, or -1 when the bytes are not valid COBS (a code byte of 0 or a block past the end).
 */
export function cobsDecodeInPlace(buf: Uint8Array, n: number): number {
  const fast = ACCELERATORS.cobsDecodeInPlace;
  if (fast) {
    const r = fast(buf, n);
    if (r !== NOT_ACCELERATED) return r; // -1 is the accelerator's "not COBS"
  }
  let read = 0;
  let write = 0;
  while (read < n) {
    const code = buf[read++];
    if (code === 0) return -1;
    const end = read + code - 1;
    if (end > n) return -1;
    while (read < end) buf[write++] = buf[read++];
    if (code !== 0xff && read < n) buf[write++] = 0;
  }
  return write;
}

// ISO/IEC 9797-1 padding method 2: append 0x80, then zeros up to a multiple of 8 bytes. Always
// adds at least one byte.

/** Length of `n` bytes after padding method 2 (block size 8). */
export function paddedLength(n: number): number {
  return (n + 8) & ~7;
}

/** `data[offset, offset+length)` padded into a new array. */
export function pad(data: Uint8Array, offset?: number, length?: number): Uint8Array {
  const o = offset || 0;
  const n = length === undefined ? data.length - o : length;
  const out = new Uint8Array(paddedLength(n));
  out.set(data.subarray(o, o + n), 0);
  out[n] = 0x80;
  return out;
}

/**
 * Length of the message inside padded `data[offset, offset+length)`, or -1 when the padding is
 * not method 2 (no 0x80, a non-zero byte after it, or more than a block of padding).
 */
export function unpaddedLength(data: Uint8Array, offset?: number, length?: number): number {
  const o = offset || 0;
  const n = length === undefined ? data.length - o : length;
  if (n <= 0 || n & 7) return -1;
  let i = o + n - 1;
  const stop = o + n - 8;
  while (i >= stop && data[i] === 0) i--;
  if (i < stop || data[i] !== 0x80) return -1;
  return i - o;
}

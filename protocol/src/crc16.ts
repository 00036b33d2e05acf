// CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, no reflection, no xorout).
// Chosen over CRC-32 because its table is 512 bytes instead of 1 KiB on the device, and for
// frames of at most ~520 bytes it still detects every burst of 16 bits or fewer.

import { ACCELERATORS } from './framing-accelerators.js';

let table: Uint16Array | null = null;

function buildTable(): Uint16Array {
  const t = new Uint16Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i << 8;
    for (let k = 0; k < 8; k++) c = c & 0x8000 ? ((c << 1) ^ 0x1021) & 0xffff : (c << 1) & 0xffff;
    t[i] = c;
  }
  return t;
}

/** CRC over bytes[start, end). `crc` lets a caller continue over several pieces. */
export function crc16(bytes: Uint8Array, start: number, end: number, crc?: number): number {
  let c = crc === undefined ? 0xffff : crc;
  const fast = ACCELERATORS.crc16;
  if (fast) {
    const r = fast(bytes, start, end, c);
    if (r >= 0) return r;
  }
  if (!table) table = buildTable();
  const t = table;
  for (let i = start; i < end; i++) c = ((c << 8) & 0xffff) ^ t[((c >> 8) ^ bytes[i]) & 0xff];
  return c;
}

// Registration seam: a device may replace the byte loops of CRC-16 and COBS with faster code
// (the firmware registers its native blob's). The host registers nothing and keeps the
// TypeScript, which is the reference. An accelerator returns NOT_ACCELERATED for bytes it cannot
// reach (not in flat memory); the TypeScript then runs.

export const NOT_ACCELERATED = -2;

export interface FramingAccelerators {
  crc16: ((bytes: Uint8Array, start: number, end: number, crc: number) => number) | null;
  cobsEncode: ((src: Uint8Array, n: number, dst: Uint8Array, at: number) => number) | null;
  cobsDecodeInPlace: ((buf: Uint8Array, n: number) => number) | null;
}

export const ACCELERATORS: FramingAccelerators = { crc16: null, cobsEncode: null, cobsDecodeInPlace: null };

/** Installs (or with null, removes) the accelerators. */
export function setFramingAccelerators(a: FramingAccelerators | null): void {
  ACCELERATORS.crc16 = a ? a.crc16 : null;
  ACCELERATORS.cobsEncode = a ? a.cobsEncode : null;
  ACCELERATORS.cobsDecodeInPlace = a ? a.cobsDecodeInPlace : null;
}

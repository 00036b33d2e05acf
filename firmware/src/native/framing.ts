// Seam: CRC-16 and COBS of the host link (protocol/) on the native blob. The protocol package is
// shared with the host and keeps its TypeScript; the firmware registers these through
// setFramingAccelerators at start. Frames live in the link's preallocated (flat) buffers.

import { NOT_ACCELERATED, setFramingAccelerators } from '@epassport/protocol';
import { addressOf, E_COBS_DECODE, E_COBS_ENCODE, E_CRC16, nativeEntries } from './blob';

/** Registers the native CRC-16 and COBS when the blob is present; returns whether it did. */
export function installNativeFraming(): boolean {
  const f = nativeEntries();
  if (!f) return false;
  setFramingAccelerators({
    crc16: (bytes, start, end, crc) => {
      const at = addressOf(bytes);
      return at ? f[E_CRC16](crc, at + start, end - start, 0) : NOT_ACCELERATED;
    },
    cobsEncode: (src, n, dst, at) => {
      const s = addressOf(src);
      const d = addressOf(dst);
      return s && d ? at + f[E_COBS_ENCODE](s, n, d + at, 0) : NOT_ACCELERATED;
    },
    cobsDecodeInPlace: (buf, n) => {
      const b = addressOf(buf);
      return b ? f[E_COBS_DECODE](b, n, 0, 0) : NOT_ACCELERATED;
    },
  });
  return true;
}

// Seam: the PN532 data checksum (DCS, UM0701-02 §6.2.1.1): (0x100 - sum of TFI and PD) & 0xFF.
// The native blob's pn532_dcs on flat frame buffers, else this loop.

import { addressOf, E_PN532_DCS, nativeEntries } from '../native/blob';

/** DCS of buf[start, end). */
export function dataChecksum(buf: Uint8Array, start: number, end: number): number {
  const f = nativeEntries();
  const at = f ? addressOf(buf) : 0;
  if (at) return f![E_PN532_DCS](at + start, end - start, 0, 0);
  let sum = 0;
  for (let k = start; k < end; k++) sum += buf[k];
  return (0x100 - (sum & 0xff)) & 0xff;
}

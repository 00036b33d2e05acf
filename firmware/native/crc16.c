/* CRC-16/CCITT-FALSE (poly 0x1021, MSB first, no reflection, no xorout) as protocol/src/crc16.ts
 * computes it for every host-link frame. No table (its 512 bytes were 1.2 % of the Pico's flash
 * budget): the poly's taps at 12, 5 and 0 fold a byte in with shifts and XORs, about as many
 * instructions as the table look-up and no flash data read. */
#include "native.h"

/* Entry 7: continues `crc` (0xFFFF for a new frame) over data[0, len). */
ENTRY int crc16(uint32_t crc, const uint8_t *data, uint32_t len) {
  uint32_t c = crc & 0xFFFFu;
  for (const uint8_t *end = data + len; data < end; data++) {
    uint32_t x = ((c >> 8) ^ *data) & 0xFFu;
    x ^= x >> 4;
    c = ((c << 8) ^ (x << 12) ^ (x << 5) ^ x) & 0xFFFFu;
  }
  return (int)c;
}

/* CRC-16/CCITT-FALSE (poly 0x1021, MSB first, no reflection, no xorout) as protocol/src/crc16.ts
 * computes it for every host-link frame; table-driven, one look-up a byte. */
#include "native.h"
#include "crc16-table.h"

/* Entry 7: continues `crc` (0xFFFF for a new frame) over data[0, len). */
ENTRY int crc16(uint32_t crc, const uint8_t *data, uint32_t len) {
  uint32_t c = crc & 0xFFFFu;
  for (const uint8_t *end = data + len; data < end; data++)
    c = ((c << 8) & 0xFFFFu) ^ CRC16_TABLE[(c >> 8) ^ *data];
  return (int)c;
}

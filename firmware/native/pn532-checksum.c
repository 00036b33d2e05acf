/* The PN532 frame data checksum (DCS, PN532 user manual 6.2.1.1): the byte that makes TFI + PD
 * sum to zero modulo 256, as firmware/src/pn532/frames.ts computes it. */
#include "native.h"

/* Entry 10. */
ENTRY int pn532_dcs(const uint8_t *data, uint32_t len) {
  uint32_t sum = 0;
  for (const uint8_t *end = data + len; data < end; data++) sum += *data;
  return (int)((0x100u - (sum & 0xFFu)) & 0xFFu);
}

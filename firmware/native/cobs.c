/* Consistent Overhead Byte Stuffing, byte for byte as protocol/src/cobs.ts (the host link). */
#include "native.h"

/* Entry 8: encodes src[0, len) into dst (room for len + len / 254 + 1 bytes, no trailing 0x00);
 * returns the number of bytes written. */
ENTRY int cobs_encode(const uint8_t *src, uint32_t len, uint8_t *dst) {
  uint8_t *code_at = dst, *out = dst + 1;
  uint32_t code = 1;
  for (const uint8_t *end = src + len; src < end; src++) {
    if (*src == 0) {
      *code_at = (uint8_t)code;
      code_at = out++;
      code = 1;
      continue;
    }
    *out++ = *src;
    if (++code == 0xFF) {
      *code_at = (uint8_t)code;
      code_at = out++;
      code = 1;
    }
  }
  *code_at = (uint8_t)code;
  return (int)(out - dst);
}

/* Entry 9: decodes buf[0, len) in place (the output never outruns the input); returns the
 * decoded length, or -1 for a code byte of 0 or a block running past the end. */
ENTRY int cobs_decode(uint8_t *buf, uint32_t len) {
  uint32_t read = 0, write = 0;
  while (read < len) {
    uint32_t code = buf[read++];
    if (code == 0) return -1;
    uint32_t end = read + code - 1;
    if (end > len) return -1;
    while (read < end) buf[write++] = buf[read++];
    if (code != 0xFF && read < len) buf[write++] = 0;
  }
  return (int)write;
}
